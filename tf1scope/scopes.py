"""TF1 variable scopes and name scopes inside a pass.

Everything here follows ``tensorflow/python/ops/variable_scope.py`` and
``tf.Graph.name_scope`` in graph mode, but keeps its state in the pass
:class:`~tf1scope._state.Frame` instead of a graph, so it works eagerly and
inside ``tf.function``.
"""

import contextlib
import operator
import weakref

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope import naming
from tf1scope.errors import NotInPassError

_AUTO = tf.VariableSynchronization.AUTO
_NONE = tf.compat.v1.VariableAggregation.NONE


class VariableScope(_compat.TFVariableScope):
  """The scope object TF1 code sees inside a pass (``tf.compat.v1.get_variable_scope()``).

  It is a ``tf.compat.v1.VariableScope``, so ``isinstance`` checks in TF1 code
  hold, but it keeps TF1 graph semantics: ``reuse`` is what TF1 reports
  (never forced to AUTO_REUSE) and ``caching_device`` is allowed.
  """

  def __init__(self, reuse, name="", initializer=None, regularizer=None,
               caching_device=None, partitioner=None, custom_getter=None,
               name_scope="", dtype=tf.float32, use_resource=None,
               constraint=None):
    # TF's __init__ forces eager defaults; this one keeps graph semantics.
    self._name = name
    self._initializer = initializer
    self._regularizer = regularizer
    self._reuse = reuse
    self._caching_device = caching_device
    self._partitioner = partitioner
    self._custom_getter = custom_getter
    self._name_scope = name_scope
    self._dtype = dtype
    self._use_resource = use_resource
    self._constraint = constraint

  name = property(lambda self: self._name)
  original_name_scope = property(lambda self: self._name_scope)
  reuse = property(lambda self: self._reuse)
  initializer = property(lambda self: self._initializer)
  dtype = property(lambda self: self._dtype)
  use_resource = property(lambda self: self._use_resource)
  regularizer = property(lambda self: self._regularizer)
  caching_device = property(lambda self: self._caching_device)
  partitioner = property(lambda self: self._partitioner)
  custom_getter = property(lambda self: self._custom_getter)
  constraint = property(lambda self: self._constraint)

  def reuse_variables(self):
    self._reuse = True

  def set_initializer(self, initializer):
    self._initializer = initializer

  def set_dtype(self, dtype):
    self._dtype = dtype

  def set_use_resource(self, use_resource):
    self._use_resource = use_resource

  def set_regularizer(self, regularizer):
    self._regularizer = regularizer

  def set_caching_device(self, caching_device):
    self._caching_device = caching_device

  def set_partitioner(self, partitioner):
    self._partitioner = partitioner

  def set_custom_getter(self, custom_getter):
    self._custom_getter = custom_getter

  def get_collection(self, name):
    scope = self._name + "/" if self._name else ""
    return tf.compat.v1.get_collection(name, scope)

  def trainable_variables(self):
    return self.get_collection(tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES)

  def global_variables(self):
    return self.get_collection(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)

  def local_variables(self):
    return self.get_collection(tf.compat.v1.GraphKeys.LOCAL_VARIABLES)

  def get_variable(self, var_store, name, shape=None, dtype=None,
                   initializer=None, regularizer=None, reuse=None,
                   trainable=None, collections=None, caching_device=None,
                   partitioner=None, validate_shape=True, use_resource=None,
                   custom_getter=None, constraint=None,
                   synchronization=tf.VariableSynchronization.AUTO,
                   aggregation=tf.compat.v1.VariableAggregation.NONE):
    """TF1's ``VariableScope.get_variable``: applies this scope's defaults."""
    del var_store  # the pass's stores are used instead
    frame = _state.STATE.frame
    if frame is None:
      raise NotInPassError(
          f"get_variable('{name}') was called on a tf1scope VariableScope "
          "outside a pass. Call it inside a method decorated with "
          "@tf1scope.track_tf1_style_variables.")
    if regularizer is None:
      regularizer = self._regularizer
    if caching_device is None:
      caching_device = self._caching_device
    if partitioner is None:
      partitioner = self._partitioner
    if custom_getter is None:
      custom_getter = self._custom_getter
    if reuse is None:
      reuse = self._reuse
    if use_resource is None:
      use_resource = self._use_resource
    full_name = self._name + "/" + name if self._name else name
    if (dtype is not None and initializer is not None and
        not callable(initializer)):
      init_dtype = tf.convert_to_tensor(initializer).dtype.base_dtype
      if init_dtype != dtype:
        raise ValueError("Initializer type '%s' and explicit dtype '%s' "
                         "don't match." % (init_dtype, dtype))
    if initializer is None:
      initializer = self._initializer
    if constraint is None:
      constraint = self._constraint
    if dtype is None:
      dtype = self._dtype
    key = None
    if (custom_getter is None and partitioner is None and
        synchronization is _AUTO and aggregation is _NONE):
      variable, key = getter.lookup(frame, full_name, shape, dtype,
                                    initializer, reuse)
      if variable is not None:
        return variable
    # Like TF1, variables are made outside the current name scope, so that
    # custom getters and initializers name their ops from the root.
    _, token = push_name_scope(frame, None)
    try:
      variable = getter.get_variable(
          frame, full_name, shape, dtype, initializer, regularizer, reuse,
          trainable, collections, caching_device, partitioner, validate_shape,
          use_resource, custom_getter, constraint, synchronization,
          aggregation)
    finally:
      pop_name_scope(frame, token)
    if key is not None:
      getter.remember(frame, full_name, key)
    return variable


