"""``get_variable`` in a pass: TF1's ``_VariableStore`` rules over the owner stores.

The reuse rules of the pass model (see README, "The pass model"):

* a name already created or fetched earlier in this pass is what TF1's graph
  store holds: ``reuse=False`` raises "already exists", anything else shares it
  (with TF1's shape and dtype checks);
* a name stored by an earlier pass but not yet used in this one is returned as
  TF1 would have created it here (``reuse=True`` fetches it);
* an unknown name is created, unless ``reuse=True``, which raises "does not exist".
"""

import functools
import inspect
import types

import tensorflow as tf

from tf1scope import _compat
from tf1scope import naming
from tf1scope import store as store_lib
from tf1scope.options import VariableOptions

_FLOAT32 = tf.float32
_FLOAT32_KEY = object()
_AUTO = tf.VariableSynchronization.AUTO
_NONE = tf.compat.v1.VariableAggregation.NONE


def get_variable(frame, name, shape, dtype, initializer, regularizer, reuse,
                 trainable, collections, caching_device, partitioner,
                 validate_shape, use_resource, custom_getter, constraint,
                 synchronization, aggregation):
  """TF1's ``_VariableStore.get_variable``: the custom getter chain, then the true getter."""
  if custom_getter is not None and not callable(custom_getter):
    raise ValueError("Passed a custom_getter which is not callable: %s" %
                     custom_getter)
  try:
    dtype = dtype.base_dtype
  except AttributeError:
    pass
  if synchronization is _AUTO and aggregation is _NONE:
    if trainable is None:
      trainable = True
  else:
    synchronization, aggregation, trainable = (
        _compat.validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, name))

  if custom_getter is None:
    return _true_getter(frame, VariableOptions(
        name, shape, dtype, initializer, regularizer, reuse, trainable,
        collections, caching_device, partitioner, validate_shape,
        use_resource, constraint, synchronization, aggregation))

  def true_getter(name, shape=None, dtype=tf.float32, initializer=None,
                  regularizer=None, reuse=None, trainable=None,
                  collections=None, caching_device=None, partitioner=None,
                  validate_shape=True, use_resource=None, constraint=None,
                  synchronization=_AUTO, aggregation=_NONE):
    return _true_getter(frame, VariableOptions(
        name, shape, dtype, initializer, regularizer, reuse, trainable,
        collections, caching_device, partitioner, validate_shape,
        use_resource, constraint, synchronization, aggregation))

  kwargs = {
      "getter": true_getter, "name": name, "shape": shape, "dtype": dtype,
      "initializer": initializer, "regularizer": regularizer, "reuse": reuse,
      "trainable": trainable, "collections": collections,
      "caching_device": caching_device, "partitioner": partitioner,
      "validate_shape": validate_shape, "use_resource": use_resource,
      "synchronization": synchronization, "aggregation": aggregation,
  }
  if ("constraint" in _compat.fn_args(custom_getter) or
      _compat.has_kwargs(custom_getter)):
    kwargs["constraint"] = constraint
  return custom_getter(**kwargs)


def lookup(frame, name, shape, dtype, initializer, reuse):
  """A stored variable for a call whose arguments already passed TF1's checks.

  Returns ``(variable, key)``. ``key`` is what TF1's checks of a call on an
  existing ``name`` depend on (None for calls that are never keyed: constant
  initializers, shapes given as anything but a list or tuple). ``variable``
  is None unless the stored record has passed those checks for ``key``
  before (see :func:`remember`); then it is returned at once, with what TF1
  did on its first use in the pass.
  """
  if initializer is not None and not callable(initializer):
    return None, None
  if shape is not None:
    if type(shape) is list:  # pylint: disable=unidiomatic-typecheck
      shape = tuple(shape)
    elif type(shape) is not tuple:  # pylint: disable=unidiomatic-typecheck
      return None, None
  touched = frame.touched
  variable = touched.get(name)
  mode = 1 if reuse is True else 2 if reuse is False else 0
  # A DType hashes slowly (through pybind); the default float32 is keyed by identity.
  key = (shape, _FLOAT32_KEY if dtype is _FLOAT32 else dtype, mode,
         initializer is None, variable is not None)
  tables = frame.tables
  record = tables[0].get(name)
  if record is None:
    for table in tables[1:]:
      record = table.get(name)
      if record is not None:
        break
    else:
      return None, key
  try:
    if key not in record.checked:
      return None, key
  except TypeError:  # an unhashable argument
    return None, None
  if variable is None:
    variable = record.variable
    # The node name first: if it is taken, TF1 raises and the pass is unchanged.
    naming.claim_variable(frame.names_in_use, frame.nodes, name,
                          record.lower_name)
    touched[name] = variable
    unlisted = frame.unlisted
    if record.regularizer is None and unlisted is not None:
      unlisted.append(record)  # store_lib.touch's common case, inlined
    else:
      store_lib.touch(frame, name, record)
  elif mode == 2:  # reuse=False on a name used in this pass: TF1 raises
    return None, key
  if frame.hooked:
    return store_lib.present(frame, variable), key
  return variable, key


