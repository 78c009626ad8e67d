"""Every use of TensorFlow internals in tf1scope lives in this module.

TF1 code reaches TensorFlow through entry points that have no public hook in
TF2: ``tf.compat.v1.get_variable`` asks ``get_variable_scope()`` for the
current scope, ``variable_scope`` and the two ``name_scope`` classes are
context managers, and collections are methods of ``tf.Graph``. While a pass is
active on a thread, :func:`install_hooks` routes those entry points to
tf1scope; everywhere else (other threads, code outside a pass, tf1scope's own
calls) each hook calls the original TensorFlow function unchanged.

``tests/test_compat.py`` pins every behaviour relied on here, so that a
TensorFlow upgrade that changes one of them fails there, loudly.
"""

import copy
import functools
import sys
import threading

import tensorflow as tf
from tensorflow.python.autograph.core import ag_ctx as _ag_ctx
from tensorflow.python.autograph.core import config as _ag_config
from tensorflow.python.autograph.impl import api as _ag_api
from tensorflow.python.checkpoint import checkpoint_management as _checkpoint_management
from tensorflow.python.eager import context as _context
from tensorflow.python.framework import ops as _ops
from tensorflow.python.ops import init_ops as _init_ops
from tensorflow.python.ops import template as _template
from tensorflow.python.ops import variable_scope as _vs
from tensorflow.python.ops import variables as _variables
from tensorflow.python.ops import while_loop as _while_loop
from tensorflow.python.training import checkpoint_utils as _checkpoint_utils
from tensorflow.python.util import function_utils as _function_utils

from tf1scope import _state

# --- Names of TF internals used elsewhere in the package --------------------

TFVariableScope = _vs.VariableScope          # public as tf.compat.v1.VariableScope
TFVariableScopeContext = _vs.variable_scope  # public as tf.compat.v1.variable_scope
AUTO_REUSE = _vs.AUTO_REUSE                  # public as tf.compat.v1.AUTO_REUSE
Graph = _ops.Graph
TFInitializerV1 = _init_ops.Initializer      # base of tf.compat.v1.*_initializer

_AUTO = _variables.VariableSynchronization.AUTO
_NONE = _variables.VariableAggregation.NONE

validate_synchronization_aggregation_trainable = (
    _variables.validate_synchronization_aggregation_trainable)


def fn_args(fn):
  """Argument names of a function, partial or callable object (TF's own rule)."""
  return _function_utils.fn_args(fn)


def has_kwargs(fn):
  return _function_utils.has_kwargs(fn)


def variable_scope_args(vs):
  """The arguments a ``tf.compat.v1.variable_scope`` object was built with.

  TF's ``__init__`` has already validated them (and turned ``reuse=False`` into
  ``None``), exactly as it does in graph mode, so only the values are read.
  """
  return vs.__dict__


_orig_v2_enter = _ops.name_scope_v2.__enter__


def set_real_name_scope(scope_string):
  """Sets TensorFlow's own name scope to the absolute TF1 ``scope_string``.

  Ops built inside a pass in a ``tf.function`` then carry the TF1 prefix, and
  ``tf.get_current_name_scope()`` agrees with the pass. Eagerly the scope is a
  string on the eager context's thread-local data, set directly. Returns the
  token :func:`restore_real_name_scope` takes.
  """
  ctx = _context._context  # pylint: disable=protected-access
  if ctx is None:
    ctx = _context.context()
  local = ctx._thread_local_data  # pylint: disable=protected-access
  if local.is_eager:
    old = local.scope_name
    local.scope_name = scope_string
    return (local, old)
  scope = _ops.get_default_graph().name_scope(scope_string)
  scope.__enter__()
  return scope


def restore_real_name_scope(token, exc_info=(None, None, None)):
  if type(token) is tuple:  # pylint: disable=unidiomatic-typecheck
    token[0].scope_name = token[1]
  else:
    token.__exit__(*exc_info)


class real_name_scope:
  """:func:`set_real_name_scope` for a block."""

  __slots__ = ("_scope", "_token")

  def __init__(self, scope_string):
    self._scope = scope_string
    self._token = None

  def __enter__(self):
    self._token = set_real_name_scope(self._scope)

  def __exit__(self, *exc):
    token, self._token = self._token, None
    restore_real_name_scope(token, exc)


# --- Variable creators --------------------------------------------------------


class variable_creator:
  """``tf.variable_creator_scope(creator)``, as a class instead of a generator.

  TF keeps the creator stack of the default graph (the eager context's global
  graph, or the FuncGraph being traced) in the graph's thread-local data,
  ordered by priority; ``tf.variable_creator_scope`` uses priority 100. A
  pass enters one of these on every outermost call, so it is kept cheap.
  """

  __slots__ = ("_creator", "_token")

  def __init__(self, creator):
    self._creator = creator
    self._token = None

  def __enter__(self):
    local = _ops.get_default_graph()._thread_local  # pylint: disable=protected-access
    old = getattr(local, "_variable_creator_stack", None)
    if old is None:
      old = []
    new = old + [(100, self._creator)]
    if len(new) > 1 and new[-2][0] > 100:
      new.sort(key=lambda item: item[0])
    local._variable_creator_stack = new  # pylint: disable=protected-access
    self._token = (local, old, new)

  def __exit__(self, *exc):
    (local, old, new), self._token = self._token, None
    if local._variable_creator_stack is not new:  # pylint: disable=protected-access
      raise RuntimeError(
          "Exiting variable_creator_scope without proper nesting.")
    local._variable_creator_stack = old  # pylint: disable=protected-access


# --- Autograph ----------------------------------------------------------------