_ROOT_ATTRIBUTES = dict(VariableScope(False).__dict__)


def get_variable(frame, name, shape=None, dtype=None, initializer=None,
                 regularizer=None, trainable=None, collections=None,
                 caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None,
                 synchronization=_AUTO, aggregation=_NONE):
  """``tf.compat.v1.get_variable`` in a pass: the current scope's ``get_variable``.

  A variable stored by an earlier pass and asked for with arguments that
  passed TF1's checks before is returned without building the call's options.
  """
  scope = frame.scope
  if (custom_getter is None and partitioner is None and
      synchronization is _AUTO and aggregation is _NONE and
      scope._custom_getter is None and scope._partitioner is None):  # pylint: disable=protected-access
    init = scope._initializer if initializer is None else initializer  # pylint: disable=protected-access
    scope_name = scope._name  # pylint: disable=protected-access
    variable, _ = getter.lookup(
        frame, scope_name + "/" + name if scope_name else name, shape,
        scope._dtype if dtype is None else dtype, init, scope._reuse)  # pylint: disable=protected-access
    if variable is not None:
      return variable
  return scope.get_variable(
      None, name, shape=shape, dtype=dtype, initializer=initializer,
      regularizer=regularizer, trainable=trainable, collections=collections,
      caching_device=caching_device, partitioner=partitioner,
      validate_shape=validate_shape, use_resource=use_resource,
      custom_getter=custom_getter, constraint=constraint,
      synchronization=synchronization, aggregation=aggregation)


def root_scope():
  """A fresh root variable scope (TF1's defaults: float32, reuse False)."""
  scope = VariableScope.__new__(VariableScope)
  scope.__dict__.update(_ROOT_ATTRIBUTES)
  return scope


# --- Name scopes ----------------------------------------------------------------
#
# A pass names its scopes from its own root, so that every pass gives the same
# names (and tf.Variable names do not depend on where the pass is called).
# In a graph, its ops go under a prefix (``frame.name_prefix``): the graph's
# name scope where the pass started (``replica_1/`` in a MirroredStrategy
# replica, as TF1 graph mode has it), made unique among the passes built in
# that graph, so that two passes in one graph never build two ops of the
# same name. The scope strings TF1 code gets (``with tf.name_scope(...) as
# s``, often used as an op name) carry the prefix; variable scopes'
# ``original_name_scope`` and the names of variables do not.

_graph_prefixes = weakref.WeakKeyDictionary()   # graph -> prefixes of its passes


def graph_prefix():
  """``frame.name_prefix`` of a pass starting now: "" eagerly (eager ops have no names)."""
  if tf.executing_eagerly():
    return ""
  graph = tf.compat.v1.get_default_graph()
  prefix = graph.get_name_scope()
  used = _graph_prefixes.get(graph)
  if used is None:
    used = _graph_prefixes[graph] = set()
  if prefix in used:
    prefix = graph.unique_name("pass")   # under the current name scope
  used.add(prefix)
  return prefix + "/" if prefix else ""


def shown_scope(frame, scope_string):
  """The scope string TF1 code sees for ``scope_string`` (with the pass's prefix)."""
  prefix = frame.name_prefix
  return prefix + scope_string if prefix and scope_string else scope_string


