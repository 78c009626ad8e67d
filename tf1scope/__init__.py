"""tf1scope: TensorFlow 1 variable-scope code, unchanged, in TensorFlow 2.

Decorate a method of a ``tf.Module`` with :func:`track_tf1_style_variables`
and the TF1 code inside it (``tf.compat.v1.get_variable``, ``variable_scope``,
``name_scope``, ``tf.Variable``, collections) behaves as in TF1 graph mode,
eagerly and in ``tf.function``, with its variables owned by the module.
"""

import tensorflow as _tf

from tf1scope.api import get_or_create_layer
from tf1scope.api import regularization_losses
from tf1scope.api import variables_by_name
from tf1scope.decorator import track_tf1_style_variables
from tf1scope.errors import NotInPassError
from tf1scope.errors import OwnerTypeError
from tf1scope.scopes import VariableScope

AUTO_REUSE = _tf.compat.v1.AUTO_REUSE

__version__ = "0.1.0"

__all__ = [
    "AUTO_REUSE",
    "NotInPassError",
    "OwnerTypeError",
    "VariableScope",
    "get_or_create_layer",
    "regularization_losses",
    "track_tf1_style_variables",
    "variables_by_name",
]

from tf1scope import layers  # noqa: E402  (tf.compat.v1.layers, rebuilt on get_variable)
