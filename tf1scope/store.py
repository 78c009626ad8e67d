"""The per-owner variable store: what survives from one pass to the next.

A :class:`VariableStore` is a ``tf.Module`` attached to the owner, so the
owner's ``variables``, checkpoints and SavedModels include everything TF1 code
created in its passes. Lookups go through a plain registry (no tracking
wrappers on the hot path); creation also records the variable in a tracked
table keyed by its TF1 name, which checkpoints see as a dict attribute
(``_tf1scope_store/tf1_variables/<TF1 name>``) and which grows in O(1).
"""

import itertools
import threading

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope import naming
from tf1scope import scopes

GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES
TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
LOCAL = tf.compat.v1.GraphKeys.LOCAL_VARIABLES
REGULARIZATION_LOSSES = tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES

_creation_order = itertools.count()

STORE_ATTRIBUTE = "_tf1scope_store"


class Record:
  """One stored variable and what TF1 recorded about it at creation."""

  __slots__ = ("variable", "collections", "regularizer", "seq", "checked",
               "lower_name", "pass_id", "restored")

  def __init__(self, variable, collections, regularizer, name, pass_id=None):
    self.variable = variable
    self.lower_name = name.lower()   # its key in the pass's name registry
    self.collections = collections
    self.regularizer = regularizer
    self.checked = set()   # get_variable argument keys that passed TF1's checks
    self.seq = next(_creation_order)  # atomic: itertools.count is implemented in C
    self.pass_id = pass_id   # the pass that created it
    self.restored = False    # given a checkpointed value when it was created


class _Registry:
  """Untracked lookup tables (so tf.Module does not walk them)."""

  __slots__ = ("get_variables", "tf_variables", "layers", "partitioned", "lock",
               "owner_hooks")

  def __init__(self):
    self.get_variables = {}   # get_variable name -> Record
    self.tf_variables = {}    # tf.Variable TF1 name -> Record
    self.layers = {}          # scope path -> object made by get_or_create_layer
    self.partitioned = {}     # get_variable name -> PartitionedVariable over its shards
    self.lock = threading.RLock()
    self.owner_hooks = None   # tf1scope.owner_hooks.OwnerHooks of the owner, or None


class VariableStore(tf.Module):
  """Holds the variables and layers that TF1 code created for one owner."""

  def __init__(self):
    super().__init__(name="tf1scope_store")
    self._registry = _Registry()
    # Tracked as dict attributes were (same checkpoint keys, same order in
    # `variables`), but without the O(len) copy TF's dict wrapper makes per insert.
    self.tf1_variables = _compat.TrackedTable()   # TF1 name -> variable
    self.tf1_layers = _compat.TrackedTable()      # scope path -> layer

  @property
  def registry(self):
    return self._registry

  def records(self):
    """Every record, in creation order."""
    reg = self._registry
    recs = list(reg.get_variables.values()) + list(reg.tf_variables.values())
    recs.sort(key=lambda r: r.seq)
    return recs

  def add(self, table, key, variable, collections, regularizer=None):
    frame = _state.STATE.frame
    record = Record(variable, collections, regularizer, key,
                    frame.pass_id if frame is not None else None)
    hooks = self._registry.owner_hooks
    if hooks is not None:  # may refuse (raise) before anything is stored
      hooks.on_new_variable(record, table is self._registry.get_variables)
    table[key] = record
    name = variable.name[:-2] if variable.name.endswith(":0") else variable.name
    tracked = self.tf1_variables
    record.restored = tracked.restores_on_add(name)
    tracked[name] = variable
    return record


def present(frame, variable):
  """``variable`` as the owner that stores it presents it to TF1 code.

  Only owners with hooks (``tf1scope.owner_hooks.OwnerHooks``, e.g. Keras
  layers under a mixed-precision policy) present anything but the variable.
  """
  if not frame.hooked:
    return variable
  for store in reversed(frame.stores):
    hooks = store.registry.owner_hooks
    if hooks is not None:
      presented = hooks.present(variable)
      if presented is not variable:
        return presented
  return variable


def store_of(owner, create=True):
  """The owner's store, attached on first use."""
  store = owner.__dict__.get(STORE_ATTRIBUTE)
  if store is None and create:
    store = VariableStore()
    setattr(owner, STORE_ATTRIBUTE, store)
  return store


def find(frame, table_name, key):
  """Looks ``key`` up in the pass's owner stores, innermost first."""
  if table_name == "get_variables":
    for table in frame.tables:
      record = table.get(key)
      if record is not None:
        return record
    return None
  for store in reversed(frame.stores):
    record = getattr(store.registry, table_name).get(key)
    if record is not None:
      return record
  return None


