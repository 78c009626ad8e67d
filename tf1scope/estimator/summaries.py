"""The TensorBoard events TF1's Estimator wrote: training summaries and evaluation metrics.

Training writes the merged ``tf.compat.v1.summary`` ops of the model function
(TF1's Estimator adds a ``loss`` scalar when there is none) to ``model_dir``
with TF1's own ``SummarySaverHook`` (the Estimator adds it); an evaluation
writes its metrics as scalar summaries to ``model_dir/eval`` (or
``eval_<name>``) at the evaluated global step, with the same writer TF1's
hooks use for that directory. The events are TF1's
``Summary`` protos, so TensorBoard and ``tf.compat.v1.train.summary_iterator``
read them as they read TF1's.
"""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


class EventWriter:
  """The events file of one directory: TF1's ``FileWriterCache`` writer for it.

  The writer TF1 hooks get for the same directory (``SummarySaverHook``,
  ``StepCounterHook``), so a directory has one events file, as in TF1.
  """

  def __init__(self, directory):
    with tf.Graph().as_default():   # TF1's FileWriter is made in graph mode
      self._writer = v1.summary.FileWriterCache.get(directory)

  def write(self, serialized, step):
    if tf.is_tensor(serialized):
      serialized = serialized.numpy()
    self._writer.add_summary(serialized, int(step))

  def flush(self):
    self._writer.flush()


def metrics_summary(metrics):
  """TF1's evaluation summary of ``metrics``: scalars as simple values, arrays as tensors."""
  summary = v1.Summary()
  for key, value in metrics.items():
    if key == v1.GraphKeys.GLOBAL_STEP:
      continue
    value = np.asarray(value)
    if value.ndim == 0 and np.issubdtype(value.dtype, np.number):
      summary.value.add(tag=key, simple_value=float(value))
    else:
      summary.value.add(tag=key, tensor=tf.make_tensor_proto(value))
  return summary.SerializeToString()


def checkpoint_path_summary(path):
  """TF1's ``checkpoint_path`` summary of an evaluation: the evaluated checkpoint, as a string tensor."""
  summary = v1.Summary()
  summary.value.add(tag="checkpoint_path",
                    tensor=tf.make_tensor_proto(path, dtype=tf.string))
  return summary.SerializeToString()
