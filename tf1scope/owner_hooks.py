"""What an owner type adds to the pass model: the hooks a store calls.

A plain ``tf.Module`` owner needs none: its store is a ``tf.Module`` it
tracks, so its ``variables``, checkpoints and SavedModels see everything. An
owner type that keeps its own list of state (a Keras layer: ``weights``,
``losses``, a build lock) sets an :class:`OwnerHooks` on its store
(``store.registry.owner_hooks``); ``tf1scope.keras_owner`` has the Keras ones.
"""

import contextlib


class OwnerHooks:
  """The default hooks: everything behaves as for a ``tf.Module`` owner."""

  def prepare(self, owner):
    """Called once, before the store is attached to ``owner``."""
    del owner

  def calling(self, method):
    """A context for one call of the decorated ``method`` of the owner."""
    del method
    return contextlib.nullcontext()

  def root_dtype(self):
    """The dtype of the pass's root variable scope, or None for TF1's float32."""
    return None

  def on_new_variable(self, record, from_get_variable):
    """Called before a new variable is stored (raising refuses it)."""
    del record, from_get_variable

  def check_new_layer(self, key):
    """Called before ``get_or_create_layer`` makes a new layer (raising refuses it)."""
    del key

  def on_new_layer(self, key, layer):
    """Called when ``get_or_create_layer`` has made ``layer``, before it is stored."""
    del key, layer

  def on_regularization_loss(self, loss):
    """Called when TF1 code adds ``loss`` to the pass's ``REGULARIZATION_LOSSES``.

    Not called for the losses of ``get_variable`` regularizers, which owners
    see through :meth:`on_new_variable`.
    """
    del loss

  def present(self, variable):
    """What ``get_variable`` returns to TF1 code for ``variable``."""
    return variable

  def exported(self, variable):
    """The object ``variables_by_name`` gives for ``variable``, or None to leave it out."""
    return variable