def remember(frame, name, key):
  """Records that ``key`` passed TF1's checks for the variable stored as ``name``."""
  record = store_lib.find(frame, "get_variables", name)
  if record is not None:
    try:
      record.checked.add(key)
    except TypeError:
      pass


def _is_scalar(shape):
  return shape is not None and isinstance(shape, (list, tuple)) and not shape


def _true_getter(frame, opts):
  if opts.partitioner is not None and not _is_scalar(opts.shape):
    if not callable(opts.partitioner):
      raise ValueError("Partitioner must be callable, but received: %s" %
                       opts.partitioner)
    from tf1scope import partitioned  # pylint: disable=g-import-not-at-top
    return partitioned.get_partitioned_variable(frame, opts)
  if opts.reuse is True and opts.partitioner is None:
    from tf1scope import partitioned  # pylint: disable=g-import-not-at-top
    existing = partitioned.find_partitioned(frame, opts.name)
    if existing is not None:
      return partitioned.get_partitioned_variable(frame, opts)
  if opts.name + "/part_0" in frame.touched or (
      store_lib.find(frame, "get_variables", opts.name + "/part_0")
      is not None):
    raise ValueError(
        "No partitioner was provided, but a partitioned version of the "
        "variable was found: %s/part_0. Perhaps a variable of the same "
        "name was already created with partitioning?" % opts.name)
  return store_lib.present(frame, get_single_variable(frame, opts))


def _check_share(name, variable, shape, dtype):
  if shape is not None and not shape.is_compatible_with(variable.shape):
    raise ValueError("Trying to share variable %s, but specified shape %s"
                     " and found shape %s." % (name, shape, variable.shape))
  if not dtype.is_compatible_with(variable.dtype):
    raise ValueError("Trying to share variable %s, but specified dtype %s"
                     " and found dtype %s." %
                     (name, dtype.name, variable.dtype.name))


def get_single_variable(frame, opts, partition_info=None):
  """TF1's ``_get_single_variable`` over the pass and its stores."""
  name = opts.name
  initializer = opts.initializer
  shape = opts.shape
  initializing_from_value = initializer is not None and not callable(initializer)
  if shape is not None and initializing_from_value:
    raise ValueError("If initializer is a constant, do not specify shape.")
  dtype = tf.as_dtype(opts.dtype)
  if shape is not None:
    shape = tf.TensorShape(shape)

  touched = frame.touched
  variable = touched.get(name)
  if variable is not None:  # in TF1's graph store already
    if opts.reuse is False:
      raise ValueError("Variable %s already exists, disallowed."
                       " Did you mean to set reuse=True or "
                       "reuse=tf.AUTO_REUSE in VarScope?" % name)
    _check_share(name, variable, shape, dtype)
    return variable

  record = store_lib.find(frame, "get_variables", name)
  if record is not None:  # made by an earlier pass: TF1 would create it here
    variable = record.variable
    if opts.reuse is True:
      _check_share(name, variable, shape, dtype)
    else:
      if initializer is None and shape is None:
        raise ValueError(
            f"Variable {name} did not get an initializer, so its `shape`"
            " argument must be specified.")
      if initializing_from_value:
        value = tf.convert_to_tensor(initializer)
        _check_share(name, variable, value.shape, value.dtype.base_dtype)
      elif shape is None or not shape.is_fully_defined():
        # TF1 takes the dtype from what the no-argument initializer returns.
        _check_share(name, variable, shape, variable.dtype.base_dtype)
      else:
        _check_share(name, variable, shape, dtype)
    naming.claim_variable(frame.names_in_use, frame.nodes, name)  # may raise: first
    touched[name] = variable
    store_lib.touch(frame, name, record)
    return variable

  if opts.reuse is True:
    raise ValueError("Variable %s does not exist, or was not created with "
                     "tf.get_variable(). Did you mean to set "
                     "reuse=tf.AUTO_REUSE in VarScope?" % name)
  return _create(frame, opts, name, shape, dtype, initializing_from_value,
                 partition_info)


