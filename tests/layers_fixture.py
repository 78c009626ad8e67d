"""Reads stored TF1 references (tests/fixtures/*_reference.*) and runs their cases with tf1scope.

Two references share this code: ``layers_reference`` (``layer_cases``, run
with ``tf1scope.layers``) and ``rnn_reference`` (``rnn_cases``, run with
``tf1scope.rnn_cell``). Both are written by ``make_layers_fixture.py``.
"""

import json
import os

import numpy as np
import tensorflow as tf

import layer_cases
import oracle
import rnn_cases
import tf1scope
import tf1scope.layers
import tf1scope.rnn_cell

v1 = tf.compat.v1
HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = dict(rtol=1e-5, atol=1e-5)


class Reference:
  """One stored reference: what TF1 built and computed for each case and program."""

  def __init__(self, stem, cases_module, namespace):
    self.npz_path = os.path.join(HERE, "fixtures", stem + ".npz")
    self.json_path = os.path.join(HERE, "fixtures", stem + ".json")
    with open(self.json_path) as f:
      self.meta = json.load(f)
    with np.load(self.npz_path) as data:
      self.arrays = dict(data)
    self.cases_module = cases_module
    self.cases = {c.name: c for c in cases_module.NUMERIC_CASES}
    self.namespace = namespace   # what the cases' build functions get

  def array(self, *parts):
    return self.arrays["|".join(str(p) for p in parts)]

  def assert_program_matches(self, name, program):
    """Name program ``name`` (``program()`` runs it) builds in graph mode what TF1 built, or raises TF1's error."""
    got = oracle.run(program, "graph", with_values=False)
    want = self.meta["programs"][name]
    if "error" in want:
      assert got.error is not None, f"TF1 raised {want['error']}"
      assert [got.error[0].__name__, got.error[1]] == want["error"]
    else:
      assert got.error is None, got.error
      assert json.loads(json.dumps(got.output)) == want["output"]

  def tf1_variables(self, case_name):
    """TF1's variables of a case: {name without ":0": (shape, dtype, trainable)}, in order."""
    out = {}
    for _, name, shape, dtype, trainable in (
        self.meta["cases"][case_name]["variables"]):
      out[name[:-2]] = (shape, dtype, trainable)
    return out


LAYERS = Reference("layers_reference", layer_cases, tf1scope.layers)
RNN = Reference("rnn_reference", rnn_cases, tf1scope.rnn_cell)

# The layers reference, as module names.
NPZ_PATH, JSON_PATH = LAYERS.npz_path, LAYERS.json_path
META, ARRAYS, CASES = LAYERS.meta, LAYERS.arrays, LAYERS.cases
array, tf1_variables = LAYERS.array, LAYERS.tf1_variables


class _Box:
  """Keeps Python objects out of tf.Module's tracking."""

  def __init__(self, value):
    self.value = value


class CaseModule(tf.Module):
  """Runs one case's ``build`` with tf1scope's namespace (``tf1scope.layers``) as a pass."""

  def __init__(self, case, namespace=tf1scope.layers):
    super().__init__()
    self._case = _Box(case)
    self._namespace = _Box(namespace)

  @tf1scope.track_tf1_style_variables
  def __call__(self, *inputs):
    outputs = self._case.value.build(self._namespace.value, *inputs)
    regs = [tf.convert_to_tensor(r) for r in
            v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)]
    n_updates = len(v1.get_collection(v1.GraphKeys.UPDATE_OPS))
    return outputs, regs, n_updates


def case_function(module, case, mode):
  """The pass as called in ``mode``: "eager", "function" (autograph off, as
  TF1 graph code needs none), "autograph" or "xla"; tf.function inputs have
  TF1's placeholder shapes."""
  if mode == "eager":
    return module.__call__
  signature = [tf.TensorSpec(i.placeholder_shape, i.dtype) for i in case.inputs]
  return tf.function(module.__call__, input_signature=signature,
                     autograph=(mode == "autograph"),
                     jit_compile=(mode == "xla") or None)


def _check_variables(ref, module, case_name):
  got = tf1scope.variables_by_name(module)
  want = ref.tf1_variables(case_name)
  assert list(got) == list(want), "variable names or creation order differ"
  for name, (shape, dtype, trainable) in want.items():
    v = got[name]
    assert (v.shape.as_list(), v.dtype.name, bool(v.trainable)) == (
        shape, dtype, trainable), name
  return got


