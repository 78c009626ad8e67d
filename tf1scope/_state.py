"""Thread-local state: the current pass frame, pushed and popped only here.

A *pass* is one outermost call of a decorated method. Its :class:`Frame`
bundles everything TF1 keeps in a graph while the model is being built: the
current variable scope, the name-scope registry, the default-name counters,
the variables touched so far and the collections. Nothing survives the pass
except what the owners' stores keep.
"""

import contextlib
import itertools
import threading


class _ThreadState(threading.local):
  frame = None      # the active Frame of this thread, or None outside a pass
  internal = 0      # > 0 while tf1scope itself calls TensorFlow


STATE = _ThreadState()


class Frame:
  """Everything one pass needs. Created at the start of a pass, dropped at its end."""

  __slots__ = (
      "stores", "scope", "name_stack", "names_in_use", "scope_counts",
      "scope_children", "journal", "journal_depth", "touched", "collections",
      "pass_id", "extras", "nodes", "tables", "hooked", "unlisted",
      "nested_stores", "name_prefix",
  )

  def __init__(self, store, root_scope, pass_id):
    registry = store.registry
    self.stores = [store]          # owner stores, innermost last
    self.tables = [registry.get_variables]  # their get_variable tables, innermost first
    self.hooked = registry.owner_hooks is not None  # any store with owner hooks?
    self.scope = root_scope        # current VariableScope
    self.name_stack = ""           # TF1 graph name stack, no trailing "/"
    self.names_in_use = {}         # lower-cased name -> use count (Graph.unique_name)
    self.scope_counts = {}         # variable scope name -> times opened (default names)
    self.scope_children = {}       # scope name -> set of child scope names ever counted
    self.journal = []              # (name, old count) undo log for captured scopes
    self.journal_depth = 0         # how many captured scopes are open
    self.touched = {}              # get_variable name -> variable, in first-touch order
    self.collections = {}          # collection key -> list (see `unlisted`)
    self.unlisted = []             # records used, not yet added to their collections
                                   # (None once TF1 code holds a collection list)
    self.pass_id = pass_id
    self.nodes = set()             # names of the variables' graph nodes in this pass
    self.extras = {}               # per-pass state of extension modules (e.g. layer name counters)
    self.nested_stores = None      # stores of nested owners called in this pass (a list), if any
    self.name_prefix = ""          # graph name scope ops of the pass go under ("x/"); see scopes.graph_prefix

  @property
  def store(self):
    return self.stores[-1]


_pass_ids = itertools.count(1)


def next_pass_id():
  return next(_pass_ids)  # atomic: itertools.count is implemented in C


class frame_scope:
  """Makes ``frame`` the active pass of this thread for the block.

  A class rather than a generator: a pass enters one on every outermost call.
  """

  __slots__ = ("_frame", "_previous")

  def __init__(self, frame):
    self._frame = frame
    self._previous = None

  def __enter__(self):
    state = STATE
    self._previous = state.frame
    state.frame = self._frame
    return self._frame

  def __exit__(self, *exc):
    state = STATE
    assert state.frame is self._frame, "tf1scope: pass frames popped out of order"
    state.frame, self._previous = self._previous, None


@contextlib.contextmanager
def owner_scope(frame, store):
  """Pushes a nested owner's store for the block (a decorated call inside a pass)."""
  hooked = frame.hooked
  if frame.nested_stores is None:
    frame.nested_stores = [store]
  elif store not in frame.nested_stores:
    frame.nested_stores.append(store)
  frame.stores.append(store)
  frame.tables.insert(0, store.registry.get_variables)
  frame.hooked = hooked or store.registry.owner_hooks is not None
  try:
    yield store
  finally:
    popped = frame.stores.pop()
    frame.tables.pop(0)
    frame.hooked = hooked
    assert popped is store, "tf1scope: owner stores popped out of order"


class internal:
  """Lets tf1scope call TensorFlow without its own hooks intercepting."""

  __slots__ = ()

  def __enter__(self):
    STATE.internal += 1

  def __exit__(self, *exc):
    STATE.internal -= 1


def active_frame():
  """The current pass frame, or None outside a pass (or inside tf1scope itself)."""
  state = STATE
  if state.internal:
    return None
  return state.frame