def exclude_from_autograph(package):
  """Autograph calls ``package``'s functions as they are, as it does TensorFlow's.

  Without this rule, every first trace under ``tf.function`` (autograph on)
  would convert tf1scope's own code, which is slow and never needed.
  """
  rules = _ag_config.CONVERSION_RULES
  if not any(isinstance(r, _ag_config.DoNotConvert) and r._prefix == package  # pylint: disable=protected-access
             for r in rules):
    _ag_config.CONVERSION_RULES = (_ag_config.DoNotConvert(package),) + rules


def never_convert(fn):
  """Marks ``fn`` so that autograph calls it as it is, even as tf.function's own target.

  Autograph converts the function handed to ``tf.function`` whatever its
  module; a function marked as one of autograph's own artifacts is the
  exception. The decorated method's wrapper is marked: it only calls
  :func:`converted_for_caller`, which converts the method itself.
  """
  return _ag_api.autograph_artifact(fn)


def converted_for_caller(fn):
  """``fn`` converted by autograph if the caller runs with autograph on, else ``fn``.

  A decorated method is user code: it is converted exactly when it would be
  without the decorator (inside a ``tf.function`` traced with autograph).
  """
  ctx = _ag_ctx.control_status_ctx()
  if ctx.status is _ag_ctx.Status.ENABLED:
    return _ag_api.tf_convert(fn, ctx)
  return fn


# --- Templates (tf.compat.v1.make_template) ---------------------------------------

GraphTemplate = _template.Template   # TF1's graph template (EagerTemplate subclasses it)
_orig_template_call = _template.Template.__call__
_ORIGIN = "_tf1scope_template_origin"   # (scope made at construction, pass id)


def set_template_scope(template, scope):
  """Sets the variable scope a template re-enters (``create_scope_now_``'s)."""
  template._variable_scope = scope  # pylint: disable=protected-access


def set_template_origin(template, scope, pass_id):
  """Records the scope ``create_scope_now_`` made (or None) and the pass that made ``template``."""
  template.__dict__[_ORIGIN] = (scope, pass_id)


def template_origin(template):
  """(scope made at construction or None, pass id or None) of ``template``.

  A template TensorFlow made outside any pass has no record: its current
  scope (made at construction, or by a call outside a pass) stands for it.
  """
  origin = template.__dict__.get(_ORIGIN)
  if origin is None:
    return template._variable_scope, None  # pylint: disable=protected-access
  return origin


def graph_template_copy(template, scope):
  """A shallow copy of any template that is a fresh graph template re-entering ``scope``.

  The copy shares the function, names and custom getter; its state (scope,
  variables created, first call) is its own, and an eager template's
  ``_call_func`` (its own variable store) is shadowed by the graph
  template's, so TF's graph-template code runs with the current TF1 graph's
  variables (the pass's). The original is left as it was.
  """
  fresh = copy.copy(template)
  d = fresh.__dict__
  d["_variable_scope"] = scope
  d["_variables_created"] = False
  d["_first_call"] = True
  d["_call_func"] = functools.partial(GraphTemplate._call_func, fresh)  # pylint: disable=protected-access
  return fresh


def call_graph_template(template, args, kwargs):
  """TF's graph ``Template.__call__`` (the hooks replaced the classes' own)."""
  return _orig_template_call(template, *args, **kwargs)


# --- Partitioned variables ------------------------------------------------------

# TF1's PartitionedVariable (not exported by tf.compat.v1); returning TF's own
# class keeps isinstance checks and tf.compat.v1.nn.embedding_lookup working.
PartitionedVariable = _variables.PartitionedVariable


def partition_info(full_shape, offset):
  """TF1's ``partition_info`` argument of an initializer, for one shard."""
  return _vs._PartitionInfo(full_shape=full_shape, var_offset=offset)  # pylint: disable=protected-access


def set_save_slice_info(variable, full_name, full_shape, offset, shape):
  """Records on ``variable`` that it is the slice ``offset``/``shape`` of ``full_name``."""
  variable._set_save_slice_info(  # pylint: disable=protected-access
      tf.Variable.SaveSliceInfo(full_name, full_shape, offset, shape))


def save_slice_info(variable):
  """(full name, slice spec) of a shard of a partitioned variable, else None."""
  info = getattr(variable, "_save_slice_info", None)
  if info is None:
    return None
  return info.full_name, info.spec


def write_checkpoint_state(directory, save_path, all_paths=None):
  """Points ``directory``'s ``checkpoint`` file at ``save_path``, as TF1's ``Saver.save`` does.

  ``all_paths``: the checkpoints kept, oldest first, ending with
  ``save_path`` (default: ``save_path`` only). The public
  ``tf.compat.v1.train.update_checkpoint_state`` does the same but logs a
  deprecation warning.
  """
  _checkpoint_management.update_checkpoint_state_internal(
      save_dir=directory, model_checkpoint_path=save_path,
      all_model_checkpoint_paths=all_paths)


def partitions_of(partitioned):
  """The partition counts a ``PartitionedVariable`` was built with."""
  return partitioned._get_partitions()  # pylint: disable=protected-access


def is_symbolic_tensor(value):
  return tf.is_symbolic_tensor(value)


# --- RNN cells ------------------------------------------------------------------


def assert_like_rnncell(cell_name, cell):
  """TF's own check that ``tf.compat.v1.nn.dynamic_rnn`` applies to a cell (TF's TypeError)."""
  from tensorflow.python.ops import rnn_cell_impl  # pylint: disable=g-import-not-at-top
  rnn_cell_impl.assert_like_rnncell(cell_name, cell)


