"""TF-Slim (``tf_slim``, installed separately) as TF1 had it, in TensorFlow 2.

``import tf1scope.compat.slim as slim`` in place of ``import tf_slim as
slim`` (or ``tf.contrib.slim``) gives the ``tf_slim`` package with its
layers modules (``tf_slim.layers.layers`` and ``tf_slim.layers.utils``)
repaired, once, in three ways:

* **Its layers are TF1's.** Slim builds its convolutions, dense, dropout,
  flatten, pooling and batch normalization from
  ``tensorflow.python.layers``. Since TensorFlow 2.16 the batch
  normalization there loads a tf_keras module that does not exist ("No
  module named 'tf_keras'", or "... 'tf_keras.legacy_tf_layers'" with
  tf_keras installed), so every slim model with batch
  normalization fails, in graph mode too; and eagerly the others leave
  their regularization losses out of ``REGULARIZATION_LOSSES``. Slim gets
  the classes of :mod:`tf1scope.layers` instead (TF1's layers, checked
  against TF1's own), which work in graph mode and in a pass, eager or not.
* **Name scopes and collections in a pass.** Slim's layers open their
  scopes with TensorFlow's internal ``name_scope``, which yields None
  eagerly in TensorFlow 2, so ``outputs_collections`` (the end points of
  every slim net) fail in an eager pass; they get ``tf.compat.v1.name_scope``
  instead, which in a pass yields TF1's scope strings eagerly and in
  ``tf.function``, and elsewhere is TensorFlow's. And slim's test of whether
  a variable is already in a collection (``var in get_collection(...)``)
  compares by identity, as with TF1's variables (a TF2 variable's ``==`` is
  elementwise).
* **``ops.Tensor``.** TensorFlow 2.21's ``ops`` module no longer has
  ``Tensor``, which slim's ``constant_value`` (how layers read a tensor
  ``is_training``) uses; slim's modules get ``tf.Tensor`` there.

Everything else is ``tf_slim`` itself (``arg_scope``, ``conv2d``,
``fully_connected``, ``repeat``, ``tf_slim.nets``, ...), so slim model code
runs unchanged in a decorated method, with TF1's variable names:

>>> import tensorflow as tf, tf1scope
>>> import tf1scope.compat.slim as slim
>>> class Net(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm):
...       return slim.conv2d(x, 4, [3, 3], scope="conv1")
>>> net = Net(); _ = net(tf.ones([1, 8, 8, 3]))
>>> list(tf1scope.variables_by_name(net))
['conv1/weights', 'conv1/BatchNorm/beta', 'conv1/BatchNorm/moving_mean', 'conv1/BatchNorm/moving_variance']

Slim's training loops (``slim.learning.train``) run TF1 sessions and are not
part of this: train with a TF2 optimizer or ``tf.compat.v1.train``
optimizers in the pass.
"""

import types

import tensorflow as _tf

try:
  import tf_slim as _tf_slim  # pylint: disable=g-import-not-at-top
  from tf_slim.layers import layers as _slim_layers  # pylint: disable=g-import-not-at-top
  from tf_slim.layers import utils as _slim_utils  # pylint: disable=g-import-not-at-top
except ImportError as _error:
  raise ImportError(
      "tf1scope.compat.slim needs TF-Slim: pip install tf-slim "
      f"(import failed: {_error})") from _error

_REPAIRED = "_tf1scope_repaired"


class _Collection(list):
  """A collection's list where ``in`` is identity, as it was for TF1's variables.

  Slim checks ``if var not in ops.get_collection(name)``; a TF2 variable's
  ``==`` is elementwise, so that test fails for a variable with more than
  one element that is not first in the list.
  """

  def __contains__(self, value):
    return any(item is value for item in self)


def _ops_for_slim(ops):
  """``tensorflow.python.framework.ops`` as slim knew it.

  TF1's ``name_scope`` and collection membership, and ``ops.Tensor``
  (TensorFlow 2.21's module no longer has it; slim's ``constant_value``,
  which reads ``is_training``, needs it).
  """
  proxy = types.ModuleType(ops.__name__)
  proxy.__dict__.update(ops.__dict__)
  proxy.name_scope = _tf.compat.v1.name_scope
  if not hasattr(proxy, "Tensor"):
    proxy.Tensor = _tf.Tensor

  def get_collection(key, scope=None):
    return _Collection(ops.get_collection(key, scope))
  proxy.get_collection = get_collection
  return proxy


def _layer_modules():
  """What slim's layers module uses from ``tensorflow.python.layers``, from tf1scope.layers."""
  from tf1scope import layers  # pylint: disable=g-import-not-at-top
  return {
      "convolutional_layers": types.SimpleNamespace(
          Convolution1D=layers.Conv1D, Convolution2D=layers.Conv2D,
          Convolution3D=layers.Conv3D,
          Convolution2DTranspose=layers.Conv2DTranspose,
          Convolution3DTranspose=layers.Conv3DTranspose,
          SeparableConvolution2D=layers.SeparableConv2D),
      "core_layers": types.SimpleNamespace(
          Dense=layers.Dense, Dropout=layers.Dropout, flatten=layers.flatten),
      "pooling_layers": types.SimpleNamespace(
          AveragePooling2D=layers.AveragePooling2D,
          AveragePooling3D=layers.AveragePooling3D,
          MaxPooling2D=layers.MaxPooling2D, MaxPooling3D=layers.MaxPooling3D),
      "normalization_layers": types.SimpleNamespace(
          BatchNormalization=layers.BatchNormalization),
  }


def repair(layers_module, utils_module):
  """Repairs ``tf_slim.layers.layers`` and ``tf_slim.layers.utils`` (once)."""
  if getattr(layers_module, _REPAIRED, False):
    return
  for attribute, namespace in _layer_modules().items():
    setattr(layers_module, attribute, namespace)
  layers_module.ops = _ops_for_slim(layers_module.ops)
  utils_module.ops = _ops_for_slim(utils_module.ops)
  setattr(layers_module, _REPAIRED, True)


repair(_slim_layers, _slim_utils)


def __getattr__(name):
  return getattr(_tf_slim, name)


def __dir__():
  return sorted(set(dir(_tf_slim)) | set(globals()))
