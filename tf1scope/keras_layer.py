"""``VariableScopeLayer``: a Keras 3 layer whose ``forward_pass`` is TF1 code."""

import keras

from tf1scope.decorator import track_tf1_style_variables


def _tracked(forward_pass):
  """``forward_pass`` as a decorated method (decorated once)."""
  if getattr(forward_pass, "__tf1scope_method__", None) is not None:
    return forward_pass
  return track_tf1_style_variables(forward_pass)


class VariableScopeLayer(keras.layers.Layer):
  """A Keras 3 layer whose subclasses implement ``forward_pass`` instead of ``call``.

  ``forward_pass`` runs as ``@tf1scope.track_tf1_style_variables`` runs a
  method: TF1 code in it (``get_variable``, ``variable_scope``,
  ``tf.compat.v1.layers`` through ``tf1scope.layers``...) creates its
  variables on the first call, as Keras weights of the layer, and reuses them
  afterwards. Keras calls it exactly as it would call ``call`` with the same
  signature: ``training`` is passed only if ``forward_pass`` accepts it, with
  the value Keras resolves (``True`` in ``fit``, ``False`` in ``evaluate`` and
  ``predict``, an outer layer's value, or the signature's default).

  >>> import keras, tensorflow as tf, tf1scope
  >>> class Scale(tf1scope.VariableScopeLayer):
  ...   def forward_pass(self, x, training=None):
  ...     w = tf.compat.v1.get_variable(
  ...         "scale", [x.shape[-1]],
  ...         initializer=tf.compat.v1.ones_initializer())
  ...     return x * w * (2.0 if training else 1.0)
  >>> layer = Scale()
  >>> layer(tf.ones([1, 2]), training=True).numpy().tolist()
  [[2.0, 2.0]]
  >>> [(w.name, w.dtype, w.trainable) for w in layer.weights]
  [('scale', 'float32', True)]
  >>> list(tf1scope.variables_by_name(layer))
  ['scale']
  """

  def __init_subclass__(cls, **kwargs):
    super().__init_subclass__(**kwargs)
    forward_pass = cls.__dict__.get("forward_pass")
    if forward_pass is not None and "call" not in cls.__dict__:
      tracked = _tracked(forward_pass)
      cls.forward_pass = tracked
      cls.call = tracked

  def forward_pass(self, *args, **kwargs):
    """The layer's computation, in TF1 style. Subclasses implement it."""
    raise NotImplementedError(
        f"{type(self).__name__} subclasses tf1scope.VariableScopeLayer: "
        "implement forward_pass(self, inputs, ...) with the layer's TF1 code "
        "(instead of call).")
