"""TF1 collections inside a pass.

Inside a pass every string-keyed collection of the eager context's graph or of
a ``tf.function`` graph is the pass's own: ``tf.compat.v1.global_variables()``,
``get_collection(UPDATE_OPS)``, ``losses.get_regularization_losses()`` and
``add_to_collection`` all see what this pass has built, in TF1's order.
Collections under tuple keys are TensorFlow's own bookkeeping and are left alone.
What TF1 code adds to ``REGULARIZATION_LOSSES`` is also handed to the owner's
hooks (a Keras layer makes it one of its losses).
"""

import re

from tf1scope import store

REGULARIZATION_LOSSES = store.REGULARIZATION_LOSSES


def manages(graph, name):
  del graph
  return isinstance(name, str)


def get_collection(frame, name, scope=None):
  store.list_touched(frame)
  collection = frame.collections.get(name)
  if collection is None:
    return []
  if scope is None:
    return list(collection)
  regex = re.compile(scope)
  out = []
  for item in collection:
    try:
      if regex.match(item.name):
        out.append(item)
    except AttributeError:
      pass
  return out


def get_collection_ref(frame, name):
  """The pass's list for ``name``, which the caller may keep and read later."""
  collection = _collection(frame, name)
  frame.unlisted = None  # from now on, collections are kept current
  return collection


def add_to_collection(frame, name, value):
  _collection(frame, name).append(value)
  if name == REGULARIZATION_LOSSES and frame.hooked:
    # E.g. an activity regularizer or a hand-made weight decay: the nearest
    # owner with hooks (a Keras layer) makes it one of its losses.
    for owner_store in reversed(frame.stores):
      hooks = owner_store.registry.owner_hooks
      if hooks is not None:
        hooks.on_regularization_loss(value)
        return


def _collection(frame, name):
  store.list_touched(frame)
  collection = frame.collections.get(name)
  if collection is None:
    collection = frame.collections[name] = []
  return collection
