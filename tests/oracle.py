"""Differential testing against TF1 graph mode, the oracle.

A *program* is a function of no arguments written with TF1 APIs
(``tf.compat.v1.get_variable``, ``variable_scope``, ``name_scope``,
``tf.Variable``...). It returns any nesting of lists, tuples and dicts whose
leaves are variables, strings, numbers, bools, None or TF1 scope objects.

:func:`run` executes a program in one *mode* and returns a comparable
:class:`Outcome`:

* ``graph``: inside ``tf.Graph().as_default()`` (the oracle);
* ``eager``: inside a method decorated with ``track_tf1_style_variables``;
* ``function``: that method wrapped in ``tf.function`` (outputs are captured
  while tracing);
* ``xla``: the same with ``jit_compile=True``.

An outcome holds the program's output with every variable replaced by its
name, shape, dtype and trainable flag and every tensor by its value, the
identity classes of the variables (which outputs are the same object), their
initial values, the variables the owner tracks, and, if the program raised,
the exception type and the first sentence of its message.

Tensors in the output are evaluated after the variables are initialized: in a
session in graph mode, and as outputs of the pass in the other modes (so a
``tf.function`` returns them).
"""

import dataclasses
from typing import Any

import numpy as np
import tensorflow as tf

import tf1scope
from messages import first_sentence  # noqa: F401  (the tests' comparison)

v1 = tf.compat.v1

MODES = ("eager", "function", "xla")




@dataclasses.dataclass
class Outcome:
  output: Any = None
  identity: tuple = ()
  values: tuple = ()
  error: Any = None

  def without_values(self):
    return dataclasses.replace(self, values=())


def _is_variable(x):
  return isinstance(x, (tf.Variable,)) or hasattr(x, "_variable_list")


def _is_tensor(x):
  """A tensor leaf of an output (not a variable, not a numpy value)."""
  return (not isinstance(x, (tf.Variable, np.ndarray, np.generic)) and
          tf.is_tensor(x))


def _tensors(output):
  """The tensor leaves of ``output``, in the order :func:`_describe` visits them."""
  if isinstance(output, (tuple, list)):
    return [t for x in output for t in _tensors(x)]
  if isinstance(output, dict):
    return [t for v in output.values() for t in _tensors(v)]
  return [output] if _is_tensor(output) else []


def _is_partitioned(x):
  """A TF1 PartitionedVariable: described as its name, shape, dtype and shards."""
  return hasattr(x, "_get_partitions") and hasattr(x, "_variable_list")


def _variables(output):
  """The variable leaves of ``output``, in the order :func:`_describe` visits them."""
  if isinstance(output, (tuple, list)):
    return [v for x in output for v in _variables(x)]
  if isinstance(output, dict):
    return [v for x in output.values() for v in _variables(x)]
  if _is_partitioned(output):
    return list(output)
  return [output] if isinstance(output, tf.Variable) else []


def _shape(shape):
  return None if shape.rank is None else tuple(shape.as_list())


def _describe(output, variables, tensor_values=None):
  """``output`` with variables, scopes and tensors made comparable.

  ``tensor_values`` iterates over the values of :func:`_tensors` (output), in
  order; without it tensors are converted directly (eager tensors).
  """
  if tensor_values is None:
    tensor_values = iter(())
  if isinstance(output, tuple):
    return tuple(_describe(x, variables, tensor_values) for x in output)
  if isinstance(output, list):
    return [_describe(x, variables, tensor_values) for x in output]
  if isinstance(output, dict):
    return {k: _describe(v, variables, tensor_values)
            for k, v in output.items()}
  if isinstance(output, v1.VariableScope):
    return ("VariableScope", output.name, output.original_name_scope,
            output.reuse)
  if _is_partitioned(output):
    return ("PartitionedVariable", output.name, _shape(output.get_shape()),
            output.dtype.name,
            [_describe(v, variables, tensor_values) for v in output])
  if isinstance(output, tf.Variable):
    variables.append(output)
    return ("Variable", output.name, _shape(output.shape),
            output.dtype.name, bool(output.trainable))
  if _is_tensor(output):
    value = next(tensor_values, output)
    return ("Tensor", np.asarray(value).tolist())
  if isinstance(output, (np.ndarray, np.generic)):
    return ("Tensor", np.asarray(output).tolist())
  if isinstance(output, bytes):
    return output.decode()
  return output


