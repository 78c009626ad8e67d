"""``tensorflow.compat.v1`` with ``layers`` replaced by :mod:`tf1scope.layers`.

``import tf1scope.compat.v1 as tf`` at the top of an old TF1 file makes it work
unchanged inside a method decorated with
``@tf1scope.track_tf1_style_variables``: every name is looked up in
``tf.compat.v1`` when it is used (so tf1scope's hooks apply), except
``layers``, which is :mod:`tf1scope.layers`, ``nn.rnn_cell``, which is
:mod:`tf1scope.rnn_cell` (Keras 3 removed ``tf.compat.v1.layers`` and the
RNN cells), and ``estimator``, which is :mod:`tf1scope.estimator`
(TensorFlow 2.16 removed ``tf.estimator``).

>>> import tf1scope.compat.v1 as tf
>>> import tf1scope.layers, tf1scope.rnn_cell
>>> tf.layers is tf1scope.layers
True
>>> tf.nn.rnn_cell.LSTMCell is tf1scope.rnn_cell.LSTMCell
True
>>> tf.get_variable is __import__("tensorflow").compat.v1.get_variable
True

What it does not provide, because TensorFlow 2 does not:

* ``tf.contrib`` (removed in TF 2.0), except ``tf.contrib.rnn``'s core
  cells, and ``tf.contrib.layers``, ``tf.contrib.slim`` and
  ``tf.contrib.framework`` when ``tf-slim`` is installed
  (:mod:`tf1scope.compat.contrib`);
* ``tf.keras`` as TF1's Keras (``tf.keras`` is Keras 3 here, whose layers
  do not use variable scopes);
* ``tf.layers.experimental`` (``keras_style_scope``, ``set_keras_style``).
"""

import tensorflow as _tf

from tf1scope import layers  # noqa: F401  (the replacement)
from tf1scope.compat import v1_nn as nn  # noqa: F401  (rnn_cell replaced)

_V1 = _tf.compat.v1


def __getattr__(name):
  if name == "contrib":
    from tf1scope.compat import contrib  # pylint: disable=g-import-not-at-top
    return contrib
  if name == "estimator":   # removed in TensorFlow 2.16
    from tf1scope import estimator  # pylint: disable=g-import-not-at-top
    return estimator
  return getattr(_V1, name)


def __dir__():
  return sorted(set(dir(_V1)) | {"layers", "nn", "estimator"})