def map_structure_up_to(shallow, fn, *structures):
  """``nest.map_structure_up_to`` (public in TF only as ``tf.__internal__``)."""
  return tf.__internal__.nest.map_structure_up_to(shallow, fn, *structures)


def traverse_shallow_structure(visitor, structure):
  """``nest.get_traverse_shallow_structure`` (``tf.__internal__`` only)."""
  return tf.__internal__.nest.get_traverse_shallow_structure(visitor, structure)


# --- Hooks --------------------------------------------------------------------

_install_lock = threading.Lock()
_installed = False


def _api_modules():
  """Modules that export TF1 symbols (tf.compat.v1 and friends), loaded first."""
  import tensorflow.compat.v1  # noqa: F401  (loads the lazily imported API module)
  mods = []
  for name, mod in sys.modules.copy().items():  # few allocations: no gc pause here
    if mod is None:
      continue
    if name.startswith(("tensorflow", "tensorflow._api", "keras", "tf_keras")):
      mods.append(mod)
  return mods


_originals = {}   # "module.attr" -> the TF function a hook replaced


def original_function(module, attr):
  """The TF function ``module.attr`` as it was before the hooks replaced it."""
  return _originals.get(module.__name__ + "." + attr, getattr(module, attr))


def _replace_function(module, attr, make_replacement, aliases):
  """Replaces a module-level function; records it in ``aliases`` for the exports."""
  original = getattr(module, attr)
  _originals[module.__name__ + "." + attr] = original
  replacement = make_replacement(original)
  functools.update_wrapper(replacement, original)
  setattr(module, attr, replacement)
  aliases[attr] = (original, replacement)
  return original


def _replace_aliases(aliases):
  """Points every exported alias of the replaced functions at its replacement.

  TF exports these functions under their own names (``tf.compat.v1.get_variable``
  is ``variable_scope.get_variable``), so each API module is asked for those
  names only; ``tests/test_compat.py`` checks that no module holds an
  original under another name.
  """
  for mod in _api_modules():
    try:
      d = vars(mod)
    except TypeError:
      continue
    for name, (original, replacement) in aliases.items():
      if d.get(name) is original:
        try:
          setattr(mod, name, replacement)
        except (AttributeError, TypeError):
          pass


def install_hooks(handlers):
  """Routes TF1 entry points to ``handlers`` while a pass is active (idempotent).

  ``handlers`` provides: ``get_variable(frame, name, shape, ...)`` (the
  arguments of ``tf.compat.v1.get_variable`` in order),
  ``enter_variable_scope(frame, args)`` (``args``: the object's
  :func:`variable_scope_args`), ``exit_variable_scope(entries, exc_info)``
  (``entries``: the list the entering handler keeps in the object's
  ``_tf1scope_entries``), ``name_scope_v1(name, default_name, values)`` (a
  context manager), ``enter_name_scope_v2(frame, name)`` -> (scope string,
  exit function), ``op_scope(values, name, default_name)`` (a context
  manager), the collection handlers (``manages``, ``get_collection``,
  ``get_collection_ref``, ``add_to_collection``), ``variable_store(frame)``
  (what ``_get_default_variable_store()`` returns in a pass) and
  ``set_checkpoint_initializer(frame, variable, ckpt_file, tensor_name,
  slice_spec)`` (init_from_checkpoint's per-variable step),
  ``make_template(frame, name, func, create_scope_now, unique_name,
  custom_getter, create_graph_function, kwargs)``,
  ``call_template(frame, template, args, kwargs)`` and
  ``zero_debias(strategy, variable, value, one_minus_decay)`` (the arguments
  of TF's ``_zero_debias``; returns the update, as it does),
  ``variables_to_restore(ema, moving_avg_variables)`` (the
  ``ExponentialMovingAverage`` method's name map) and
  ``warm_start_var_with_vocab(frame, original, var, args, kwargs)``
  (``warm_start``'s vocabulary-remapping step) and
  ``eager_while_loop(frame, cond, body)`` (the ``(cond, body)`` an eager
  ``while_loop`` in a pass runs).
  """
  global _installed
  if _installed:
    return
  with _install_lock:
    if _installed:
      return
    _install(handlers)
    _install_moving_averages(handlers)
    _install_warm_start(handlers)
    _install_variable_op()
    _installed = True


def _pass_frame():
  """The active pass frame, unless the code runs in a user's own TF1 graph.

  A pass covers eager code and tf.function graphs; a ``tf.Graph()`` made the
  default inside a pass is a separate TF1 graph, where TensorFlow's own
  variable scopes and collections apply. (``_state.active_frame``, inlined:
  every hook asks this first.)
  """
  state = _STATE
  frame = state.frame
  if frame is None or state.internal:
    return None
  # TF's thread-local stack of default graphs: empty when eager (a cheaper
  # test than tf.executing_eagerly()), a FuncGraph on top in tf.function.
  graphs = _graph_stack.stack
  if not graphs or graphs[-1].building_function:
    return frame
  return None


_STATE = _state.STATE
_graph_stack = _ops._default_graph_stack  # pylint: disable=protected-access


def building_function():
  """Whether the default graph is a FuncGraph being traced (False when eager)."""
  graphs = _graph_stack.stack
  return bool(graphs) and graphs[-1].building_function


def register_gradient_if_missing(op_type, fn):
  """Registers ``fn`` as the gradient of ``op_type`` unless TensorFlow has one.

  TF1 registered the gradients of the fused RNN cell ops with the cells in
  ``tf.contrib``; TensorFlow 2 has the ops but not those gradients.
  """
  try:
    _ops._gradient_registry.lookup(op_type)  # pylint: disable=protected-access
  except LookupError:
    tf.RegisterGradient(op_type)(fn)