def push_name_scope(frame, name):
  """Enters a TF1 name scope in ``frame``; returns (scope string, token for pop).

  The scope string is the pass's own (no prefix): :func:`shown_scope` gives
  what TF1 code sees.
  """
  old_stack = frame.name_stack
  prefix = frame.name_prefix
  if prefix and name and isinstance(name, str) and name.startswith(prefix) \
      and name[-1] == "/":
    name = name[len(prefix):] or None   # a shown scope string, re-entered
  new_stack, scope_string = naming.enter_name_scope(
      frame.names_in_use, old_stack, name)
  token = (old_stack, _compat.set_real_name_scope(prefix + scope_string
                                                  if prefix else scope_string))
  frame.name_stack = new_stack
  return scope_string, token


def pop_name_scope(frame, token, exc_info=(None, None, None)):
  frame.name_stack = token[0]
  _compat.restore_real_name_scope(token[1], exc_info)


@contextlib.contextmanager
def name_scope(frame, name):
  """A TF1 name scope in ``frame`` for the block (``None``: the root)."""
  scope_string, token = push_name_scope(frame, name)
  try:
    yield shown_scope(frame, scope_string)
  finally:
    pop_name_scope(frame, token)


def enter_name_scope_v2(frame, name):
  """``tf.name_scope(name)`` in a pass: returns (scope string, exit function)."""
  scope_string, token = push_name_scope(frame, name)

  def exit_fn(*exc_info):
    pop_name_scope(frame, token, exc_info)
  return shown_scope(frame, scope_string), exit_fn


class NameScopeV1:
  """``tf.compat.v1.name_scope(name, default_name, values)`` in a pass (graph rules)."""

  __slots__ = ("_name", "_default_name", "_values", "_frame", "_token", "_fallback")

  def __init__(self, name, default_name=None, values=None):
    if not (default_name is None or isinstance(default_name, str)):
      raise TypeError(
          "`default_name` type (%s) is not a string type. You likely meant to "
          "pass this into the `values` kwarg." % type(default_name))
    self._name = default_name if name is None else name
    self._default_name = default_name
    self._values = values
    self._frame = None
    self._token = None
    self._fallback = None

  def __enter__(self):
    frame = _state.active_frame()
    if frame is None:  # built in a pass, entered outside one
      self._fallback = tf.name_scope(self._name or "")
      return self._fallback.__enter__()
    if self._name is None and self._values is not None:
      raise ValueError(
          "At least one of name (%s) and default_name (%s) must be provided."
          % (self._name, self._default_name))
    scope_string, self._token = push_name_scope(frame, self._name)
    self._frame = frame
    return shown_scope(frame, scope_string)

  def __exit__(self, *exc_info):
    if self._fallback is not None:
      fallback, self._fallback = self._fallback, None
      return fallback.__exit__(*exc_info)
    pop_name_scope(self._frame, self._token, exc_info)
    return False


def op_scope(values, name, default_name=None):
  return NameScopeV1(name, default_name, values)


# --- Variable scopes ------------------------------------------------------------


def _maybe_wrap_custom_getter(custom_getter, old_getter):
  """TF1 composition: the new scope getter runs outside the enclosing one."""
  if old_getter is None:
    return custom_getter

  def wrapped_custom_getter(getter, *args, **kwargs):
    def inner(*a, **k):
      return old_getter(getter, *a, **k)
    return custom_getter(inner, *args, **kwargs)
  return wrapped_custom_getter


def _set_count(frame, name, value):
  counts = frame.scope_counts
  if frame.journal_depth:
    frame.journal.append((name, counts.get(name)))
  counts[name] = value


def _register_child(frame, name):
  """Records ``name`` under each of its parents, for :func:`_close_subscopes`."""
  children = frame.scope_children
  child = name
  while True:
    parent, sep, _ = child.rpartition("/")
    if not sep:
      break
    kids = children.get(parent)
    if kids is None:
      children[parent] = {child}
    elif child in kids:
      break
    else:
      kids.add(child)
    child = parent


def _open_scope_count(frame, name):
  count = frame.scope_counts.get(name)
  if count is None:
    _register_child(frame, name)
  _set_count(frame, name, (count or 0) + 1)


def _close_subscopes(frame, name):
  """Resets the default-name counters of every scope below ``name``."""
  children = frame.scope_children
  counts = frame.scope_counts
  todo = list(children.get(name, ()))
  while todo:
    key = todo.pop()
    if counts.get(key):
      _set_count(frame, key, 0)
    kids = children.get(key)
    if kids:
      todo.extend(kids)


