"""The optimizer argument of TF1's canned Estimators: a name, an optimizer, or a callable making one."""

import tensorflow as tf

v1 = tf.compat.v1

_BY_NAME = {
    "Adagrad": v1.train.AdagradOptimizer,
    "Adam": v1.train.AdamOptimizer,
    "Ftrl": v1.train.FtrlOptimizer,
    "RMSProp": v1.train.RMSPropOptimizer,
    "SGD": v1.train.GradientDescentOptimizer,
}


def get_optimizer_instance(optimizer, learning_rate=None):
  """A TF1 optimizer from a name (made with ``learning_rate``), an instance or a callable.

  >>> type(get_optimizer_instance("SGD", 0.1)).__name__
  'GradientDescentOptimizer'
  """
  if isinstance(optimizer, str):
    if optimizer not in _BY_NAME:
      raise ValueError(
          f"Unsupported optimizer name: {optimizer}. Supported names are: "
          f"{tuple(sorted(_BY_NAME))}")
    if not learning_rate:
      raise ValueError("learning_rate must be specified when opt is string.")
    return _BY_NAME[optimizer](learning_rate=learning_rate)
  if callable(optimizer):
    optimizer = optimizer()
  if not isinstance(optimizer, v1.train.Optimizer):
    raise ValueError(
        f"The given object is not an Optimizer instance. Given: {optimizer}")
  return optimizer