def in_xla_context():
  """Whether the graph being built (or one it is nested in) compiles with XLA (``jit_compile``)."""
  from tensorflow.python.ops import control_flow_util  # pylint: disable=g-import-not-at-top
  if _context.executing_eagerly():
    return False
  return control_flow_util.GraphOrParentsInXlaContext(_ops.get_default_graph())


def in_tf1_while_loop():
  """Whether a TF1 graph is being built inside a ``while_loop`` body (its control-flow context)."""
  graph = _ops.get_default_graph()
  context = graph._get_control_flow_context()  # pylint: disable=protected-access
  while context is not None:
    if context.IsWhileContext():
      return True
    context = context.outer_context
  return False


def _install(h):
  active = _pass_frame
  aliases = {}

  # get_variable_scope(): tf.compat.v1.get_variable calls it through the module
  # global, so replacing it routes get_variable too.
  def make_get_variable_scope(original):
    def get_variable_scope():
      frame = active()
      if frame is None:
        return original()
      return frame.scope
    return get_variable_scope
  _replace_function(_vs, "get_variable_scope", make_get_variable_scope, aliases)

  # tf.compat.v1.get_variable itself: in a pass, straight to the current
  # scope's rules (what TF's version reaches through the two functions above).
  def make_get_variable(original):
    def get_variable(name, shape=None, dtype=None, initializer=None,
                     regularizer=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None,
                     custom_getter=None, constraint=None,
                     synchronization=_AUTO, aggregation=_NONE):
      frame = _STATE.frame  # _pass_frame(), inlined: the hottest hook
      if frame is not None and not _STATE.internal:
        graphs = _graph_stack.stack
        if not graphs or graphs[-1].building_function:
          return h.get_variable(frame, name, shape, dtype, initializer,
                                regularizer, trainable, collections,
                                caching_device, partitioner, validate_shape,
                                use_resource, custom_getter, constraint,
                                synchronization, aggregation)
      return original(name, shape, dtype, initializer, regularizer,
                      trainable, collections, caching_device, partitioner,
                      validate_shape, use_resource, custom_getter,
                      constraint, synchronization, aggregation)
    return get_variable
  _replace_function(_vs, "get_variable", make_get_variable, aliases)

  # TF's variable store: in a pass, the pass's view of TF1's graph store
  # (TF's init_from_checkpoint reads its `_vars`); VariableScope.get_variable
  # ignores the store it is given.
  def make_default_store(original):
    def _get_default_variable_store():
      frame = active()
      if frame is None:
        return original()
      return h.variable_store(frame)
    return _get_default_variable_store
  _replace_function(_vs, "_get_default_variable_store", make_default_store, aliases)

  # init_from_checkpoint: TF resolves the assignment map (through the store
  # above) and calls this once per variable or shard; in a pass the handler
  # loads the value when the pass created the variable.
  def make_checkpoint_initializer(original):
    def _set_checkpoint_initializer(variable, ckpt_file, tensor_name,
                                    slice_spec, name="checkpoint_initializer"):
      frame = active()
      if frame is None:
        return original(variable, ckpt_file, tensor_name, slice_spec, name)
      return h.set_checkpoint_initializer(frame, variable, ckpt_file,
                                          tensor_name, slice_spec)
    return _set_checkpoint_initializer
  _replace_function(_checkpoint_utils, "_set_checkpoint_initializer",
                    make_checkpoint_initializer, aliases)

  # make_template: in a pass, TF1's graph template (TF makes an eager one
  # when eager); calling any template in a pass runs it as a graph template.
  def make_make_template(original):
    def make_template_internal(name_, func_, create_scope_now_=False,
                               unique_name_=None, custom_getter_=None,
                               create_graph_function_=False, **kwargs):
      frame = active()
      if frame is None:
        return original(name_, func_, create_scope_now_, unique_name_,
                        custom_getter_, create_graph_function_, **kwargs)
      return h.make_template(frame, name_, func_, create_scope_now_,
                             unique_name_, custom_getter_,
                             create_graph_function_, kwargs)
    return make_template_internal
  _replace_function(_template, "make_template_internal", make_make_template,
                    aliases)

  for template_cls in (_template.Template, _template.EagerTemplate):
    def make_call(original):
      def __call__(self, *args, **kwargs):
        frame = active()
        if frame is None:
          return original(self, *args, **kwargs)
        return h.call_template(frame, self, args, kwargs)
      return functools.update_wrapper(__call__, original)
    template_cls.__call__ = make_call(template_cls.__call__)

  # while_loop: eagerly in a pass, the body runs as TF1 built it, once
  # (tf1scope.loops); traced loops are TensorFlow's (one body graph).
  def make_while_loop(original):
    def while_loop(cond, body, loop_vars, *args, **kwargs):
      frame = active()
      if frame is not None and _context.executing_eagerly():
        cond, body = h.eager_while_loop(frame, cond, body)
      return original(cond, body, loop_vars, *args, **kwargs)
    return while_loop
  _replace_function(_while_loop, "while_loop", make_while_loop, aliases)

  # variable_scope: __init__ stays TF's (its argument checks are graph mode's).
  cls = _vs.variable_scope
  orig_enter, orig_exit = cls.__enter__, cls.__exit__

  def vs_enter(self):
    frame = _STATE.frame  # _pass_frame(), inlined
    if frame is not None and not _STATE.internal:
      graphs = _graph_stack.stack
      if not graphs or graphs[-1].building_function:
        return h.enter_variable_scope(frame, self.__dict__)  # variable_scope_args(self)
    return orig_enter(self)

  def vs_exit(self, *exc_info):
    stack = self.__dict__.get("_tf1scope_entries")
    if stack:
      return h.exit_variable_scope(stack, exc_info)
    return orig_exit(self, *exc_info)

  cls.__enter__, cls.__exit__ = vs_enter, vs_exit

  # tf.compat.v1.name_scope: its slot _name_scope holds the context manager it
  # delegates to; in a pass it holds tf1scope's.
  v1 = _ops.name_scope_v1
  orig_v1_init = v1.__init__

  def v1_init(self, name, default_name=None, values=None):
    if active() is None:
      return orig_v1_init(self, name, default_name, values)
    self._name = default_name if name is None else name
    self._name_scope = h.name_scope_v1(name, default_name, values)

  v1.__init__ = v1_init

  # tf.name_scope: its exit pops a function from _exit_fns, so the hook pushes
  # tf1scope's own exit function there.
  v2 = _ops.name_scope_v2

  def v2_enter(self):
    frame = active()
    if frame is None:
      return _orig_v2_enter(self)
    scope_string, exit_fn = h.enter_name_scope_v2(frame, self._name)
    self._exit_fns.append(exit_fn)
    return scope_string

  v2.__enter__ = v2_enter

  # op_scope (deprecated): a name scope with values first.
  def make_op_scope(original):
    def op_scope(values, name, default_name=None):
      if active() is None:
        return original(values, name, default_name)
      return h.op_scope(values, name, default_name)
    return op_scope
  _replace_function(_ops, "op_scope", make_op_scope, aliases)
  _replace_aliases(aliases)

  # Collections: tf.Graph methods, so every reader (global_variables(),
  # losses.get_regularization_losses(), graph.get_collection) sees the pass.
  g = _ops.Graph
  orig_get, orig_ref = g.get_collection, g.get_collection_ref
  orig_add, orig_adds = g.add_to_collection, g.add_to_collections

  def get_collection(self, name, scope=None):
    frame = active()
    if frame is None or not h.manages(self, name):
      return orig_get(self, name, scope)
    return h.get_collection(frame, name, scope)

  def get_collection_ref(self, name):
    frame = active()
    if frame is None or not h.manages(self, name):
      return orig_ref(self, name)
    return h.get_collection_ref(frame, name)

  def add_to_collection(self, name, value):
    frame = active()
    if frame is None or not h.manages(self, name):
      return orig_add(self, name, value)
    h.add_to_collection(frame, name, value)

  def add_to_collections(self, names, value):
    frame = active()
    if frame is None:
      return orig_adds(self, names, value)
    names = (names,) if isinstance(names, str) else set(names)
    for name in names:
      self.add_to_collection(name, value)

  for attr, fn in (("get_collection", get_collection),
                   ("get_collection_ref", get_collection_ref),
                   ("add_to_collection", add_to_collection),
                   ("add_to_collections", add_to_collections)):
    functools.update_wrapper(fn, getattr(g, attr))
    setattr(g, attr, fn)