def touch(frame, name, record):
  """First use of a variable in this pass: what TF1 did when it created it.

  Adding the variable to its collections waits until a collection of the
  pass is read or written (:func:`list_touched`), so the order is TF1's; once
  TF1 code holds a collection list itself, it is added at once.
  """
  regularizer = record.regularizer
  unlisted = frame.unlisted
  if regularizer is None and unlisted is not None:
    unlisted.append(record)
    return
  list_touched(frame)
  collections = frame.collections
  _add_to_collections(collections, record)
  if regularizer is not None:
    # TF1 builds the loss in the absolute name scope "<name>/Regularizer/".
    with scopes.name_scope(frame, name + "/Regularizer/"):
      loss = regularizer(record.variable)
    if loss is not None:
      collections.setdefault(REGULARIZATION_LOSSES, []).append(loss)


def list_touched(frame):
  """Adds the variables used so far in the pass to their collections, in order."""
  unlisted = frame.unlisted
  if unlisted:  # neither empty nor None
    collections = frame.collections
    for record in unlisted:
      _add_to_collections(collections, record)
    unlisted.clear()


def _add_to_collections(collections, record):
  variable = record.variable
  for key in record.collections:
    lst = collections.get(key)
    if lst is None:
      collections[key] = [variable]
    else:
      lst.append(variable)


def default_collections(collections, trainable):
  """TF1's collection list for a new variable."""
  collections = list(collections) if collections is not None else [GLOBAL]
  if trainable and TRAINABLE not in collections:
    collections.append(TRAINABLE)
  seen = set()
  out = []
  for key in collections:
    if key not in seen:
      seen.add(key)
      out.append(key)
  return tuple(out)


def create_variable(initial_value, name, **kwargs):
  """Creates a ``tf.Variable`` named exactly ``name``, outside any tf.function graph.

  A symbolic initial value (a tensor of the tf.function being traced) cannot
  leave its graph, so such variables are created in the graph and lifted by
  ``tf.function`` itself, which allows it on the first trace only.

  ``caching_device`` is dropped: in TF1 it only places graph-mode reads, but
  an eager variable given one caches a single read at creation and returns it
  from every later read (and rejects device functions).
  """
  kwargs.pop("caching_device", None)
  symbolic = (not callable(initial_value) and
              _compat.is_symbolic_tensor(initial_value))
  with _state.internal():
    if symbolic:
      with _compat.real_name_scope(""):
        return tf.Variable(initial_value, name=name, **kwargs)
    if not _compat.building_function():  # eager: TF's own init_scope suffices
      with _compat.real_name_scope(""):
        return tf.Variable(initial_value, name=name, **kwargs)
    # Created eagerly under init_scope: tf.function need not lift it, so its
    # capturing creator is skipped (other creators, e.g. a distribution
    # strategy's, still apply) and no retrace follows the first trace.
    with tf.init_scope(), _compat.real_name_scope(""):
      return tf.Variable(initial_value, name=name,
                         experimental_enable_variable_lifting=False, **kwargs)


# --- tf.Variable inside a pass --------------------------------------------------

_V1_ONLY = ("collections", "use_resource", "expected_shape", "import_scope",
            "variable_def", "distribute_strategy",
            "experimental_enable_variable_lifting")


def tf_variable_creator(next_creator, **kwargs):
  """Variable creator active during a pass: tracks ``tf.Variable(...)`` calls."""
  frame = _state.active_frame()
  if frame is None or kwargs.get("variable_def") is not None:
    return next_creator(**kwargs)
  name = kwargs.get("name")
  full, _ = naming.enter_name_scope(frame.names_in_use, frame.name_stack,
                                    name if name else "Variable")
  naming.claim_node(frame.nodes, full)
  record = find(frame, "tf_variables", full)
  if record is None:
    store = frame.store
    with store.registry.lock:
      record = store.registry.tf_variables.get(full)
      if record is None:
        synchronization, aggregation, trainable = (
            _compat.validate_synchronization_aggregation_trainable(
                kwargs.get("synchronization"), kwargs.get("aggregation"),
                kwargs.get("trainable"), full))
        collections = default_collections(kwargs.get("collections"), trainable)
        create_kwargs = {k: v for k, v in kwargs.items()
                         if k not in _V1_ONLY and k not in ("name", "initial_value")}
        create_kwargs.update(synchronization=synchronization,
                             aggregation=aggregation, trainable=trainable)
        variable = create_variable(kwargs.get("initial_value"), full,
                                   **create_kwargs)
        record = store.add(store.registry.tf_variables, full, variable,
                           collections)
  touch(frame, full, record)
  return record.variable