def run_case(ref, name, mode):
  """Runs case ``name`` like TF1 ran it; returns (outputs, regs, n_updates, variables)."""
  case = ref.cases[name]
  module = CaseModule(case, ref.namespace)
  inputs = [tf.constant(ref.array(name, "input", i))
            for i in range(len(case.inputs))]
  fn = case_function(module, case, mode)
  has_variables = bool(ref.meta["cases"][name]["variables"])
  if case.graph_seed is not None:
    tf.random.set_seed(case.graph_seed)   # seeded initializers
  if has_variables:
    fn(*inputs)  # the first call creates the variables
  variables = _check_variables(ref, module, name)
  if case.assign:
    for var_name, variable in variables.items():
      variable.assign(ref.array(name, "weight", var_name))
  else:  # the initializers' values are TF1's
    for var_name, variable in variables.items():
      np.testing.assert_allclose(variable.numpy(),
                                 ref.array(name, "weight", var_name),
                                 **TOLERANCE, err_msg=f"{var_name} initial value")
  if case.graph_seed is not None:
    tf.random.set_seed(case.graph_seed)
  grad_names = ref.meta["cases"][name]["gradients"]
  step = _step_with_gradients(module, case, mode, grad_names, variables,
                              ref.cases_module.flat_outputs)
  outputs, regs, n_updates, grads = step(*inputs)
  return outputs, regs, int(n_updates), variables, dict(zip(grad_names, grads))


def _step_with_gradients(module, case, mode, grad_names, variables, flatten):
  """The pass and the probe loss's gradients (TF1's ``tf.gradients``), in ``mode``.

  The tape is inside the ``tf.function``, as in a training step (and as
  XLA needs for loops).
  """
  def step(*inputs):
    with tf.GradientTape() as tape:
      tape.watch([i for i in inputs if i.dtype.is_floating])
      outputs, regs, n_updates = module(*inputs)
      loss = layer_cases.probe_loss(flatten(outputs))
    targets = [inputs[int(n.split(":")[1])] if n.startswith("input:")
               else variables[n] for n in grad_names]
    grads = tape.gradient(loss, targets) if targets else []
    return outputs, regs, n_updates, grads
  if mode == "eager":
    return step
  signature = [tf.TensorSpec(i.placeholder_shape, i.dtype) for i in case.inputs]
  return tf.function(step, input_signature=signature,
                     autograph=(mode == "autograph"),
                     jit_compile=(mode == "xla") or None)


def assert_matches_tf1(ref, name, mode):
  """One call of case ``name`` in ``mode`` gives what TF1 stored for it."""
  meta = ref.meta["cases"][name]
  outputs, regs, n_updates, variables, grads = run_case(ref, name, mode)
  flat = ref.cases_module.flat_outputs(outputs)
  assert sorted(flat) == meta["outputs"]
  for key in meta["outputs"]:
    np.testing.assert_allclose(np.asarray(flat[key]),
                               ref.array(name, "output", key), **TOLERANCE,
                               err_msg=f"output {key}")
  for grad_name in meta["gradients"]:
    grad = grads[grad_name]
    if grad is None:
      # TF1's while loops give unconnected loop inputs zero gradients; a
      # tape gives None for the same, unconnected, eager loop.
      assert not np.any(ref.array(name, "grad", grad_name)), (
          f"no gradient for {grad_name} (TF1 has a nonzero one)")
      continue
    np.testing.assert_allclose(np.asarray(tf.convert_to_tensor(grad)),
                               ref.array(name, "grad", grad_name),
                               **TOLERANCE, err_msg=f"gradient of {grad_name}")
  for var_name, variable in variables.items():
    np.testing.assert_allclose(variable.numpy(),
                               ref.array(name, "after", var_name),
                               **TOLERANCE, err_msg=f"{var_name} after the pass")
  assert n_updates == meta["update_ops"]
  want_regs = [ref.array(name, "reg", i)
               for i in range(meta["regularization_losses"])]
  if ref.cases[name].reg_sum_only:
    np.testing.assert_allclose(sum(float(r) for r in regs), sum(want_regs),
                               **TOLERANCE)
  else:
    assert len(regs) == len(want_regs)
    np.testing.assert_allclose([float(r) for r in regs], want_regs, **TOLERANCE)
