"""tf1scope: TensorFlow 1 variable-scope code, unchanged, in TensorFlow 2.

Decorate a method of a ``tf.Module`` or of a Keras layer or model with
:func:`track_tf1_style_variables` and the TF1 code inside it
(``tf.compat.v1.get_variable``, ``variable_scope``, ``name_scope``,
``tf.Variable``, collections) behaves as in TF1 graph mode, eagerly and in
``tf.function``, with its variables owned by the module (Keras: its weights).
"""

import tensorflow as _tf

from tf1scope.api import get_or_create_layer
from tf1scope.api import regularization_losses
from tf1scope.api import variables_by_name
from tf1scope.checkpoints import restore_shim_checkpoint
from tf1scope.checkpoints import restore_tf1_checkpoint
from tf1scope.checkpoints import save_tf1_checkpoint
from tf1scope.checkpoints import shim_layers
from tf1scope.decorator import track_tf1_style_variables
from tf1scope.errors import NotInPassError
from tf1scope.errors import OwnerTypeError
from tf1scope.errors import StateAfterBuildError
from tf1scope.scopes import VariableScope

AUTO_REUSE = _tf.compat.v1.AUTO_REUSE

__version__ = "0.1.0"


def __getattr__(name):
  # VariableScopeLayer is a Keras 3 class: Keras is imported on first use only.
  if name == "VariableScopeLayer":
    from tf1scope.keras_layer import VariableScopeLayer  # pylint: disable=g-import-not-at-top
    return VariableScopeLayer
  if name == "estimator":   # tf.estimator for TF1 model_fn code, on first use
    import tf1scope.estimator  # pylint: disable=g-import-not-at-top,redefined-outer-name
    return tf1scope.estimator
  raise AttributeError(f"module 'tf1scope' has no attribute '{name}'")


__all__ = [
    "AUTO_REUSE",
    "NotInPassError",
    "OwnerTypeError",
    "StateAfterBuildError",
    "VariableScope",
    "VariableScopeLayer",
    "get_or_create_layer",
    "regularization_losses",
    "restore_shim_checkpoint",
    "restore_tf1_checkpoint",
    "save_tf1_checkpoint",
    "shim_layers",
    "track_tf1_style_variables",
    "variables_by_name",
]

from tf1scope import layers  # noqa: E402  (tf.compat.v1.layers, rebuilt on get_variable)
