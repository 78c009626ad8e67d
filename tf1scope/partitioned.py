"""Partitioned variables: ``get_variable(..., partitioner=...)`` in a pass.

A partitioned variable is a list of ordinary ``get_variable`` shards named
``<name>/part_<i>``, each a slice of one full variable, wrapped in TF1's own
``PartitionedVariable`` class so that TF1 code that inspects it (``len()``,
iteration, ``as_tensor()``, ``tf.compat.v1.nn.embedding_lookup``) works
unchanged. The shards are stored and touched like any other ``get_variable``
record; the wrapper is kept twice:

* in the pass (``frame.extras``), as TF1's graph store keeps it: asking for the
  name again in the same pass is a reuse, with TF1's checks;
* in the owner's store (``registry.partitioned``), so that later passes return
  the very same object over the same shards.
"""

import tensorflow as tf

from tf1scope import _compat
from tf1scope import getter
from tf1scope import naming
from tf1scope import shards
from tf1scope import store as store_lib
from tf1scope.options import VariableOptions

_PASS_TABLE = "partitioned"  # key of this module's per-pass table in frame.extras


PartitionedVariable = _compat.PartitionedVariable
partition_info = _compat.partition_info
set_save_slice_info = _compat.set_save_slice_info
partitions_of = _compat.partitions_of


def find_partitioned(frame, name):
  """The partitioned variable ``name`` of this pass or of the owner stores, or None."""
  found = frame.extras.get(_PASS_TABLE, {}).get(name)
  if found is None:
    found = store_lib.find(frame, "partitioned", name)
  return found


def get_partitioned_variable(frame, opts):
  """TF1's ``_get_partitioned_variable`` over the pass and its stores.

  ``opts`` is the :class:`~tf1scope.options.VariableOptions` of the call. With
  ``opts.partitioner`` None this is a ``reuse=True`` request for an existing
  partitioned variable.
  """
  name = opts.name
  dtype = tf.as_dtype(opts.dtype)
  initializer = opts.initializer
  if _known(frame, name):
    raise ValueError(
        "A partitioner was provided, but an unpartitioned version of the "
        "variable was found: %s.  Perhaps a variable of the same name was "
        "already created without partitioning?" % name)
  shape = tf.TensorShape(opts.shape)
  from_tensor = isinstance(initializer, tf.Tensor)
  if from_tensor:
    shape = shape.merge_with(initializer.shape)
  partitions = None
  if not opts.reuse or opts.partitioner:
    partitions = shards.call_partitioner(opts.partitioner, shape, dtype)

  table = frame.extras.setdefault(_PASS_TABLE, {})
  existing = table.get(name)
  if existing is not None:  # in TF1's graph store already
    if opts.reuse is False:
      raise ValueError(
          "Partitioned variable with name %s already exists. Did you mean to "
          "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?" % name)
    _check_reuse(name, existing, shape, dtype, partitions)
    return existing

  stored = store_lib.find(frame, "partitioned", name)
  if stored is not None:  # made by an earlier pass: TF1 would create it here
    if opts.reuse is not True and from_tensor:
      dtype = initializer.dtype.base_dtype
    _check_reuse(name, stored, shape, dtype, partitions)
    _touch_shards(frame, name, stored, mark_initializers=opts.reuse is not True)
    table[name] = stored
    return stored

  if opts.reuse is True:
    raise ValueError("PartitionedVariable %s does not exist, or was not "
                     "created with tf.get_variable(). Did you mean to set "
                     "reuse=False or reuse=tf.AUTO_REUSE in VarScope?" % name)
  partitioned = _create(frame, opts, shape, dtype, partitions, from_tensor)
  table[name] = partitioned
  return partitioned


def _known(frame, name):
  """Whether ``get_variable`` holds an unpartitioned variable ``name`` (pass or store)."""
  return (name in frame.touched or
          store_lib.find(frame, "get_variables", name) is not None)


