"""Keras layers and models as owners of TF1-style variables.

A decorated method of a Keras layer runs the same pass as for a ``tf.Module``:
TF1 code creates its variables through the same store, with the same TF1
names and initial values. What a Keras layer adds is kept here:

* **Weights.** Keras 3 (``keras.layers.Layer``, ``keras.Model``): each new
  ``tf.Variable`` is wrapped, not copied, in a ``keras.Variable`` that the
  layer tracks as ``add_weight`` does, so ``weights``, ``trainable_weights``,
  ``non_trainable_weights``, optimizers, ``fit``, ``summary()`` and ``.keras``
  files see it. Its Keras name is the last part of the TF1 name (Keras names
  cannot contain "/") and its ``path`` is ``<layer path>/<TF1 name>``.
  tf_keras layers are ``tf.Module`` objects and already see the store's
  variables.
* **What TF1 code sees.** ``get_variable`` returns the ``tf.Variable`` itself
  (``name`` is the TF1 name), except under a mixed-precision policy
  (``compute_dtype != variable_dtype``), where it returns the
  ``keras.Variable``: float32 storage, read in the compute dtype inside the
  layer's call, as Keras layers do.
* **Losses.** A variable's TF1 regularizer becomes the Keras weight's
  regularizer, so ``layer.losses`` and ``model.losses`` (and ``fit``) include
  it; tf_keras layers get it through ``add_loss``. What else TF1 code adds to
  ``REGULARIZATION_LOSSES`` during a Keras call (a ``tf1scope.layers``
  activity regularizer, a hand-made weight decay) is added with ``add_loss``,
  so it is in that call's ``losses`` as Keras's own activity losses are.
* **Build lock.** Keras refuses new state once a layer is built. Each
  decorated method of a Keras owner may create variables (and layers through
  ``get_or_create_layer``) in its first call, which Keras makes while building
  (on ``keras.Input``, in ``fit``'s symbolic build, or on the first eager
  call); that call lifts the lock for the state it adds. A later call that
  would create something raises :class:`~tf1scope.errors.StateAfterBuildError`.
* **Weights files.** Loading Keras weights into a layer whose decorated
  methods have not run yet is refused with a clear error
  (:func:`check_load`, also for subclasses of Keras layers such as
  ``Dense`` that load a fixed list of weights): its TF1-style variables do
  not exist, and Keras would drop the file's values without a word.

A layer type is recognized only if its package is already loaded; this module
imports Keras only to wrap variables of a Keras 3 owner.
"""

import contextlib
import functools
import sys
import threading
import weakref

import tensorflow as tf

from tf1scope import _state
from tf1scope.errors import StateAfterBuildError
from tf1scope.owner_hooks import OwnerHooks

LAYERS_ATTRIBUTE = "_tf1scope_layers"   # Keras 3: dict of get_or_create_layer layers

_AGGREGATION = {
    tf.VariableAggregation.NONE: "none",
    tf.VariableAggregation.SUM: "sum",
    tf.VariableAggregation.MEAN: "mean",
    tf.VariableAggregation.ONLY_FIRST_REPLICA: "only_first_replica",
}
_SYNCHRONIZATION = {
    tf.VariableSynchronization.AUTO: "auto",
    tf.VariableSynchronization.NONE: "none",
    tf.VariableSynchronization.ON_WRITE: "on_write",
    tf.VariableSynchronization.ON_READ: "on_read",
}


def _keras3():
  """The Keras 3 package if it is loaded, else None."""
  keras = sys.modules.get("keras")
  version = getattr(keras, "__version__", "0")
  try:
    major = int(version.split(".")[0])
  except ValueError:
    return None
  return keras if major >= 3 else None


def _tf_keras():
  return sys.modules.get("tf_keras")


def layer_types():
  """The Keras layer base classes that are loaded (tf_keras layers are tf.Modules)."""
  keras = _keras3()
  return (keras.layers.Layer,) if keras is not None else ()


def hooks_for(owner):
  """The hooks a Keras owner needs, or None for any other owner."""
  keras = _keras3()
  if keras is not None and isinstance(owner, keras.layers.Layer):
    install_load_guard()
    return KerasLayerHooks(owner)
  tf_keras = _tf_keras()
  if tf_keras is not None and isinstance(owner, tf_keras.layers.Layer):
    return LegacyLayerHooks(owner)
  return None


# --- Loading Keras weights into a layer that has not run its TF1 code ---------

_install_lock = threading.Lock()
_guard_installed = False
_tf1_classes = weakref.WeakKeyDictionary()   # layer class -> has decorated methods
_refused = weakref.WeakKeyDictionary()       # layer -> weights its file part held


def install_load_guard():
  """Guards Keras 3 weight loading once Keras 3 is loaded (see :func:`check_load`)."""
  global _guard_installed
  if _guard_installed or _keras3() is None:
    return
  from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
  with _install_lock:
    if not _guard_installed:
      private.guard_load_own_variables(check_load)
      _guard_installed = True