# --- A tracked table that grows in O(1) -----------------------------------------
#
# The store's tables of variables and layers are checkpointed as if they were
# dict attributes of a tf.Module (TF wraps those in a `_DictWrapper`), so that
# checkpoint keys (`.../tf1_variables/<TF1 name>/...`), restore-on-create and
# SavedModels stay what they were. The wrapper snapshots and compares the whole
# dict on every insertion, which makes creating N variables O(N^2); this table
# declares the same dependencies through Trackable's overridable methods instead.

from collections import abc as _abc  # noqa: E402  pylint: disable=wrong-import-position,g-bad-import-order
from tensorflow.python.trackable import base as _trackable_base  # noqa: E402  pylint: disable=wrong-import-position
from tensorflow.python.trackable import data_structures as _data_structures  # noqa: E402  pylint: disable=wrong-import-position

_DICT_WRAPPER_IDENTIFIER = "trackable_dict_wrapper"   # how SavedModel names a _DictWrapper


class TrackedTable(_trackable_base.Trackable, _abc.Mapping):
  """A mapping from string keys to objects, tracked as a dict attribute is.

  Checkpoints see one dependency per trackable value, named by its key, in
  insertion order, as for a dict attribute of a ``tf.Module``; a value added
  after ``restore`` asked for it gets its checkpointed value when added.
  ``tf.Module`` finds the values through ``nest`` (a Mapping is flattened in
  sorted key order, as a dict is). A SavedModel revives the table as TF's dict
  wrapper, as it revived the dict attribute. Entries are only added, in O(1).
  Equality and hashing are by identity.
  """

  def __init__(self):
    self._maybe_initialize_trackable()
    self._items = {}
    self._untracked = set()   # keys whose value was wrapped in NoDependency

  def __setitem__(self, key, value):
    if not isinstance(key, str):
      raise TypeError(f"TrackedTable keys are strings, got {key!r}")
    if isinstance(value, _data_structures.NoDependency):
      self._untracked.add(key)
    else:
      self._untracked.discard(key)
    # As a dict attribute: lists and dicts become tracking wrappers.
    value = _data_structures.wrap_or_unwrap(value)
    self._items[key] = value
    if (key not in self._untracked and
        isinstance(value, _trackable_base.Trackable) and
        (self._deferred_dependencies or self._self_name_based_restores)):
      # A restore is waiting (TF's handler sorts both queues even when empty).
      self._handle_deferred_dependencies(name=key, trackable=value)

  def __getitem__(self, key):
    return self._items[key]

  def restores_on_add(self, key):
    """Whether adding a value under ``key`` restores it from a checkpoint (a deferred restore)."""
    return bool(self._deferred_dependencies.get(key))

  def __iter__(self):
    return iter(self._items)

  def __len__(self):
    return len(self._items)

  __eq__ = object.__eq__
  __hash__ = object.__hash__

  def __repr__(self):
    return f"TrackedTable({self._items!r})"

  def _tracked(self, key, value):
    return key not in self._untracked and isinstance(value, _trackable_base.Trackable)

  # What checkpoint saving, restoring and SavedModel export ask a Trackable.
  def _trackable_children(self, save_type=_trackable_base.SaveType.CHECKPOINT,
                          **kwargs):
    del save_type, kwargs
    return {k: v for k, v in self._items.items() if self._tracked(k, v)}

  def _lookup_dependency(self, name, cached_dependencies=None):
    del cached_dependencies   # a dict lookup is as cheap as the cache
    value = self._items.get(name)
    return value if self._tracked(name, value) else None

  @property
  def _object_identifier(self):
    return _DICT_WRAPPER_IDENTIFIER