def _check_reuse(name, partitioned, shape, dtype, partitions):
  if not shape.is_compatible_with(partitioned.get_shape()):
    raise ValueError(
        "Trying to reuse partitioned variable %s, but specified shape %s "
        "and found shape %s." % (name, shape, partitioned.get_shape()))
  if not dtype.is_compatible_with(partitioned.dtype):
    raise ValueError(
        "Trying to reuse partitioned variable %s, but specified dtype %s "
        "and found dtype %s." % (name, dtype.name, partitioned.dtype.name))
  found = partitions_of(partitioned)
  if partitions is not None and found != partitions:
    raise ValueError(
        "Trying to reuse partitioned variable %s, but specified partitions "
        "%s and found partitions %s." % (name, partitions, found))


def _check_shard_count(frame, name, count):
  """TF1's checks when shards of ``name`` exist without their partitioned variable."""
  if not _known(frame, shards.shard_name(name, 0)):
    return
  if not _known(frame, shards.shard_name(name, count - 1)):
    raise ValueError(
        "Partitioner returned a different partitioning than what was "
        "already found.  Partitioner returned %d shards, and shard "
        "%s/part_0 was found, but %s/part_%d was not." %
        (count, name, name, count - 1))
  if _known(frame, shards.shard_name(name, count)):
    raise ValueError(
        "Partitioner returned a different partitioning than what was "
        "already found.  Partitioner returned %d shards, and shard "
        "%s/part_0 was found, but so was the extra shard %s/part_%d." %
        (count, name, name, count))


def _mark_initializer_scope(frame, shard):
  """TF1 builds each shard's initial value under ``<shard>/PartitionedInitializer``."""
  return naming.unique_name(frame.names_in_use, "",
                            shard + "/PartitionedInitializer")


def _touch_shards(frame, name, partitioned, mark_initializers):
  """First use in this pass of shards an earlier pass created."""
  for i, variable in enumerate(partitioned):
    shard = shards.shard_name(name, i)
    if mark_initializers:
      _mark_initializer_scope(frame, shard)
    getter.get_single_variable(frame, VariableOptions(
        name=shard, dtype=variable.dtype, reuse=True))


def _same_shards(partitioned, variables):
  kept = list(partitioned)
  return len(kept) == len(variables) and all(
      a is b for a, b in zip(kept, variables))


def _create(frame, opts, shape, dtype, partitions, from_tensor):
  """Creates (or finds) every shard, then wraps them."""
  name = opts.name
  initializer = opts.initializer
  full_shape = shape.as_list()
  _, count = shards.axis_and_count(partitions)
  _check_shard_count(frame, name, count)
  variables = []
  for i, (offset, shard_shape) in enumerate(shards.slices(full_shape,
                                                          partitions)):
    shard = shards.shard_name(name, i)
    scope_string = _mark_initializer_scope(frame, shard)
    with _compat.real_name_scope(scope_string + "/"):
      init, init_shape, dtype = _shard_initializer(
          name, initializer, dtype, from_tensor, offset, shard_shape)
    variable = getter.get_single_variable(
        frame,
        opts.replace(name=shard, shape=init_shape, dtype=dtype,
                     initializer=init, partitioner=None),
        partition_info=partition_info(full_shape, offset))
    set_save_slice_info(variable, name, full_shape, offset, shard_shape)
    variables.append(variable)

  partitioned = PartitionedVariable(
      name=name, shape=shape, dtype=dtype, variable_list=variables,
      partitions=partitions)
  store = frame.store
  with store.registry.lock:
    kept = store.registry.partitioned.get(name)
    if kept is not None and _same_shards(kept, variables):
      return kept  # another thread wrapped the same shards first
    store.registry.partitioned[name] = partitioned
  return partitioned


def _shard_initializer(name, initializer, dtype, from_tensor, offset, shape):
  """TF1's (initializer, shape, dtype) for one shard's ``get_variable``.

  A callable initializer is called per shard (with ``partition_info``); a value
  is sliced, and a tensor value gives the dtype.
  """
  if initializer is None:
    return getter.default_initializer(name, dtype), shape, dtype
  if callable(initializer):
    return initializer, shape, dtype
  if from_tensor:
    value = tf.slice(initializer, offset, shape)
    return value, None, value.dtype.base_dtype
  value = tf.slice(tf.convert_to_tensor(initializer, dtype=dtype), offset,
                   shape)
  return value, None, dtype
