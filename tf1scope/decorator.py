"""``track_tf1_style_variables``: each outermost call of a decorated method is one pass."""

import contextlib
import functools
import inspect
import threading
import types

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope import checkpoints
from tf1scope import collections_
from tf1scope import keras_owner
from tf1scope import loops
from tf1scope import moving_averages
from tf1scope import scopes
from tf1scope import store as store_lib
from tf1scope import templates
from tf1scope.errors import OwnerTypeError

_HANDLERS = types.SimpleNamespace(
    get_variable=scopes.get_variable,
    enter_variable_scope=scopes.enter_variable_scope,
    exit_variable_scope=scopes.exit_variable_scope,
    name_scope_v1=scopes.NameScopeV1,
    enter_name_scope_v2=scopes.enter_name_scope_v2,
    op_scope=scopes.op_scope,
    manages=collections_.manages,
    get_collection=collections_.get_collection,
    get_collection_ref=collections_.get_collection_ref,
    add_to_collection=collections_.add_to_collection,
    variable_store=checkpoints.variable_store,
    set_checkpoint_initializer=checkpoints.set_checkpoint_initializer,
    make_template=templates.make_template,
    call_template=templates.call_template,
    zero_debias=moving_averages.zero_debias,
    variables_to_restore=moving_averages.variables_to_restore,
    warm_start_var_with_vocab=checkpoints.warm_start_var_with_vocab,
    eager_while_loop=loops.run_once,
)

_store_lock = threading.Lock()


def _owner_types():
  return (tf.Module,) + keras_owner.layer_types()


def _store_for(owner, method):
  store = owner.__dict__.get(store_lib.STORE_ATTRIBUTE) if hasattr(
      owner, "__dict__") else None
  if store is not None:
    return store
  if not isinstance(owner, _owner_types()):
    name = type(owner).__name__
    raise OwnerTypeError(
        f"@tf1scope.track_tf1_style_variables decorates methods of "
        f"tf.Module, keras.layers.Layer or keras.Model subclasses (tf_keras "
        f"layers included), but {method.__qualname__} was called on a {name} "
        f"object. Make {name} subclass one of them (and call "
        "super().__init__()).")
  with _store_lock:
    store = owner.__dict__.get(store_lib.STORE_ATTRIBUTE)
    if store is not None:
      return store
    hooks = keras_owner.hooks_for(owner)
    if hooks is None:
      return store_lib.store_of(owner)
    store = store_lib.VariableStore()
    store.registry.owner_hooks = hooks
    hooks.prepare(owner)
    setattr(owner, store_lib.STORE_ATTRIBUTE, store)
    return store


_NO_OWNER_CONTEXT = contextlib.nullcontext()  # stateless, so shared


def _calling(store, method):
  """The owner's context for one call of a decorated method (Keras: the build lock)."""
  hooks = store.registry.owner_hooks
  if hooks is None:
    return _NO_OWNER_CONTEXT
  return hooks.calling(method)


def _root_scope(store):
  scope = scopes.root_scope()
  hooks = store.registry.owner_hooks
  dtype = hooks.root_dtype() if hooks is not None else None
  if dtype is not None:
    scope.set_dtype(dtype)
  return scope


_STATE = _state.STATE
_CREATOR = store_lib.tf_variable_creator


def _new_pass(owner, method):
  """(the method to call, the owner's store, a fresh frame) for an outermost call."""
  _compat.install_hooks(_HANDLERS)
  store = _store_for(owner, method)
  fn = _compat.converted_for_caller(method)
  frame = _state.Frame(store, _root_scope(store), _state.next_pass_id())
  frame.name_prefix = scopes.graph_prefix()
  frame.nodes = _compat.graph_node_names(frame.name_prefix)
  return fn, store, frame


def _run_nested(owner, method, args, kwargs):
  """A decorated call inside a pass: part of it, with the owner's store innermost."""
  frame = _STATE.frame
  fn = _compat.converted_for_caller(method)
  store = _store_for(owner, fn)
  with _calling(store, fn):
    if store is frame.stores[-1]:
      return fn(owner, *args, **kwargs)
    with _state.owner_scope(frame, store):
      return fn(owner, *args, **kwargs)


_compat.exclude_from_autograph("tf1scope")


def track_tf1_style_variables(method):
  """Runs TF1 variable-scope code in a method of a ``tf.Module`` or Keras layer.

  Each outermost call of the decorated method is one TF1 graph-construction
  pass over a store that lives with the object: ``tf.compat.v1.get_variable``,
  ``variable_scope``, ``name_scope`` and ``tf.Variable`` behave as in TF1 graph
  mode, and the variables are created on the first call and returned on later
  calls, eagerly and inside ``tf.function``.

  On a Keras layer or model (Keras 3, or tf_keras) the variables are also its
  weights and their regularizers its losses; see ``tf1scope.keras_owner``.

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
    # Eagerly, TensorFlow records the Python stack of every op it runs, and a
    # frame costs more the further into its function it has got. This frame
    # stays on the stack while the method runs, so the method is called in as
    # few instructions as possible (each outermost call is a new pass).
    state = _STATE
    if state.frame is None or state.internal:
      fn, store, frame = _new_pass(self, method)
      with _calling(store, fn), _state.frame_scope(frame), \
          _compat.variable_creator(_CREATOR):
        return fn(self, *args, **kwargs)
    return _run_nested(self, method, args, kwargs)
  wrapper.__tf1scope_method__ = method
  # A Keras layer class is defined after Keras is imported, and may load
  # weights before any call: guard that now.
  keras_owner.install_load_guard()
  # Converting this wrapper (on every first trace) is never needed:
  # it converts the method itself when the caller has autograph on.
  _compat.never_convert(wrapper)
  # Keras (inspect.signature) and tf_keras (getfullargspec) read call's
  # signature to decide which arguments, e.g. `training`, to pass.
  try:
    wrapper.__signature__ = inspect.signature(method)
  except (TypeError, ValueError):
    pass
  return wrapper
