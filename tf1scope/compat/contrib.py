"""``tf.contrib`` as far as it lives on: ``rnn``, ``tpu``, and from TF-Slim ``layers``, ``slim``, ``framework``.

TensorFlow 2.0 removed ``tf.contrib``. Through ``import tf1scope.compat.v1
as tf``, ``tf.contrib`` is this module:

* ``tf.contrib.rnn``: the RNN cells TF1 had under both names
  (``tf.contrib.rnn.LSTMCell`` was ``tf.nn.rnn_cell.LSTMCell``), from
  :mod:`tf1scope.rnn_cell`, and ``static_rnn``, ``static_bidirectional_rnn``
  and ``static_state_saving_rnn`` (TensorFlow's own). The cells that
  existed only in contrib (``LayerNormBasicLSTMCell``, ``LSTMBlockCell``,
  ...) raise ``AttributeError`` naming them.
* ``tf.contrib.tpu``: ``TPUEstimator`` (with ``use_tpu=False``, on CPU and
  GPU), ``TPUEstimatorSpec``, ``RunConfig``, ``TPUConfig`` and
  ``InputPipelineConfig``, :mod:`tf1scope.estimator.tpu`.
* With ``pip install tf-slim``, which was made from contrib's model-building
  parts: ``tf.contrib.layers`` (``layer_norm``, ``fully_connected``,
  ``conv2d``, ``batch_norm``, ``xavier_initializer``, ``l2_regularizer``, ...)
  is ``tf_slim.layers``, ``tf.contrib.slim`` is
  :mod:`tf1scope.compat.slim` and ``tf.contrib.framework`` (``arg_scope``,
  ``model_variable``, ``get_variables_to_restore``, ...) is ``tf_slim.ops``,
  all with the repairs of :mod:`tf1scope.compat.slim`.

So TF1 model code such as BERT's ``tf.contrib.layers.layer_norm(x,
begin_norm_axis=-1, begin_params_axis=-1)`` or a seq2seq model's
``tf.contrib.rnn.LSTMCell`` runs unchanged:

>>> import tensorflow as tf2, tf1scope
>>> import tf1scope.compat.v1 as tf
>>> class Norm(tf2.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     return tf.contrib.layers.layer_norm(
...         x, begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm")
>>> norm = Norm(); _ = norm(tf2.ones([2, 4]))
>>> list(tf1scope.variables_by_name(norm))
['LayerNorm/beta', 'LayerNorm/gamma']
>>> tf.contrib.rnn.LSTMCell is tf.nn.rnn_cell.LSTMCell
True

Any other part of ``tf.contrib`` raises ``AttributeError`` naming it.
"""

import importlib
import types

import tensorflow as _tf

from tf1scope import rnn_cell as _rnn_cell

_CELLS = ("RNNCell", "BasicRNNCell", "GRUCell", "BasicLSTMCell", "LSTMCell",
          "LSTMStateTuple", "MultiRNNCell", "DropoutWrapper",
          "ResidualWrapper", "DeviceWrapper")
_RNN_FUNCTIONS = ("static_rnn", "static_bidirectional_rnn",
                  "static_state_saving_rnn")
_FROM_SLIM = ("layers", "slim", "framework")
_PROVIDED = ("rnn", "tpu") + _FROM_SLIM


def _rnn_module():
  module = types.ModuleType(
      __name__ + ".rnn",
      "tf.contrib.rnn: TF1's core RNN cells and the static RNN functions.")
  for name in _CELLS:
    setattr(module, name, getattr(_rnn_cell, name))
  for name in _RNN_FUNCTIONS:
    setattr(module, name, getattr(_tf.compat.v1.nn, name))

  def missing(name):
    raise AttributeError(
        f"module 'tf1scope.compat.contrib.rnn' has no attribute '{name}': "
        f"tf.contrib.rnn.{name} was removed in TensorFlow 2.0 with tf.contrib; "
        "tf1scope provides the cells TF1 also had in tf.nn.rnn_cell ("
        + ", ".join(_CELLS) + ") and " + ", ".join(_RNN_FUNCTIONS) + ".")
  module.__getattr__ = missing
  return module


rnn = _rnn_module()


def _from_slim(name):
  from tf1scope.compat import slim  # pylint: disable=g-import-not-at-top
  if name == "slim":
    return slim
  if name == "layers":
    # The package: tf_slim's attribute "layers" is its layers.layers module.
    return importlib.import_module("tf_slim.layers")
  framework = types.ModuleType(
      __name__ + ".framework",
      "tf.contrib.framework's arg scopes and variable helpers, from tf_slim.ops.")
  for module_name in ("tf_slim.ops.arg_scope", "tf_slim.ops.variables"):
    module = importlib.import_module(module_name)
    for attribute in module.__all__:
      setattr(framework, attribute, getattr(module, attribute))
  return framework


def __getattr__(name):
  if name == "tpu":   # TPUEstimator and friends, for use_tpu=False
    from tf1scope.estimator import tpu  # pylint: disable=g-import-not-at-top
    globals()[name] = tpu
    return tpu
  if name in _FROM_SLIM:
    try:
      value = _from_slim(name)
    except ImportError as error:
      raise AttributeError(
          f"tf.contrib.{name} comes from TF-Slim here, which is not "
          f"installed: pip install tf-slim ({error})") from error
    globals()[name] = value
    return value
  raise AttributeError(
      f"module 'tf1scope.compat.contrib' has no attribute '{name}': "
      f"tf.contrib.{name} was removed in TensorFlow 2.0, and tf1scope provides "
      f"only tf.contrib.{', tf.contrib.'.join(_PROVIDED)} (the last three "
      "from tf-slim).")


def __dir__():
  return sorted(set(globals()) | set(_PROVIDED))