# --- Moving averages (tensorflow/python/training/moving_averages.py) -------------
#
# Two pieces of TF's moving-average code assume that a variable made by TF1
# code is a graph variable, which a pass's variables (made eagerly, also
# inside tf.function) are not:
#
# * ``ExponentialMovingAverage.apply`` refuses tensors whenever
#   ``ops.executing_eagerly_outside_functions()`` is true, which it is inside
#   every tf.function of TF2. The module reads the function through its
#   global ``ops``; :func:`_install_moving_averages` gives it a view of
#   ``ops`` in which the function is false while a pass traces a tf.function
#   (there the tensors are graph tensors with op names, as in TF1). Eagerly it
#   stays true: an eager tensor has no op name to name its average after.
# * ``_zero_debias`` (what ``assign_moving_average(..., zero_debias=True)``
#   calls, through the module global) reads ``variable.op.name`` of the
#   scope's global variables to pick unused names; eager variables have no
#   op. In a pass the global is routed to tf1scope's own version.
#
# * ``ExponentialMovingAverage.variables_to_restore`` puts the global
#   variables in a ``set``; TF2 variables are unhashable in a tf.function.
#   In a pass the method is routed to tf1scope's version.
#
# :func:`install_hooks` installs them. ``tests/test_compat.py`` pins the
# module globals, the method and the ``_update`` helper tf1scope's version calls.

import types as _types  # noqa: E402  pylint: disable=wrong-import-position,g-bad-import-order

from tensorflow.python.training import moving_averages as _moving_averages  # noqa: E402  pylint: disable=wrong-import-position

_orig_zero_debias = _moving_averages._zero_debias  # pylint: disable=protected-access
_orig_variables_to_restore = _moving_averages.ExponentialMovingAverage.variables_to_restore


class _OpsSeenByMovingAverages(_types.ModuleType):
  """TF's ``ops`` module as ``moving_averages`` sees it: TF's, but for one function."""

  def __getattr__(self, name):   # only for names not set on the instance
    return getattr(_ops, name)


def _executing_eagerly_outside_functions():
  if _pass_frame() is not None and building_function():
    return False   # a pass tracing a tf.function builds a TF1 graph
  return _ops.executing_eagerly_outside_functions()


def _install_moving_averages(h):
  """Gives ``moving_averages`` its view of ``ops`` and routes its zero-debias step to ``h``."""
  view = _OpsSeenByMovingAverages(_ops.__name__)
  view.executing_eagerly_outside_functions = (
      _executing_eagerly_outside_functions)
  _moving_averages.ops = view

  def _zero_debias(strategy, unbiased_var, value, decay):
    if _pass_frame() is None:
      return _orig_zero_debias(strategy, unbiased_var, value, decay)
    return h.zero_debias(strategy, unbiased_var, value, decay)
  functools.update_wrapper(_zero_debias, _orig_zero_debias)
  _moving_averages._zero_debias = _zero_debias  # pylint: disable=protected-access

  def variables_to_restore(self, moving_avg_variables=None):
    if _pass_frame() is None:
      return _orig_variables_to_restore(self, moving_avg_variables)
    return h.variables_to_restore(self, moving_avg_variables)
  functools.update_wrapper(variables_to_restore, _orig_variables_to_restore)
  _moving_averages.ExponentialMovingAverage.variables_to_restore = (
      variables_to_restore)


def update_in_cross_replica_context(strategy, variable, update_fn, args):
  """``update_fn(variable, *args)`` run by ``strategy`` as ``moving_averages`` runs it.

  Directly when already inside an update (``get_update_replica_id()`` is
  set), else through ``strategy.extended.update``: TF's ``_update``.
  """
  return _moving_averages._update(strategy, variable, update_fn, args)  # pylint: disable=protected-access


# --- Estimator export (tensorflow/python/saved_model/model_utils) ----------------
#
# TF1's Estimator exported SavedModels with TensorFlow's own export helpers,
# which TensorFlow still ships: the ExportOutput classes a model_fn returns in
# ``EstimatorSpec.export_outputs`` (``tf.estimator.export.PredictOutput``...),
# the choice of outputs for a mode, the signature defs built from them, and
# the timestamped export directories. ``tests/test_compat.py`` pins their
# signatures.

from tensorflow.python.saved_model.model_utils import export_output as _export_output  # noqa: E402  pylint: disable=wrong-import-position
from tensorflow.python.saved_model.model_utils import export_utils as _export_utils  # noqa: E402  pylint: disable=wrong-import-position

ExportOutput = _export_output.ExportOutput
PredictOutput = _export_output.PredictOutput
ClassificationOutput = _export_output.ClassificationOutput
RegressionOutput = _export_output.RegressionOutput
EvalOutput = _export_output.EvalOutput
export_outputs_for_mode = _export_utils.export_outputs_for_mode
checked_export_outputs = _export_utils.get_export_outputs
build_all_signature_defs = _export_utils.build_all_signature_defs
timestamped_export_dir = _export_utils.get_timestamped_export_dir
temp_export_dir = _export_utils.get_temp_export_dir

