"""Errors tf1scope raises where TF1 has no message of its own.

Where TF1 raises, tf1scope raises TF1's exception type with TF1's message; the
classes here cover what only tf1scope can get wrong. Each subclasses the
builtin type users already catch.
"""


class OwnerTypeError(TypeError):
  """A decorated method was called on an object that cannot own variables.

  >>> import tf1scope
  >>> class Plain:
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     pass
  >>> Plain()()
  Traceback (most recent call last):
  ...
  tf1scope.errors.OwnerTypeError: ...
  """


class NotInPassError(RuntimeError):
  """A tf1scope function that needs a pass was called outside one.

  >>> import tf1scope
  >>> tf1scope.get_or_create_layer("dense", dict)
  Traceback (most recent call last):
  ...
  tf1scope.errors.NotInPassError: ...
  """


class StateAfterBuildError(ValueError):
  """TF1 code tried to create a variable or layer in a Keras layer that is already built.

  A Keras layer gets all its state when it is built. tf1scope creates the
  variables of a decorated method of a Keras layer in that method's first
  call; a later call that would create a new one raises this error, which
  names the variable.

  >>> import keras, tensorflow as tf, tf1scope
  >>> class Grows(keras.layers.Layer):
  ...   @tf1scope.track_tf1_style_variables
  ...   def call(self, x, extra=False):
  ...     w = tf.compat.v1.get_variable("w", [1])
  ...     if extra:
  ...       w = w + tf.compat.v1.get_variable("extra", [1])
  ...     return x * w
  >>> layer = Grows()
  >>> _ = layer(tf.ones([1]))
  >>> _ = layer(tf.ones([1]), extra=True)
  Traceback (most recent call last):
  ...
  tf1scope.errors.StateAfterBuildError: ...
  """