def unique_variable_scope(frame, prefix):
  """TF1's ``_get_unique_variable_scope``: ``prefix``, or ``prefix_<n>`` if taken.

  Taken means opened already below the current variable scope in this pass.
  """
  current = frame.scope.name
  name = current + "/" + prefix if current else prefix
  counts = frame.scope_counts
  if not counts.get(name):
    return prefix
  idx = 1
  while counts.get(name + ("_%d" % idx)):
    idx += 1
  return prefix + ("_%d" % idx)


class _Entry:
  """One entry of a ``variable_scope`` object made by :func:`_enter_any_scope`."""

  __slots__ = ("frame", "ns_token", "pure", "scope", "journal_mark",
               "new_name")

  def __init__(self, frame):
    self.frame = frame
    self.ns_token = None   # the name scope it opened, if any
    self.pure = None
    self.scope = None
    self.journal_mark = None   # journal length at entry, for a captured scope
    self.new_name = None


class _PureScope:
  """TF1's ``_pure_variable_scope`` of one ``variable_scope`` object in a pass.

  TF1 builds it on the first ``__enter__`` and enters it again on every later
  ``__enter__`` of the same object: the name-scope request, the scope name (a
  default name stays the one made unique the first time), the original name
  scope, the reuse flag (fixed by the first entry) and, for a captured scope,
  the scope object itself are kept. Like TF1, it remembers only its latest
  entry, so entering the object inside itself fails on the outer exit.
  """

  __slots__ = ("pass_id", "ns_request", "name_or_scope", "old_name_scope",
               "reuse", "scope", "old_scope", "last_scope", "has_overrides")

  def __init__(self, pass_id, ns_request, name_or_scope, old_name_scope,
               reuse):
    self.pass_id = pass_id
    self.ns_request = ns_request        # what opens the name scope, or None
    self.name_or_scope = name_or_scope  # relative name or captured scope
    self.old_name_scope = old_name_scope
    self.reuse = reuse
    self.scope = None                   # the copy of a captured scope
    self.old_scope = None               # the scope its latest entry replaced
    self.last_scope = None              # the scope its latest entry opened
    self.has_overrides = None           # any default set by the arguments?


_DEFAULTS = ("_initializer", "_regularizer", "_caching_device",
             "_partitioner", "_custom_getter", "_dtype", "_use_resource")
_default_args = operator.itemgetter(*_DEFAULTS)
_NO_DEFAULTS = (None,) * len(_DEFAULTS)


def _sets_defaults(args):
  """Whether the ``variable_scope`` arguments ``args`` override an inherited default."""
  return _default_args(args) != _NO_DEFAULTS


def _captured_copy(pure, args):
  """The scope a captured ``VariableScope`` opens: a copy, then the arguments."""
  captured = pure.name_or_scope
  reuse = captured.reuse if not pure.reuse else pure.reuse
  if type(captured) is VariableScope:  # pylint: disable=unidiomatic-typecheck
    # One of this module's scopes: its attributes are the constructor's.
    scope = VariableScope.__new__(VariableScope)
    scope.__dict__ = {**captured.__dict__, "_reuse": reuse,
                      "_constraint": args["_constraint"]}
    if _sets_defaults(args):
      _apply_scope_args(scope, args, captured._custom_getter)  # pylint: disable=protected-access
    return scope
  scope = VariableScope(
      reuse,
      name=captured.name,
      initializer=captured.initializer,
      regularizer=captured.regularizer,
      caching_device=captured.caching_device,
      partitioner=captured.partitioner,
      dtype=captured.dtype,
      custom_getter=captured.custom_getter,
      name_scope=captured.original_name_scope,
      use_resource=captured.use_resource,
      constraint=args["_constraint"])
  _apply_scope_args(scope, args, captured.custom_getter)
  return scope


def _prolonged_scope(old, pure, new_name, args):
  """A child of ``old``: its defaults inherited, then the scope's own arguments."""
  pure.reuse = pure.reuse or old._reuse  # pylint: disable=protected-access
  name_scope = pure.old_name_scope
  if name_scope is None:
    name_scope = pure.name_or_scope
  scope = VariableScope.__new__(VariableScope)
  scope.__dict__ = {
      **old.__dict__, "_name": new_name, "_reuse": pure.reuse,
      "_name_scope": name_scope,
      "_constraint": args["_constraint"],  # TF1 does not inherit it
  }
  if pure.has_overrides is None:
    pure.has_overrides = _sets_defaults(args)
  if pure.has_overrides:
    _apply_scope_args(scope, args, old._custom_getter)  # pylint: disable=protected-access
  return scope