# The collection where hooks (StopAtStepHook...) find the read of the global
# step, before TF would make one from the variable's op name (an eager
# variable has none).
from tensorflow.python.training import training_util as _training_util  # noqa: E402  pylint: disable=wrong-import-position

GLOBAL_STEP_READ_KEY = _training_util.GLOBAL_STEP_READ_KEY


# --- The process's global seed, for a block -----------------------------------------
#
# TF1's Estimator made every graph with RunConfig.tf_random_seed as its seed,
# so initializers without a seed of their own gave the same values in every
# run. A pass's variables are initialized eagerly (under init_scope), where
# the eager context's global seed applies, not the pass graph's: the
# Estimator sets it while it builds a pass, and puts back what it was.


class global_seed:
  """``tf.random.set_seed(seed)`` for the block; afterwards the global seed it replaced."""

  __slots__ = ("_seed", "_old")

  def __init__(self, seed):
    self._seed = seed
    self._old = None

  def __enter__(self):
    self._old = _context.global_seed()
    tf.random.set_seed(self._seed)

  def __exit__(self, *exc):
    _context.set_global_seed(self._old)


# --- warm_start's vocabulary remapping (tensorflow/python/training/warm_starting_util.py)
#
# ``tf.compat.v1.train.warm_start`` remaps a variable's rows to a new
# vocabulary through the module global ``_warm_start_var_with_vocab``, which
# assigns the remapped value and keeps the assign as the variable's
# initializer op: in a pass the assign would run on every call. In a pass
# the global is routed to the handler; ``tests/test_compat.py`` pins it.

from tensorflow.python.training import warm_starting_util as _warm_starting_util  # noqa: E402  pylint: disable=wrong-import-position

_orig_warm_start_var_with_vocab = _warm_starting_util._warm_start_var_with_vocab  # pylint: disable=protected-access


def _install_warm_start(h):
  def _warm_start_var_with_vocab(var, *args, **kwargs):
    frame = _pass_frame()
    if frame is None:
      return _orig_warm_start_var_with_vocab(var, *args, **kwargs)
    return h.warm_start_var_with_vocab(frame, _orig_warm_start_var_with_vocab,
                                       var, args, kwargs)
  functools.update_wrapper(_warm_start_var_with_vocab,
                           _orig_warm_start_var_with_vocab)
  _warm_starting_util._warm_start_var_with_vocab = _warm_start_var_with_vocab  # pylint: disable=protected-access


# --- A variable's op (tensorflow/python/ops/resource_variable_ops.py) --------------
#
# TF1 code names things after ``variable.op.name``: summaries
# (``tf.summary.histogram(var.op.name, var)``), Saver name maps
# (``{v.op.name: v for v in ...}``), ``StepCounterHook``'s ``global_step/sec``
# tag. A pass's variables are made eagerly (also inside tf.function), and
# ``op`` of an eager variable raises AttributeError ("Tensor.op is undefined
# when eager execution is enabled"). In a pass, that property gives code
# outside TensorFlow a :class:`VariableOp` instead.
#
# TensorFlow's own code keeps TensorFlow's answer: several of its functions
# tell a graph variable from an eager one by ``hasattr(variable, "op")``
# (the TF1 optimizers' slot keys, ``control_dependencies``, a distribution
# strategy's ``group``). Of TensorFlow's modules only those in
# ``_TF1_OP_READERS`` get the VariableOp: they read ``op.name`` of a TF1
# variable and nothing else (the slot creator names a partitioned
# variable's slot shards after it). ``tests/test_compat.py`` pins the property, the
# error and those readers.

from tensorflow.python.ops import resource_variable_ops as _resource_variable_ops  # noqa: E402  pylint: disable=wrong-import-position

_orig_variable_op = _resource_variable_ops.BaseResourceVariable.op

# Callers in these packages see TensorFlow's own `op` property...
_TF_PACKAGES = ("tensorflow.", "keras.", "tf_keras.")
# ...except in these modules, which only read the name of a TF1 variable's op.
_TF1_OP_READERS = frozenset({
    "tensorflow.python.training.basic_session_run_hooks",   # StepCounterHook
    "tensorflow.python.training.slot_creator",   # slots of partitioned variables
})


class VariableOp:
  """What ``variable.op`` is in a pass for a variable made eagerly: its TF1 graph node.

  ``name`` is the node's name as in TF1 graph mode (the variable's name
  without ``:0``), ``type`` is ``"VarHandleOp"`` (a TF1 resource variable's
  op), ``device`` the variable's device, ``outputs`` the handle, and
  ``node_def`` a ``NodeDef`` of the name, type and device. The same object
  each time it is asked for.

  >>> import tensorflow as tf, tf1scope
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     with tf.compat.v1.variable_scope("net"):
  ...       return tf.compat.v1.get_variable("w", [2]).op.name
  >>> M()()
  'net/w'
  """

  __slots__ = ("name", "type", "device", "outputs")

  def __init__(self, variable):
    self.name = variable.name.rpartition(":")[0] or variable.name
    self.type = "VarHandleOp"
    self.device = variable.device
    self.outputs = (variable.handle,)

  @property
  def inputs(self):
    return ()

  def values(self):
    return self.outputs

  @property
  def node_def(self):
    from tensorflow.core.framework import node_def_pb2  # pylint: disable=g-import-not-at-top
    return node_def_pb2.NodeDef(name=self.name, op=self.type, device=self.device)

  def __repr__(self):
    return f"<tf1scope.VariableOp {self.name!r} type={self.type}>"


