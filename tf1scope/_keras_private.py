"""Every use of Keras 3 private APIs in tf1scope lives in this module.

A Keras 3 layer has no public way to take a variable that was created
elsewhere, to add state after it is built, or to list its sublayers; tf1scope
needs all three for the variables TF1 code creates in a pass. Each function
here names the one Keras internal it relies on, and
``tests/test_keras_private.py`` pins that behaviour, so that a Keras upgrade
that changes one of them fails there, loudly.

Keras is imported on first use only, so ``import tf1scope`` never imports it.
"""

import contextlib


def _global_state():
  from keras.src.backend.common import global_state  # pylint: disable=g-import-not-at-top
  return global_state


@contextlib.contextmanager
def state_unlocked(layer):
  """Lets ``layer`` take new variables and sublayers although it is built.

  Keras locks a layer's tracker (``layer._tracker``) at the end of ``build``;
  ``Layer.quantize`` unlocks it the same way to add state to a built layer.
  The lock is restored, with its message, when the block ends.
  """
  tracker = layer._tracker  # pylint: disable=protected-access
  was_locked = tracker.locked
  tracker.unlock()
  try:
    yield
  finally:
    if was_locked:
      tracker.lock()


@contextlib.contextmanager
def outside_stateless_scope():
  """Suspends Keras's stateless scope (``compute_output_spec``, symbolic builds).

  In a stateless scope Keras refuses to create a variable from a value; the
  variables tf1scope wraps already exist (created eagerly), so the scope is
  lifted for the wrapping only (``global_state`` attribute ``stateless_scope``).
  """
  state = _global_state()
  scope = state.get_global_attribute("stateless_scope")
  state.set_global_attribute("stateless_scope", None)
  try:
    yield
  finally:
    state.set_global_attribute("stateless_scope", scope)


def in_call():
  """Whether a Keras 3 layer's ``__call__`` is running (``current_call_ctx``).

  Keras clears a layer's ``add_loss`` losses when the outermost call starts;
  outside a call they would pile up.
  """
  return _global_state().get_global_attribute("current_call_ctx") is not None


def in_legacy_call():
  """Whether a tf_keras layer's ``__call__`` is running (its call context)."""
  from tf_keras.src.engine import base_layer_utils  # pylint: disable=g-import-not-at-top
  return base_layer_utils.call_context().in_call


def track_variable(layer, variable):
  """Adds a ``keras.Variable`` to the layer's weights, as ``add_weight`` does."""
  layer._track_variable(variable)  # pylint: disable=protected-access


def backing_variable(keras_variable):
  """The ``tf.Variable`` a Keras variable (TF backend) reads and writes, or None.

  None while the variable's initialization is deferred (created in a
  stateless scope and not yet initialized).
  """
  return getattr(keras_variable, "_value", None)


def sublayers(layer):
  """Every layer ``layer`` tracks, recursively, without ``layer`` itself."""
  return layer._flatten_layers(include_self=False, recursive=True)  # pylint: disable=protected-access


_LOAD_GUARD = "_tf1scope_load_guard"   # set on the wrapper Layer.load_own_variables gets


def guard_load_own_variables(check):
  """Makes Keras 3's weight loading call ``check(layer, store)`` first.

  Keras's weight loading (``load_weights``, ``load_model``) calls the
  layer's ``load_own_variables`` with the layer's part of the file; ``check``
  may raise, and Keras then reports the error for that layer. The guard is
  on ``keras.layers.Layer.load_own_variables`` and on the check Keras's own
  overrides call first (``Layer._check_load_own_variables``: ``Dense``,
  ``Conv``, ``Embedding``, ... and so their subclasses), once each.
  """
  import keras  # pylint: disable=g-import-not-at-top
  layer_cls = keras.layers.Layer
  for attribute in ("load_own_variables", "_check_load_own_variables"):
    _guard_method(layer_cls, attribute, check)


def _guard_method(cls, attribute, check):
  original = getattr(cls, attribute)
  if getattr(original, _LOAD_GUARD, False):
    return

  def guarded(self, store):
    check(self, store)
    return original(self, store)
  guarded.__doc__ = original.__doc__
  guarded.__wrapped__ = original
  setattr(guarded, _LOAD_GUARD, True)
  setattr(cls, attribute, guarded)