def _apply_scope_args(scope, args, base_getter):
  """The ``variable_scope`` arguments that override the inherited defaults."""
  if args["_initializer"] is not None:
    scope.set_initializer(args["_initializer"])
  if args["_regularizer"] is not None:
    scope.set_regularizer(args["_regularizer"])
  if args["_caching_device"] is not None:
    scope.set_caching_device(args["_caching_device"])
  if args["_partitioner"] is not None:
    scope.set_partitioner(args["_partitioner"])
  if args["_custom_getter"] is not None:
    scope.set_custom_getter(
        _maybe_wrap_custom_getter(args["_custom_getter"], base_getter))
  if args["_dtype"] is not None:
    scope.set_dtype(args["_dtype"])
  if args["_use_resource"] is not None:
    scope.set_use_resource(args["_use_resource"])


def _enter_pure_scope(frame, entry, pure, args):
  """TF1's ``_pure_variable_scope.__enter__``: the variable-scope half."""
  old = frame.scope
  captured = isinstance(pure.name_or_scope, _compat.TFVariableScope)
  if captured:
    if pure.scope is None:
      pure.scope = _captured_copy(pure, args)
    scope = pure.scope
    new_name = scope.name
  else:
    new_name = naming.join(old.name, pure.name_or_scope)
    scope = _prolonged_scope(old, pure, new_name, args)
  _open_scope_count(frame, new_name)
  if captured:
    # TF1 restores every default-name counter when a captured scope exits.
    entry.journal_mark = len(frame.journal)
    frame.journal_depth += 1
  pure.old_scope = old
  pure.last_scope = scope
  entry.pure = pure
  entry.scope = scope
  entry.new_name = new_name
  frame.scope = scope
  return scope


def _exit_pure_scope(frame, pure, new_name, journal_mark):
  """TF1's ``_pure_variable_scope.__exit__`` (``journal_mark``: None unless captured)."""
  if frame.scope is not pure.last_scope:
    raise RuntimeError("Improper nesting of variable_scope.")
  if journal_mark is not None:
    journal = frame.journal
    counts = frame.scope_counts
    while len(journal) > journal_mark:
      name, old = journal.pop()
      if old is None:
        counts.pop(name, None)
      else:
        counts[name] = old
    frame.journal_depth -= 1
  elif new_name in frame.scope_children:
    _close_subscopes(frame, new_name)
  frame.scope = pure.old_scope


_PURE_SCOPE_ARGS = dict.fromkeys(_DEFAULTS + ("_constraint",))


@contextlib.contextmanager
def pure_variable_scope(frame, name, custom_getter=None):
  """TF1's ``_pure_variable_scope(name)`` in ``frame``: a variable scope, no name scope.

  Its ``original_name_scope`` is ``name`` itself, as in TF1 (templates made
  with ``create_scope_now_=True`` open one).
  """
  args = dict(_PURE_SCOPE_ARGS, _custom_getter=custom_getter)
  pure = _PureScope(frame.pass_id, None, name, None, None)
  entry = _Entry(frame)
  scope = _enter_pure_scope(frame, entry, pure, args)
  try:
    yield scope
  finally:
    _exit_pure_scope(frame, pure, entry.new_name, entry.journal_mark)


_CACHE_ATTRIBUTE = "_tf1scope_pure_scope"