def _create(frame, opts, name, shape, dtype, initializing_from_value,
            partition_info):
  initializer = opts.initializer
  if initializer is None:
    if shape is None:
      raise ValueError(
          f"Variable {name} did not get an initializer, so its `shape`"
          " argument must be specified.")
    initializer = default_initializer(name, dtype)
  init_val, variable_dtype = initial_value(
      name, initializer, shape, dtype, initializing_from_value, partition_info)
  if name:  # TF1 opens a name scope of the full name, from the root
    naming.validate_scope_name(name, "")

  store = frame.store
  with store.registry.lock:
    record = store.registry.get_variables.get(name)
    if record is None:
      actual_name = naming.claim_variable(frame.names_in_use, frame.nodes, name)
      collections = store_lib.default_collections(opts.collections,
                                                  opts.trainable)
      variable = store_lib.create_variable(
          init_val, actual_name, trainable=opts.trainable,
          caching_device=opts.caching_device, dtype=variable_dtype,
          validate_shape=opts.validate_shape, constraint=opts.constraint,
          synchronization=opts.synchronization,
          aggregation=opts.aggregation, shape=shape)
      regularizer = opts.regularizer
      if regularizer is not None and regularizer(variable) is None:
        regularizer = None
      record = store.add(store.registry.get_variables, name, variable,
                         collections, regularizer)
    else:  # another thread created it first
      naming.claim_variable(frame.names_in_use, frame.nodes, name)
  frame.touched[name] = record.variable
  store_lib.touch(frame, name, record)
  return record.variable


def default_initializer(name, dtype):
  """TF1's default: glorot_uniform for floats, zeros for ints, bool and string."""
  if dtype.is_floating:
    return tf.compat.v1.glorot_uniform_initializer()
  if dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype == tf.string:
    return tf.compat.v1.zeros_initializer()
  raise ValueError("An initializer for variable %s of %s is required" %
                   (name, dtype.base_dtype))


def _needs_no_arguments(fn):
  try:
    sig = inspect.signature(fn)
  except (TypeError, ValueError):
    return False
  return not [p for p in sig.parameters.values()
              if p.default is p.empty and
              p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def initial_value(name, initializer, shape, dtype, initializing_from_value,
                  partition_info=None):
  """TF1's conversion of an initializer into (initial value, variable dtype)."""
  del name
  if initializing_from_value:
    return initializer, None
  if inspect.isclass(initializer):
    initializer = initializer()
  if shape is not None and shape.is_fully_defined():
    kwargs = {"dtype": dtype}
    if _takes_partition_info(initializer):
      kwargs["partition_info"] = partition_info
    if _graph_seeded(initializer):
      graph_seed, _ = tf.compat.v1.get_seed(initializer.seed)
      return functools.partial(_graph_value, initializer, shape.as_list(),
                               kwargs, graph_seed), dtype.base_dtype
    return functools.partial(initializer, shape.as_list(),
                             **kwargs), dtype.base_dtype
  if _needs_no_arguments(initializer):
    return initializer, None
  raise ValueError("The initializer passed is not valid. It should "
                   "be a callable with no arguments and the "
                   "shape should not be provided or an instance of "
                   "`tf.keras.initializers.*' and `shape` should be "
                   "fully defined.")


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, functools.partial,
                    types.BuiltinFunctionType)
_takes_partition_info_by_type = {}   # initializer class -> bool


def _takes_partition_info(initializer):
  """Whether TF1 passes ``partition_info`` to ``initializer`` (cached per class)."""
  if isinstance(initializer, _PLAIN_CALLABLES):
    return "partition_info" in _compat.fn_args(initializer)
  cls = type(initializer)
  takes = _takes_partition_info_by_type.get(cls)
  if takes is None:
    takes = "partition_info" in _compat.fn_args(initializer)
    _takes_partition_info_by_type[cls] = takes
  return takes


def _graph_seeded(initializer):
  """A TF1 initializer with an op seed: its graph-mode value is deterministic."""
  return (isinstance(initializer, _compat.TFInitializerV1) and
          getattr(initializer, "seed", None) is not None)


def _graph_value(initializer, shape, kwargs, graph_seed):
  """The value a seeded TF1 initializer gives in a fresh TF1 graph.

  Eagerly, a seeded random op keeps its state between calls, so two variables
  with the same seeded initializer would differ; in TF1 they are equal.
  Evaluating in a fresh graph with the pass's graph-level seed (the one
  ``tf.compat.v1.set_random_seed`` set, or TF's default) gives TF1's values
  exactly.
  """
  graph = tf.Graph()
  graph.seed = graph_seed
  with graph.as_default():
    tensor = initializer(shape, **kwargs)
    with tf.compat.v1.Session(graph=graph) as session:
      return session.run(tensor)