def _reads_tf1_ops(caller):
  """Whether code in module ``caller`` gets a VariableOp: TF1 code, not TensorFlow's."""
  return not caller.startswith(_TF_PACKAGES) or caller in _TF1_OP_READERS


def _variable_op(variable):
  try:
    return _orig_variable_op.fget(variable)
  except AttributeError:
    if (_pass_frame() is None or
        not _reads_tf1_ops(sys._getframe(1).f_globals.get("__name__", ""))):  # pylint: disable=protected-access
      raise
  op = variable.__dict__.get("_tf1scope_op")
  if op is None:
    op = variable._tf1scope_op = VariableOp(variable)  # pylint: disable=protected-access
  return op


def _install_variable_op():
  _resource_variable_ops.BaseResourceVariable.op = property(
      _variable_op, doc=_orig_variable_op.__doc__)


# --- The Saver a CheckpointSaverHook finds (tensorflow/python/training/basic_session_run_hooks.py)
#
# TF1's ``CheckpointSaverHook`` made without a saver or scaffold takes the
# Saver in the graph's SAVERS collection when it first saves
# (``after_create_session``), with the model's graph as the default graph.
# An Estimator's hooks run their steps eagerly, outside that graph; the
# Estimator hands its Saver to such a hook as the collection would have.
# ``tests/test_compat.py`` pins the attributes read here.

from tensorflow.python.training import basic_session_run_hooks as _basic_session_run_hooks  # noqa: E402  pylint: disable=wrong-import-position


def give_default_saver(hooks, saver):
  """Makes ``saver`` the Saver of each ``CheckpointSaverHook`` in ``hooks`` made with neither saver nor scaffold."""
  for hook in hooks:
    if (isinstance(hook, _basic_session_run_hooks.CheckpointSaverHook) and
        hook._saver is None and hook._scaffold is None):  # pylint: disable=protected-access
      hook._saver = saver  # pylint: disable=protected-access


def add_saving_listeners(hook, listeners):
  """Adds ``listeners`` to a ``CheckpointSaverHook``'s, as TF1's Estimator gave it its saving_listeners.

  The hook has begun (in the pass), so the listeners are begun here, as the
  hook's ``begin`` would have.
  """
  for listener in listeners:
    if listener not in hook._listeners:  # pylint: disable=protected-access
      hook._listeners.append(listener)  # pylint: disable=protected-access
      listener.begin()


def is_assign_result(variable):
  """Whether ``variable`` is what an assign returned (fetching it runs the assign, then reads).

  TF's ``_UnreadVariable``: a variable on the assigned variable's handle,
  whose reads depend on the assign op.
  """
  return isinstance(variable, _resource_variable_ops._UnreadVariable)  # pylint: disable=protected-access


# --- TPUEstimator's ExamplesPerSecondHook (basic_session_run_hooks.StepCounterHook) ---
#
# TF1's TPUEstimator logged steps and examples per second with a
# StepCounterHook whose ``_log_and_record(elapsed_steps, elapsed_time,
# global_step)`` (what StepCounterHook.after_run calls) also writes
# ``examples/sec``. ``tests/test_compat.py`` pins that call.


class ExamplesPerSecondHook(_basic_session_run_hooks.StepCounterHook):
  """TF1's ``ExamplesPerSecondHook``: ``global_step/sec`` and ``examples/sec`` summaries."""

  def __init__(self, batch_size, every_n_steps=100, every_n_secs=None,
               output_dir=None, summary_writer=None):
    self._batch_size = batch_size
    super().__init__(every_n_steps=every_n_steps, every_n_secs=every_n_secs,
                     output_dir=output_dir, summary_writer=summary_writer)

  def _log_and_record(self, elapsed_steps, elapsed_time, global_step):
    steps_per_sec = elapsed_steps / elapsed_time
    examples_per_sec = self._batch_size * steps_per_sec
    if self._summary_writer is not None:
      for tag, value in (("global_step/sec", steps_per_sec),
                         ("examples/sec", examples_per_sec)):
        self._summary_writer.add_summary(
            tf.compat.v1.Summary(value=[tf.compat.v1.Summary.Value(
                tag=tag, simple_value=value)]), global_step)
    tf.compat.v1.logging.info("global_step/sec: %g", steps_per_sec)
    tf.compat.v1.logging.info("examples/sec: %g", examples_per_sec)


# --- A pass's variable names in a tf.function graph (ops.Graph._names_in_use) ------
#
# In TF1 a variable is a graph node, so an op or name scope made later with
# its name gets ``_1`` (``summary.scalar("w", ...)`` after ``get_variable("w")``
# is tagged ``w_1``). A pass's variables are made outside the tf.function
# graph; while a pass traces one, the graph node names it gives its variables
# are also marked used in the graph, as ``Graph.unique_name(name)`` marks
# them (lower-cased keys in ``Graph._names_in_use``). ``tests/test_compat.py``
# pins that table.


class GraphNodeNames(set):
  """The set of a pass's variable node names that also marks each name used in ``graph``."""

  __slots__ = ("_used", "_prefix")

  def __init__(self, graph, prefix):
    super().__init__()
    self._used = graph._names_in_use  # pylint: disable=protected-access
    self._prefix = prefix

  def add(self, name):
    super().add(name)
    key = (self._prefix + name).lower()
    if not self._used.get(key):
      self._used[key] = 1


def graph_node_names(prefix):
  """A :class:`GraphNodeNames` for the tf.function graph being traced, or a plain set when eager."""
  if not building_function():
    return set()
  return GraphNodeNames(_ops.get_default_graph(), prefix)