def _has_tf1_methods(cls):
  known = _tf1_classes.get(cls)
  if known is None:
    known = any(getattr(value, "__tf1scope_method__", None) is not None
                for klass in cls.__mro__ for value in vars(klass).values())
    _tf1_classes[cls] = known
  return known


def awaits_first_call(layer):
  """Whether ``layer`` has decorated methods and none of them has completed a call."""
  if not _has_tf1_methods(type(layer)):
    return False
  from tf1scope import store as store_lib  # pylint: disable=g-import-not-at-top
  store = layer.__dict__.get(store_lib.STORE_ATTRIBUTE)
  if store is None:
    return True
  hooks = store.registry.owner_hooks
  return hooks is not None and not hooks.has_run() and not store.records()


def check_load(layer, store):
  """Refuses Keras weights for a layer whose TF1-style variables do not exist yet.

  Keras would otherwise report success: it visits a layer once per path
  that reaches it (an attribute, then ``layers``), and a later path with
  nothing to load forgives an earlier failure, so the weights in the file
  would be dropped and the first call would create fresh ones. The refusal
  is repeated on every path, with the count from the file.
  """
  if not awaits_first_call(layer):
    return
  count = len(store.keys()) if store is not None else 0
  count = count or _refused.get(layer, 0)
  if not count:
    return
  _refused[layer] = count
  cls = type(layer).__name__
  methods = sorted({
      f"{cls}.{method.__name__}" for klass in type(layer).__mro__
      for value in vars(klass).values()
      for method in [getattr(value, "__tf1scope_method__", None)]
      if method is not None})
  raise ValueError(
      f"Layer '{layer.name}' has not created its TF1-style variables yet, so "
      f"the {count} weights the file holds for it cannot be loaded. tf1scope "
      f"creates them in the first call of {' or '.join(methods)} (build() "
      "alone runs no TF1 code): call the model once, on data or on "
      "keras.Input, then load the weights.")


def _tf1_name(variable):
  name = variable.name
  return name[:-2] if name.endswith(":0") else name


class _Calls(threading.local):
  """One thread's decorated calls of a layer."""

  def __init__(self):
    super().__init__()
    self.names = []     # qualified names of the decorated calls in progress
    self.open = 0       # first calls in progress: they may create state
    self.pending = []   # records of tf.Variable(...) calls, adopted when the first call ends


class _LayerHooks(OwnerHooks):
  """The build lock and losses shared by Keras 3 and tf_keras layers."""

  def __init__(self, layer):
    self._layer = weakref.ref(layer)
    self._completed = set()   # decorated methods whose first call completed
    self._hidden = set()      # ids of tf.Variables that back a Keras sublayer's weights
    self._local = _Calls()    # this thread's decorated calls of the layer

  @property
  def layer(self):
    return self._layer()

  def has_run(self):
    """Whether a decorated method of the layer has completed its first call."""
    return bool(self._completed)

  @contextlib.contextmanager
  def calling(self, method):
    calls = self._local
    calls.names.append(method.__qualname__)
    try:
      if method in self._completed:
        yield
        return
      calls.open += 1
      try:
        yield
      finally:
        calls.open -= 1
        if not calls.open:
          pending, calls.pending = calls.pending, []
          self._adopt_pending(pending)
      self._completed.add(method)
    finally:
      calls.names.pop()

  def _refuse(self, what):
    layer = self.layer
    names = self._local.names
    caller = names[-1] if names else "a decorated method"
    raise StateAfterBuildError(
        f"{caller} tried to create {what} after Keras built layer "
        f"'{getattr(layer, 'name', '?')}'. A Keras layer gets all its state "
        "when it is built, so tf1scope creates the TF1-style variables of a "
        "decorated method in its first call only. Create every variable in "
        "that first call: do not make variable creation depend on `training` "
        "or on other arguments that change between calls, and create Keras "
        "layers with tf1scope.get_or_create_layer rather than anew in each "
        "call.")

  def on_new_variable(self, record, from_get_variable):
    if not self._local.open:
      self._refuse(f"the variable '{_tf1_name(record.variable)}'")
    if from_get_variable:
      self._adopt(record)
    else:
      # Possibly a Keras layer's own variable (created by keras.Variable):
      # decided when the first call ends and its sublayers are known.
      self._local.pending.append(record)

  def check_new_layer(self, key):
    if not self._local.open:
      self._refuse(f"the layer '{key}' (tf1scope.get_or_create_layer)")

  def on_new_layer(self, key, layer):
    self._track_layer(key, layer)

  def exported(self, variable):
    if id(variable) in self._hidden:
      return None
    return variable

  def on_regularization_loss(self, loss):
    # Keras clears add_loss losses when a call starts; outside a call (a
    # decorated method called directly) they would pile up, so they are kept
    # in the pass's collection only.
    if not self._in_call():
      return
    try:
      loss = tf.convert_to_tensor(loss)
    except (TypeError, ValueError):
      return  # TF1 does not check what is added to a collection either
    self.layer.add_loss(loss)

  def _adopt_pending(self, pending):
    if not pending:
      return
    backing = self._sublayer_variables()
    for record in pending:
      if id(record.variable) in backing:
        self._hidden.add(id(record.variable))
      else:
        self._adopt(record)

  # Owner-type specific.
  def _adopt(self, record):
    raise NotImplementedError

  def _track_layer(self, key, layer):
    raise NotImplementedError

  def _sublayer_variables(self):
    raise NotImplementedError

  def _in_call(self):
    raise NotImplementedError


