"""The TensorBoard events TF1's Estimator wrote: training summaries and evaluation metrics.

Training writes the merged ``tf.compat.v1.summary`` ops of the model function
(TF1's Estimator adds a ``loss`` scalar when there is none) to ``model_dir``
every ``save_summary_steps`` steps, at the global step of the step; an
evaluation writes its metrics as scalar summaries to ``model_dir/eval`` (or
``eval_<name>``) at the evaluated global step. The events are TF1's
``Summary`` protos, so TensorBoard and ``tf.compat.v1.train.summary_iterator``
read them as they read TF1's.
"""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


class EventWriter:
  """An events file in one directory, written with serialized TF1 ``Summary`` protos."""

  def __init__(self, directory):
    self._writer = tf.summary.create_file_writer(directory)

  def write(self, serialized, step):
    with self._writer.as_default():
      tf.summary.experimental.write_raw_pb(serialized, step=step)

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
