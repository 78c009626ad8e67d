"""``track_tf1_style_variables``: each outermost call of a decorated method is one pass."""

import functools
import threading
import types

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope import collections_
from tf1scope import scopes
from tf1scope import store as store_lib
from tf1scope.errors import OwnerTypeError

_HANDLERS = types.SimpleNamespace(
    enter_variable_scope=scopes.enter_variable_scope,
    exit_variable_scope=scopes.exit_variable_scope,
    name_scope_v1=scopes.NameScopeV1,
    enter_name_scope_v2=scopes.enter_name_scope_v2,
    op_scope=scopes.op_scope,
    manages=collections_.manages,
    get_collection=collections_.get_collection,
    get_collection_ref=collections_.get_collection_ref,
)

_store_lock = threading.Lock()


def _owner_types():
  return (tf.Module,)


def _store_for(owner, method):
  store = owner.__dict__.get(store_lib.STORE_ATTRIBUTE) if hasattr(
      owner, "__dict__") else None
  if store is not None:
    return store
  if not isinstance(owner, _owner_types()):
    raise OwnerTypeError(
        f"@tf1scope.track_tf1_style_variables decorates methods of tf.Module "
        f"subclasses, but {method.__qualname__} was called on a "
        f"{type(owner).__name__} object. Make {type(owner).__name__} "
        "subclass tf.Module (and call super().__init__()).")
  with _store_lock:
    return store_lib.store_of(owner)


def run_in_pass(owner, method, args, kwargs):
  """Calls ``method(owner, ...)`` as a pass, or as part of the current pass."""
  state = _state.STATE
  frame = state.frame
  if frame is not None and not state.internal:
    store = _store_for(owner, method)
    if store is frame.stores[-1]:
      return method(owner, *args, **kwargs)
    with _state.owner_scope(frame, store):
      return method(owner, *args, **kwargs)
  _compat.install_hooks(_HANDLERS)
  store = _store_for(owner, method)
  frame = _state.Frame(store, scopes.root_scope(), _state.next_pass_id())
  with _state.frame_scope(frame), \
      tf.variable_creator_scope(store_lib.tf_variable_creator):
    return method(owner, *args, **kwargs)


def track_tf1_style_variables(method):
  """Runs TF1 variable-scope code in a method of a ``tf.Module`` subclass.

  Each outermost call of the decorated method is one TF1 graph-construction
  pass over a store that lives with the object: ``tf.compat.v1.get_variable``,
  ``variable_scope``, ``name_scope`` and ``tf.Variable`` behave as in TF1 graph
  mode, and the variables are created on the first call and returned on later
  calls, eagerly and inside ``tf.function``.

  >>> import tensorflow as tf
  >>> import tf1scope
  >>> class Dense(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self, x):
  ...     with tf.compat.v1.variable_scope("dense"):
  ...       w = tf.compat.v1.get_variable(
  ...           "w", [3, 2], initializer=tf.compat.v1.ones_initializer())
  ...     return tf.matmul(x, w)
  >>> layer = Dense()
  >>> layer(tf.ones([1, 3])).numpy().tolist()
  [[3.0, 3.0]]
  >>> [v.name for v in layer.variables]
  ['dense/w:0']
  >>> _ = layer(tf.ones([1, 3]))   # the second call creates nothing
  >>> len(layer.variables)
  1
  """
  @functools.wraps(method)
  def wrapper(self, *args, **kwargs):
    return run_in_pass(self, method, args, kwargs)
  wrapper.__tf1scope_method__ = method
  return wrapper