def _first_entry(frame, args, entry):
  """Opens the name scope of a first ``__enter__``; returns its _PureScope."""
  name_or_scope = args["_name_or_scope"]
  if args["_auxiliary_name_scope"]:
    reenter = None
  else:  # re-enter the current name scope instead of opening a new one
    reenter = frame.name_stack + "/" if frame.name_stack else ""
  pass_id = frame.pass_id
  if name_or_scope is None:
    if args["_reuse"]:
      raise ValueError("reuse=True cannot be used without a name_or_scope")
    default_name = args["_default_name"]
    ns_request = reenter if reenter is not None else default_name
    scope_string, entry.ns_token = push_name_scope(frame, ns_request)
    unique = unique_variable_scope(frame, default_name)
    return _PureScope(pass_id, ns_request, unique, scope_string, None)
  if not isinstance(name_or_scope, (_compat.TFVariableScope, str)):
    raise TypeError("VariableScope: name_or_scope must be a string or "
                    "VariableScope.")
  reuse = args["_reuse"]
  if isinstance(name_or_scope, str):
    ns_name = name_or_scope
  else:
    ns_name = name_or_scope.name.split("/")[-1]
  if not ns_name and reenter is None:  # the root variable scope: no name scope
    return _PureScope(pass_id, None, name_or_scope, None, reuse)
  ns_request = reenter if reenter is not None else ns_name
  scope_string, entry.ns_token = push_name_scope(frame, ns_request)
  if isinstance(name_or_scope, str):
    old_name_scope = scope_string
  else:
    old_name_scope = name_or_scope.original_name_scope
  return _PureScope(pass_id, ns_request, name_or_scope, old_name_scope, reuse)


_ENTRIES_ATTRIBUTE = "_tf1scope_entries"


def enter_variable_scope(frame, args):
  """``tf.compat.v1.variable_scope(...).__enter__()`` in a pass.

  ``args`` are the object's attributes (:func:`_compat.variable_scope_args`).
  The common case, ``variable_scope("name")`` entered first in this pass, is
  done here, with a tuple for its entry; everything else goes through
  :func:`_enter_any_scope`.
  """
  pure = args.get(_CACHE_ATTRIBUTE)
  name = args["_name_or_scope"]
  if (type(name) is not str or not name or not args["_auxiliary_name_scope"]  # pylint: disable=unidiomatic-typecheck
      or (pure is not None and pure.pass_id == frame.pass_id)):
    entry = _enter_any_scope(frame, args, pure)
    scope = entry.scope
  else:
    old_stack = frame.name_stack
    new_stack, scope_string = naming.enter_name_scope(
        frame.names_in_use, old_stack, name)
    prefix = frame.name_prefix
    ns_token = (old_stack, _compat.set_real_name_scope(
        prefix + scope_string if prefix else scope_string))
    frame.name_stack = new_stack
    old = frame.scope
    old_name = old._name  # pylint: disable=protected-access
    new_name = old_name + "/" + name if old_name else name
    pure = _PureScope(frame.pass_id, name, name, scope_string, args["_reuse"])
    scope = _prolonged_scope(old, pure, new_name, args)
    counts = frame.scope_counts
    count = counts.get(new_name)
    if count is None:
      if "/" in new_name:
        _register_child(frame, new_name)
      count = 0
    if frame.journal_depth:
      frame.journal.append((new_name, counts.get(new_name)))
    counts[new_name] = count + 1
    pure.old_scope = old
    pure.last_scope = scope
    frame.scope = scope
    args[_CACHE_ATTRIBUTE] = pure
    entry = (frame, ns_token, pure, new_name)
  entries = args.get(_ENTRIES_ATTRIBUTE)
  if entries is None:
    args[_ENTRIES_ATTRIBUTE] = [entry]
  else:
    entries.append(entry)
  return scope


def _enter_any_scope(frame, args, pure):
  entry = _Entry(frame)
  try:
    if pure is not None and pure.pass_id == frame.pass_id:
      if pure.ns_request is not None:
        _, entry.ns_token = push_name_scope(frame, pure.ns_request)
    else:
      pure = _first_entry(frame, args, entry)
    _enter_pure_scope(frame, entry, pure, args)
  except BaseException:
    if entry.ns_token is not None:
      pop_name_scope(frame, entry.ns_token)
    raise
  args[_CACHE_ATTRIBUTE] = pure
  return entry


def exit_variable_scope(entries, exc_info):
  """``__exit__`` of a ``variable_scope`` entered in a pass; ``entries`` is its stack."""
  entry = entries.pop()
  if type(entry) is tuple:  # pylint: disable=unidiomatic-typecheck
    frame, token, pure, new_name = entry   # enter_variable_scope's common entry
    journal_mark = None
  else:
    frame, token, pure, new_name = (entry.frame, entry.ns_token, entry.pure,
                                    entry.new_name)
    journal_mark = entry.journal_mark
  try:
    _exit_pure_scope(frame, pure, new_name, journal_mark)
  finally:
    if token is not None:
      pop_name_scope(frame, token, exc_info)
  return False


# getter imports store, which imports this module: imported last.
from tf1scope import getter  # noqa: E402  pylint: disable=g-import-not-at-top,wrong-import-position
