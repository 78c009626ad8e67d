"""``tensorflow.compat.v1.nn`` with ``rnn_cell`` replaced by :mod:`tf1scope.rnn_cell`.

It is ``tf.nn`` for a file that does ``import tf1scope.compat.v1 as tf``:
every other name is looked up in ``tf.compat.v1.nn`` when it is used, so
``tf.nn.dynamic_rnn``, ``tf.nn.relu``... are TensorFlow's own.

>>> import tf1scope.compat.v1 as tf
>>> import tf1scope.rnn_cell
>>> tf.nn.rnn_cell is tf1scope.rnn_cell
True
>>> tf.nn.dynamic_rnn is __import__("tensorflow").compat.v1.nn.dynamic_rnn
True
"""

import tensorflow as _tf

from tf1scope import rnn_cell  # noqa: F401  (the replacement)

_NN = _tf.compat.v1.nn


def __getattr__(name):
  return getattr(_NN, name)


def __dir__():
  return sorted(set(dir(_NN)) | {"rnn_cell"})