def _identity(variables):
  first = {}
  return tuple(first.setdefault(id(v), len(first)) for v in variables)


def _graph(program, with_values):
  with tf.Graph().as_default():
    try:
      output = program()
    except Exception as e:  # pylint: disable=broad-except
      return Outcome(error=(type(e), first_sentence(e)))
    tensors = _tensors(output)
    variables = _variables(output)
    tensor_values = []
    values = ()
    if (with_values and variables) or tensors:
      with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(v1.local_variables_initializer())
        sess.run(v1.tables_initializer())
        tensor_values = sess.run(tensors)
        if with_values:
          values = tuple(np.asarray(sess.run(v)).tolist() for v in variables)
    variables = []
    described = _describe(output, variables, iter(tensor_values))
    return Outcome(described, _identity(variables), values)


class _Box:
  """Holds Python objects out of tf.Module's tracking."""

  def __init__(self, value):
    self.value = value


class _Owner(tf.Module):

  def __init__(self, program):
    super().__init__()
    self._box = _Box((program, [], []))

  @property
  def captured(self):
    return self._box.value[1]

  @property
  def results(self):
    """What each call returned: the values of the output's tensors."""
    return self._box.value[2]

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    output = self._box.value[0]()
    self.captured.append(output)
    return _tensors(output) or tf.constant(0)


def make_owner(program):
  return _Owner(program)


def run_pass(owner, mode):
  """Runs one pass of ``owner`` in ``mode``; returns its raw output or raises."""
  before = len(owner.captured)
  if mode == "eager":
    result = owner()
  else:
    fn = tf.function(owner.__call__, jit_compile=(mode == "xla"),
                     autograph=False)
    result = fn()
  # tf.function traces twice on a first call that creates variables.
  assert len(owner.captured) > before
  owner.results.append(result if isinstance(result, list) else [])
  return owner.captured[-1]


def _tracked(owner, with_values):
  variables = []
  _describe(list(tf1scope.variables_by_name(owner).values()), variables)
  return variables


def run(program, mode, owner=None, with_values=True):
  """Runs ``program`` in ``mode``; returns its :class:`Outcome`."""
  if mode == "graph":
    return _graph(program, with_values)
  owner = owner or make_owner(program)
  try:
    output = run_pass(owner, mode)
  except Exception as e:  # pylint: disable=broad-except
    return Outcome(error=(type(e), first_sentence(e)))
  variables = []
  tensor_values = [t.numpy() for t in owner.results[-1]]
  described = _describe(output, variables, iter(tensor_values))
  values = ()
  if with_values:
    values = tuple(np.asarray(v.numpy()).tolist() for v in variables)
  return Outcome(described, _identity(variables), values)


def assert_matches_graph(program, modes=MODES, with_values=True):
  """Asserts that ``program`` gives graph mode's outcome in every mode, on two calls.

  The second call of the same owner must give the same outcome and create no
  variable. Returns the graph outcome.
  """
  expected = run(program, "graph", with_values=with_values)
  for mode in modes:
    owner = make_owner(program)
    got = run(program, mode, owner=owner, with_values=with_values)
    assert got == expected, f"mode {mode}: {got} != graph {expected}"
    if expected.error is None:
      count = len(owner.variables)
      again = run(program, mode, owner=owner, with_values=with_values)
      assert again == expected, f"mode {mode}, second call: {again}"
      assert len(owner.variables) == count, f"mode {mode}: second call created variables"
  return expected


def assert_matches_graph_without_error(program, **kwargs):
  """:func:`assert_matches_graph`, and graph mode ran ``program`` without error."""
  expected = assert_matches_graph(program, **kwargs)
  assert expected.error is None, f"graph mode raised {expected.error}"
  return expected