class KerasLayerHooks(_LayerHooks):
  """Keras 3: ``keras.Variable`` weights wrapping the store's variables."""

  def __init__(self, layer):
    super().__init__(layer)
    self._keras = {}   # id(tf.Variable) -> keras.Variable

  def prepare(self, owner):
    setattr(owner, LAYERS_ATTRIBUTE, {})  # tracked by Keras: sublayers, .keras files

  def root_dtype(self):
    dtype = tf.as_dtype(self.layer.variable_dtype)
    return None if dtype == tf.float32 else dtype

  def present(self, variable):
    keras_variable = self._keras.get(id(variable))
    if keras_variable is None:
      return variable
    layer = self.layer
    if layer.compute_dtype == layer.variable_dtype or not variable.dtype.is_floating:
      return variable
    return keras_variable

  def exported(self, variable):
    if id(variable) in self._hidden:
      return None
    return self._keras.get(id(variable), variable)

  def _adopt(self, record):
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    layer = self.layer
    variable = record.variable
    keras_variable = self._wrap(layer, variable)
    if record.regularizer is not None:
      keras_variable.regularizer = _Regularizer(record.regularizer, variable,
                                                keras_variable)
    if getattr(variable, "constraint", None) is not None:
      keras_variable.constraint = variable.constraint
    with private.state_unlocked(layer):
      private.track_variable(layer, keras_variable)
    self._keras[id(variable)] = keras_variable

  @staticmethod
  def _wrap(layer, variable):
    """A ``keras.Variable`` over ``variable`` itself, at path ``<layer>/<TF1 name>``."""
    import keras  # pylint: disable=g-import-not-at-top
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    parent = layer.path or layer.name
    parts = [p for p in (parent + "/" + _tf1_name(variable)).split("/") if p]
    with contextlib.ExitStack() as stack:
      stack.enter_context(_state.internal())
      stack.enter_context(tf.init_scope())
      stack.enter_context(private.outside_stateless_scope())
      if len(parts) > 1:
        stack.enter_context(keras.name_scope(
            parts[-2], override_parent="/".join(parts[:-2]),
            deduplicate=False))
      return keras.Variable(
          initializer=variable, dtype=variable.dtype.base_dtype.name,
          trainable=variable.trainable, autocast=True,
          aggregation=_AGGREGATION.get(variable.aggregation, "none"),
          synchronization=_SYNCHRONIZATION.get(variable.synchronization,
                                               "auto"),
          name=parts[-1])

  def _track_layer(self, key, layer):
    import keras  # pylint: disable=g-import-not-at-top
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    if not isinstance(layer, keras.layers.Layer):
      return
    owner = self.layer
    with private.state_unlocked(owner):
      getattr(owner, LAYERS_ATTRIBUTE)[key] = layer

  def _in_call(self):
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    return private.in_call()

  def _sublayer_variables(self):
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    ids = set()
    for sublayer in private.sublayers(self.layer):
      for weight in sublayer.variables:
        backing = private.backing_variable(weight)
        if backing is not None:
          ids.add(id(backing))
    return ids


class _Regularizer:
  """A TF1 regularizer as a Keras weight regularizer (called with the weight)."""

  def __init__(self, regularizer, variable, keras_variable):
    self._regularizer = regularizer
    self._variable = variable
    self._keras_variable = keras_variable

  def __call__(self, value):
    # Keras passes the weight itself, or its value inside a stateless scope.
    if value is self._keras_variable:
      value = self._variable
    return self._regularizer(value)


class LegacyLayerHooks(_LayerHooks):
  """tf_keras: the layer already sees the store's variables (a tf.Module it tracks)."""

  def _adopt(self, record):
    if record.regularizer is not None:
      self.layer.add_loss(functools.partial(record.regularizer, record.variable))

  def __init__(self, layer):
    super().__init__(layer)
    self._layer_count = 0

  def _track_layer(self, key, layer):
    del key
    if isinstance(layer, _tf_keras().layers.Layer):
      # An attribute per layer: tf_keras tracks layers assigned to attributes.
      setattr(self.layer, "_tf1scope_layer_%d" % self._layer_count, layer)
      self._layer_count += 1

  def _in_call(self):
    from tf1scope import _keras_private as private  # pylint: disable=g-import-not-at-top
    return private.in_legacy_call()

  def _sublayer_variables(self):
    tf_keras = _tf_keras()
    ids = set()
    for module in self.layer.submodules:
      if isinstance(module, tf_keras.layers.Layer):
        ids.update(id(w) for w in module.weights)
    return ids
