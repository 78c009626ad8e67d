"""How TF1 splits a partitioned variable into shards, as pure functions.

A partitioner maps the full shape (and dtype) of a variable to one count per
axis; at most one count is above 1, and that axis is split. When the split is
uneven the first shards take one row more:

>>> list(slices([5, 3], [3, 1]))
[([0, 0], [2, 3]), ([2, 0], [2, 3]), ([4, 0], [1, 3])]
>>> list(slices([4, 7], [1, 3]))
[([0, 0], [4, 3]), ([0, 3], [4, 2]), ([0, 5], [4, 2])]
>>> list(slices([4], [1]))
[([0], [4])]
"""

import collections.abc


def call_partitioner(partitioner, shape, dtype):
  """Calls ``partitioner(shape=..., dtype=...)`` and checks its answer as TF1 does.

  ``shape`` is a ``tf.TensorShape``. Returns the partitioner's sequence
  unchanged (TF1 compares it as returned when a variable is reused).

  >>> import tensorflow as tf
  >>> call_partitioner(lambda shape, dtype: [1, 2], tf.TensorShape([4, 6]),
  ...                  tf.float32)
  [1, 2]
  >>> call_partitioner(lambda shape, dtype: [2, 2], tf.TensorShape([4, 6]),
  ...                  tf.float32)
  Traceback (most recent call last):
  ...
  ValueError: Can only slice a variable along one dimension: shape: (4, 6), partitioning: [2, 2]
  """
  if not shape.is_fully_defined():
    raise ValueError("Shape of a new partitioned variable must be "
                     "fully defined, but instead was %s." % (shape,))
  if shape.ndims < 1:
    raise ValueError("A partitioned Variable must have rank at least 1, "
                     "shape: %s" % shape)
  partitions = partitioner(shape=shape, dtype=dtype)
  if not isinstance(partitions, collections.abc.Sequence):
    raise ValueError("Partitioner must return a sequence, but saw: %s" %
                     partitions)
  if len(partitions) != shape.ndims:
    raise ValueError(
        "Partitioner returned a partition list that does not match the "
        "Variable's rank: %s vs. %s" % (partitions, shape))
  if any(count < 1 for count in partitions):
    raise ValueError("Partitioner returned zero partitions for some axes: %s"
                     % partitions)
  if sum(count > 1 for count in partitions) > 1:
    raise ValueError("Can only slice a variable along one dimension: "
                     "shape: %s, partitioning: %s" % (shape, partitions))
  return partitions


def axis_and_count(partitions):
  """The split axis and the number of shards (axis 0 and 1 shard if none is split).

  >>> axis_and_count([1, 4, 1])
  (1, 4)
  >>> axis_and_count([1, 1])
  (0, 1)
  """
  for axis, count in enumerate(partitions):
    if count > 1:
      return axis, count
  return 0, 1


def slices(full_shape, partitions):
  """Yields ``(offset, shape)`` of each shard, in order (lists of ints)."""
  axis, count = axis_and_count(partitions)
  size = full_shape[axis]
  base, longer = divmod(size, count)
  offset = [0] * len(full_shape)
  for i in range(count):
    shape = list(full_shape)
    shape[axis] = base + (1 if i < longer else 0)
    yield list(offset), shape
    offset[axis] += shape[axis]


def shard_name(name, index):
  """TF1's name of a shard: ``<name>/part_<index>``.

  >>> shard_name("embedding", 2)
  'embedding/part_2'
  """
  return "%s/part_%d" % (name, index)
