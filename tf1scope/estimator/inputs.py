"""TF1's ``tf.estimator.inputs``: ``numpy_input_fn``, an input function over numpy arrays.

TF1 fed the arrays through a queue and queue runners; here the input
function returns a ``tf.data.Dataset`` with the same batches, which the
Estimator takes as it takes any dataset: ``batch_size`` examples at a time,
``num_epochs`` passes over the data (None: forever, batches running on
across epochs, every batch full, as TF1's ``dequeue_many``; else the last
batch may be short, as ``dequeue_up_to``), features as a dict (or the one
array), labels as an array or a dict. Unshuffled, the batches are TF1's;
``shuffle=True`` mixes examples through a buffer of ``queue_capacity``, as
TF1's random shuffle queue did, but not in TF1's order.

>>> import numpy as np
>>> fn = numpy_input_fn({"x": np.arange(5.0)}, np.arange(5), batch_size=2,
...                     shuffle=False)
>>> [labels.numpy().tolist() for _, labels in fn()]
[[0, 1], [2, 3], [4]]
"""

import collections

import numpy as np
import tensorflow as tf

_TARGET_KEY = "__target_key__"


def _ordered(x):
  """The features as TF1 ordered them (by key), or the one array under a key of its own."""
  if isinstance(x, dict):
    if not x:
      raise ValueError("x cannot be an empty dict")
    return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
  if isinstance(x, np.ndarray):
    if x.size == 0:
      raise ValueError("x cannot be an empty array")
    return collections.OrderedDict({"__direct_np_input__": x})
  raise TypeError(f"x must be a dict or array; got {type(x).__name__}")


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
  """TF1's ``tf.estimator.inputs.numpy_input_fn``: an input function of ``x`` (and ``y``) in batches."""
  del num_threads   # one reader, as the order is kept
  if not isinstance(shuffle, bool):
    raise ValueError("shuffle must be provided and explicitly set as boolean "
                     "(it is recommended to set it as True for training); "
                     f"got {shuffle}")

  def input_fn():
    data = _ordered(x)
    features = list(data)
    if y is None:
      targets = None
    elif isinstance(y, dict):
      if not y:
        raise ValueError("y cannot be empty dict, use None instead.")
      targets = sorted(y)
      duplicates = set(features) & set(targets)
      if duplicates:
        raise ValueError(f"{len(duplicates)} duplicate keys are found in both "
                         f"x and y: {duplicates}")
      data.update((k, y[k]) for k in targets)
    else:
      targets = _TARGET_KEY
      while targets in data:
        targets += "_n"
      data[targets] = y
    if len({np.shape(v)[0] for v in data.values()}) != 1:
      shapes_x = {k: np.shape(data[k]) for k in features}
      shapes_y = (None if targets is None else np.shape(y)
                  if isinstance(targets, str) else
                  {k: np.shape(data[k]) for k in targets})
      raise ValueError("Length of tensors in x and y is mismatched. All "
                       "elements in x and y must have the same length.\n"
                       f"Shapes in x: {shapes_x}\nShapes in y: {shapes_y}\n")
    dataset = tf.data.Dataset.from_tensor_slices(dict(data)).repeat(num_epochs)
    if shuffle:
      dataset = dataset.shuffle(queue_capacity)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def split(batch):
      feats = (batch["__direct_np_input__"] if isinstance(x, np.ndarray)
               else {k: batch[k] for k in features})
      if targets is None:
        return feats
      if isinstance(targets, str):
        return feats, batch[targets]
      return feats, {k: batch[k] for k in targets}

    return dataset.map(split)

  return input_fn
