"""``tf.contrib`` as far as TF-Slim carries it on: ``layers``, ``slim`` and ``framework``.

TensorFlow 2.0 removed ``tf.contrib``. Its model-building parts live on in
the ``tf-slim`` package, which was made from them: ``tf.contrib.layers``
(``layer_norm``, ``fully_connected``, ``conv2d``, ``batch_norm``,
``xavier_initializer``, ``l2_regularizer``, ...) is ``tf_slim.layers``,
``tf.contrib.slim`` is ``tf_slim`` and ``tf.contrib.framework`` (``arg_scope``,
``model_variable``, ``get_variables_to_restore``, ...) is ``tf_slim.ops``.
Through ``import tf1scope.compat.v1 as tf``, ``tf.contrib`` is this module,
so TF1 model code such as BERT's ``tf.contrib.layers.layer_norm(x,
begin_norm_axis=-1, begin_params_axis=-1)`` runs unchanged, with the
repairs of :mod:`tf1scope.compat.slim`. Needs ``pip install tf-slim``.

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

Any other part of ``tf.contrib`` raises ``AttributeError`` naming it.
"""

import importlib
import types

from tf1scope.compat import slim  # noqa: F401  (repairs tf_slim's layers)

# The package itself: tf_slim's attribute "layers" is its layers.layers module.
layers = importlib.import_module("tf_slim.layers")
from tf_slim.ops import arg_scope as _arg_scope  # noqa: E402  pylint: disable=g-import-not-at-top,wrong-import-order
from tf_slim.ops import variables as _variables  # noqa: E402  pylint: disable=g-import-not-at-top,wrong-import-order

framework = types.ModuleType(
    __name__ + ".framework",
    "tf.contrib.framework's arg scopes and variable helpers, from tf_slim.ops.")
for _module in (_arg_scope, _variables):
  for _name in _module.__all__:
    setattr(framework, _name, getattr(_module, _name))

_PROVIDED = ("layers", "slim", "framework")


def __getattr__(name):
  raise AttributeError(
      f"module 'tf1scope.compat.contrib' has no attribute '{name}': "
      f"tf.contrib.{name} was removed in TensorFlow 2.0, and tf1scope provides "
      f"only tf.contrib.{', tf.contrib.'.join(_PROVIDED)} (from tf-slim).")


def __dir__():
  return sorted(set(globals()) | set(_PROVIDED))
