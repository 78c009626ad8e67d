"""Where tf1scope spends its time: operation costs, overhead split, stand-ins, profiles.

    python -m benchmarks.hotspots                    # everything (a few minutes)
    python -m benchmarks.hotspots --only ablations   # micro, decomposition, ablations, profile

Times are the calling thread's CPU time (medians over repeats, no profiler),
so a shared machine's descheduling does not count. ``micro``: single TF1
operations inside a pass (an empty pass, variable_scope enter/exit, name
scopes, get_variable on its three paths) against the closest native
operation, and the TF pieces they are built from. ``decomposition``: the
eager MLP's overhead split into the pass, the variable_scopes and the
get_variable calls. ``ablations``: what skipping or cheapening one tf1scope
function saves (stand-ins, not fixes). ``profile``: cProfile of the eager
MLP forward and of a reuse pass, the functions with the most self time.
"""

import argparse
import contextlib
import cProfile
import gc
import importlib
import os
import pstats
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # pylint: disable=g-import-not-at-top
import tensorflow as tf  # pylint: disable=g-import-not-at-top

import tf1scope  # pylint: disable=g-import-not-at-top
from benchmarks import backends  # pylint: disable=g-import-not-at-top
from benchmarks import measure  # pylint: disable=g-import-not-at-top
from benchmarks import workloads  # pylint: disable=g-import-not-at-top

K = 1000   # operations per timed loop

# CPU time of this thread: the code measured here runs in the calling thread,
# and on a shared machine this clock leaves out the time spent descheduled.
_clock = time.thread_time
_NAMES = tuple("n%d" % i for i in range(K))


def _median_us(fn, repeats):
  """Median over ``repeats`` of ``fn()``, which returns seconds for K operations."""
  return statistics.median(fn() for _ in range(repeats)) / K * 1e6


class _Probe(tf.Module):
  """A decorated method that runs ``body`` (which times itself) in a pass."""

  @tf1scope.track_tf1_style_variables
  def __call__(self, body):
    return body()


def _in_pass(body, probe=None):
  return lambda: (probe or _Probe())(body)


def _loop(op):
  """Seconds for K calls of ``op(i)``, minus nothing (the loop is the baseline row)."""
  def body():
    start = _clock()
    for i in range(K):
      op(i)
    return _clock() - start
  return body


def micro(repeats):
  """(label, tf1scope us per op, native label, native us per op) rows."""
  rows = []
  empty = _loop(lambda i: None)
  rows.append(("python loop iteration (baseline)", _median_us(empty, repeats),
               "", None))

  # An empty pass: the decorated call itself.
  probe = _Probe()
  noop = lambda: None  # pylint: disable=unnecessary-lambda-assignment

  def passes():
    start = _clock()
    for _ in range(K):
      probe(noop)
    return _clock() - start

  def plain_calls():
    start = _clock()
    for _ in range(K):
      noop()
    return _clock() - start
  rows.append(("empty pass (decorated call, no body)",
               _median_us(passes, repeats), "plain call",
               _median_us(plain_calls, repeats)))

  # Scopes inside a pass.
  def vs_enter_exit(i):
    with tf.compat.v1.variable_scope(_NAMES[i]):
      pass

  def ns_v2(i):
    with tf.name_scope(_NAMES[i]):
      pass

  def ns_v1(i):
    with tf.compat.v1.name_scope(_NAMES[i]):
      pass

  def vs_ctor(i):
    tf.compat.v1.variable_scope(_NAMES[i])

  for label, op in (("variable_scope(name) enter+exit", vs_enter_exit),
                    ("  of which variable_scope(name) __init__ (TF's)", vs_ctor),
                    ("tf.name_scope(name) enter+exit", ns_v2),
                    ("tf.compat.v1.name_scope(name) enter+exit", ns_v1)):
    native = None
    if op is ns_v2:
      native = _median_us(_loop(op), repeats)
    rows.append((label, _median_us(_in_pass(_loop(op)), repeats),
                 "tf.name_scope outside a pass" if native else "", native))

  # get_variable on its three paths.
  owner = _Probe()
  shape = [4]

  def get(i):
    tf.compat.v1.get_variable(_NAMES[i], shape, initializer=workloads.ZEROS)

  def create():
    return _loop(get)()

  def make_owner_and_create():
    nonlocal owner
    owner = _Probe()
    return owner(create)

  native_vars = []

  def native_create():
    native_vars.clear()
    start = _clock()
    for i in range(K):
      native_vars.append(tf.Variable(workloads.ZEROS(shape), name=_NAMES[i]))
    return _clock() - start

  rows.append(("get_variable: create", _median_us(make_owner_and_create,
                                                  max(3, repeats // 3)),
               "tf.Variable(zeros)", _median_us(native_create,
                                                max(3, repeats // 3))))

  def stored():   # first use in this pass of a variable an earlier pass made
    return owner(_loop(get))

  def touched():  # second use in the same pass (reuse=True)
    def body():
      _loop(get)()
      tf.compat.v1.get_variable_scope().reuse_variables()
      return _loop(get)()
    return owner(body)
  rows.append(("get_variable: reuse, first use in the pass",
               _median_us(stored, repeats), "list lookup", None))
  rows.append(("get_variable: reuse, again in the same pass (reuse=True)",
               _median_us(touched, repeats), "", None))

  # TF's own entry point, for scale.
  vs = tf.compat.v1.get_variable_scope

  def get_scope(i):
    del i
    vs()
  rows.append(("tf.compat.v1.get_variable_scope()",
               _median_us(_in_pass(_loop(get_scope)), repeats),
               "outside a pass", _median_us(_loop(get_scope), repeats)))
  return rows


def building_blocks(repeats):
  """Costs of the TensorFlow and Python pieces the hot paths are made of."""
  from tf1scope import getter  # pylint: disable=g-import-not-at-top
  from tf1scope import naming  # pylint: disable=g-import-not-at-top
  variable = tf.Variable(tf.zeros([4]))
  shape = tf.TensorShape([4])
  creator = lambda next_creator, **kw: next_creator(**kw)  # pylint: disable=unnecessary-lambda-assignment
  options = getattr(getter, "VariableOptions", None)
  pieces = [
      ("tf.TensorShape([4])", lambda i: tf.TensorShape([4])),
      ("tf.as_dtype(tf.float32)", lambda i: tf.as_dtype(tf.float32)),
      ("variable.shape (builds a TensorShape)", lambda i: variable.shape),
      ("shape.is_compatible_with(variable.shape)",
       lambda i: shape.is_compatible_with(variable.shape)),
      ("naming.validate_scope_name (regex)",
       lambda i: naming.validate_scope_name("block_1", "a")),
      ("with tf.name_scope('a/') (TF's own, eager)", _enter(
          lambda: tf.name_scope("a/"))),
      ("with tf.variable_creator_scope(f) (once per pass)", _enter(
          lambda: tf.variable_creator_scope(creator))),
  ]
  if options is not None:
    pieces.append(("VariableOptions(...) (slotted dataclass, 15 fields)",
                   lambda i: options("n", [4], tf.float32, None, None, None,
                                     True, None, None, None, True, None, None,
                                     tf.VariableSynchronization.AUTO,
                                     tf.VariableAggregation.NONE)))
  return [(label, _median_us(_loop(op), repeats)) for label, op in pieces]


def _enter(make):
  def op(i):
    del i
    with make():
      pass
  return op


class _NoScope:

  def __init__(self, *args):
    pass

  def __enter__(self):
    return None

  def __exit__(self, *exc):
    return False


class _ScopeSink:
  """Takes the name-scope string a stand-in of set_real_name_scope restores."""
  scope_name = None


_SCOPE_SINK = _ScopeSink()


def _untracked_add(self, table, key, variable, collections, regularizer=None):
  """``VariableStore.add`` without the tracked table (checkpoint keys) or owner hooks."""
  from tf1scope import store  # pylint: disable=g-import-not-at-top
  record = store.Record(variable, collections, regularizer, key)
  table[key] = record
  return record


def _push_name_scope_stand_in(frame, name):
  """``scopes.push_name_scope`` that opens nothing; its token fits the real pop."""
  del name
  return "", (frame.name_stack, (_SCOPE_SINK, None))


# (what the change would be, module, attribute, stand-in). Each stand-in skips
# or cheapens one piece so that its cost can be measured; none is a fix, and
# a piece the current code no longer calls shows a saving of about zero.
ABLATIONS = (
    ("no graph-node name claimed per reused variable (naming.claim_variable)",
     "tf1scope.naming", "claim_variable",
     lambda names, nodes, name, key=None: name),
    ("no sub-scope counter reset per scope exit (scopes._close_subscopes)",
     "tf1scope.scopes", "_close_subscopes", lambda frame, name: None),
    ("no TF name-scope sync (_compat.set_real_name_scope)",
     "tf1scope._compat", "set_real_name_scope",
     lambda scope_string: (_SCOPE_SINK, None)),
    ("no variable creator per pass (the decorator's wrapper)",
     "tf1scope._compat", "variable_creator", _NoScope),
    ("no root name scope around each creation (scopes.push_name_scope)",
     "tf1scope.scopes", "push_name_scope", _push_name_scope_stand_in),
    ("no checkpoint-table entry per created variable (VariableStore.add)",
     "tf1scope.store", "VariableStore.add", _untracked_add),
    ("no collection bookkeeping per variable (store.touch)",
     "tf1scope.store", "touch", lambda frame, name, record: None),
)


def _patched(patches):
  """A context manager that applies ``patches`` [(module, attr, value)] for the block."""
  @contextlib.contextmanager
  def manager():
    saved = []
    try:
      for module, attr, value in patches:
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, value)
      yield
    finally:
      for module, attr, value in reversed(saved):
        setattr(module, attr, value)
  return manager


def ablations(repeats):
  """How much each change would save.

  Returns (label, reuse us/var saved, reuse us/var, MLP us/call saved, MLP
  us/call, create us/var saved, create us/var) rows; the savings are None
  when the function a stand-in replaces is gone.
  """
  tf1 = backends.make("tf1scope")
  n_create = 200
  tf1.many_variables(n_create, 10)()   # the first module made pays for imports
  n = 1000
  many = tf1.many_variables(n, 10)
  many()
  mlp = tf1.mlp(20, 64)
  x = tf.ones([32, 64])
  mlp(x)
  resolved = []
  for label, module_name, attr, value in ABLATIONS:
    owner = importlib.import_module(module_name)
    *path, attr = attr.split(".")
    for part in path:
      owner = getattr(owner, part, None)
    if owner is None or not hasattr(owner, attr):
      resolved.append((label, None))
      continue
    resolved.append((label, [(owner, attr, value)]))
  everything = [p for _, ps in resolved if ps for p in ps]
  resolved.append(("all of the above together", everything))

  def timed(fn, number, manager):
    def run():
      with manager():
        start = _clock()
        for _ in range(number):
          fn()
        return (_clock() - start) / number
    return run

  def create():
    # A fresh module creates its variables; collections are kept out of the
    # timed part (creating variables makes a lot of garbage at once).
    module = tf1.many_variables(n_create, 10)
    gc.disable()
    try:
      module()
    finally:
      gc.enable()

  baseline = _patched([])
  out = []
  for label, patches in resolved:
    if patches is None:
      out.append((label, None, None, None, None, None, None))
      continue
    manager = _patched(patches)
    saved = []
    for fn, number, units in ((many, 2, n), (lambda: mlp(x), 5, 1),
                              (create, 1, n_create)):
      runs = (timed(fn, number, baseline), timed(fn, number, manager))
      pairs = ([], [])
      for r in range(repeats):  # alternate which side goes first
        for side in ((0, 1) if r % 2 == 0 else (1, 0)):
          pairs[side].append(runs[side]())
      base = statistics.median(pairs[0]) / units * 1e6
      diffs = [(b - a) / units * 1e6 for b, a in zip(*pairs)]
      saved.append((statistics.median(diffs), base))
    out.append((label, saved[0][0], saved[0][1], saved[1][0], saved[1][1],
                saved[2][0], saved[2][1]))
  return out


def _mlp_scopes_only(x, params):
  """The MLP's variable_scopes around native variables: no get_variable."""
  for i, (kernel, bias) in enumerate(params):
    with tf.compat.v1.variable_scope("layer_%d" % i):
      pass
    x = tf.nn.relu(tf.matmul(x, kernel) + bias)
  return x


def _mlp_getters_only(x, layers, width):
  """The MLP's get_variable calls without variable_scopes."""
  for i in range(layers):
    kernel = tf.compat.v1.get_variable("layer_%d_kernel" % i, [width, width],
                                       initializer=workloads.GLOROT)
    bias = tf.compat.v1.get_variable("layer_%d_bias" % i, [width],
                                     initializer=workloads.ZEROS)
    x = tf.nn.relu(tf.matmul(x, kernel) + bias)
  return x


# --- A floor for the eager MLP: the TF1 calls with empty hooks ----------------
#
# Stand-ins for the pass's variable_scope and get_variable handlers that keep
# no TF1 semantics at all (no name scopes, counters, reuse checks or
# collections): a scope entry only swaps the current scope, a get_variable is
# one dict lookup of a variable an earlier pass stored. TF1 code still builds
# TensorFlow's own ``variable_scope`` objects and goes through the hooks, so
# the MLP with these stand-ins is what any library hooking those TF1 calls
# would cost at best. They are measurements, not a mode of tf1scope.


def _floor_enter_variable_scope(frame, args):
  old = frame.scope
  name = args["_name_or_scope"]
  scope = tf1scope.VariableScope.__new__(tf1scope.VariableScope)
  scope.__dict__ = {**old.__dict__,
                    "_name": old.name + "/" + name if old.name else name}
  args["_tf1scope_entries"] = [(frame, old)]
  frame.scope = scope
  return scope


def _floor_exit_variable_scope(entries, exc_info):
  del exc_info
  frame, old = entries.pop()
  frame.scope = old
  return False


def _floor_get_variable(frame, name, *args):
  del args
  scope_name = frame.scope.name
  return frame.tables[0][scope_name + "/" + name if scope_name else name].variable


def _with_floor_hooks(fn, scopes=True, getters=True):
  """``fn`` run with the empty stand-ins in place of the pass's handlers."""
  from tf1scope import decorator  # pylint: disable=g-import-not-at-top
  handlers = decorator._HANDLERS  # pylint: disable=protected-access
  patches = []
  if scopes:
    patches += [(handlers, "enter_variable_scope", _floor_enter_variable_scope),
                (handlers, "exit_variable_scope", _floor_exit_variable_scope)]
  if getters:
    patches.append((handlers, "get_variable", _floor_get_variable))
  manager = _patched(patches)

  def run():
    with manager():
      return fn()
  return run


def decomposition(repeats, layers=20, width=64):
  """The eager MLP's overhead split into pass, variable_scopes and get_variables.

  Returns (label, ms per call, ratio to native) rows. Every variant runs the
  same ops; the middle ones add only the pass, only the 20 variable_scopes
  (around native variables), or only the 40 get_variable calls. Two rows
  give a floor: the same TF1 calls with handlers that keep no TF1 semantics
  (see ``_floor_enter_variable_scope``). The last row, for reference, enters
  TensorFlow's own ``variable_scope`` eagerly outside any pass.
  """
  decorator = tf1scope.track_tf1_style_variables
  native = workloads.NativeMLP(layers, width)
  params = native.params
  in_pass = workloads.tf1_style_class(decorator, lambda x: native(x))()
  scopes = workloads.tf1_style_class(
      decorator, lambda x: _mlp_scopes_only(x, params))()
  getters = workloads.tf1_style_class(
      decorator, lambda x: _mlp_getters_only(x, layers, width))()
  full = backends.make("tf1scope").mlp(layers, width)
  x = tf.ones([32, width])
  fns = {"native": lambda: native(x),
         "pass around native ops": lambda: in_pass(x),
         "pass + 20 variable_scopes (native variables)": lambda: scopes(x),
         "pass + 40 get_variables (no scopes)": lambda: getters(x),
         "tf1scope MLP (scopes + get_variables)": lambda: full(x),
         "floor: 20 variable_scopes with empty hooks (native variables)":
             _with_floor_hooks(lambda: scopes(x), getters=False),
         "floor: the MLP with empty scope hooks and dict-lookup get_variables":
             _with_floor_hooks(lambda: full(x)),
         # For reference: TensorFlow's own eager variable_scope (no pass,
         # so TF1 semantics are not kept), around the same native variables.
         "TF's own 20 variable_scopes, no pass (native variables)":
             lambda: _mlp_scopes_only(x, params)}
  for fn in fns.values():
    fn()
    fn()
  # Each floor row must compute what the row it bounds computes.
  for floor, real in (("floor: 20 variable_scopes with empty hooks (native variables)",
                       "pass + 20 variable_scopes (native variables)"),
                      ("floor: the MLP with empty scope hooks and dict-lookup get_variables",
                       "tf1scope MLP (scopes + get_variables)")):
    if not np.array_equal(fns[floor]().numpy(), fns[real]().numpy()):
      raise AssertionError(f"{floor!r} computes something else than {real!r}")
  times = measure.interleaved(fns, repeats, 5, clock=_clock)
  rows = []
  for name, ts in times.items():
    ratio = statistics.median(t / b for t, b in zip(ts, times["native"]))
    rows.append((name, statistics.median(ts) * 1e3, ratio))
  return rows


def _short(path):
  for prefix in (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                 os.path.dirname(os.path.dirname(tf.__file__))):
    if path.startswith(prefix + os.sep):
      return path[len(prefix) + 1:]
  return path


def profile(label, fn, calls, top, per, units_per_call):
  """Runs ``fn`` ``calls`` times under cProfile and prints the top self-time functions.

  Times are divided by ``calls * units_per_call``: per get_variable call, or
  per variable.
  """
  fn()
  prof = cProfile.Profile()
  prof.enable()
  for _ in range(calls):
    fn()
  prof.disable()
  stats = pstats.Stats(prof).stats
  total = sum(v[2] for v in stats.values())
  rows = []
  for (path, line, name), (cc, nc, tt, ct, _) in stats.items():
    rows.append((tt, ct, nc, f"{_short(path)}:{line}({name})"))
  rows.sort(reverse=True)
  print(f"\n== cProfile: {label} ({calls} calls; profiled total "
        f"{total / calls * 1e3:.2f} ms per call; times are per {per})")
  print(f"{'self %':>7} {'self us':>9} {'cum us':>9} {'calls':>8}  function")
  units = calls * units_per_call
  for tt, ct, nc, where in rows[:top]:
    print(f"{tt / total * 100:6.1f}% {tt / units * 1e6:9.2f} "
          f"{ct / units * 1e6:9.2f} {nc / calls:8.1f}  {where}")
  tf1 = sum(tt for (path, _, _), (_, _, tt, _, _) in stats.items()
            if os.sep + "tf1scope" + os.sep in path)
  print(f"self time in tf1scope/: {tf1 / total * 100:.1f}% of the profile")


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--repeats", type=int, default=9)
  parser.add_argument("--top", type=int, default=25)
  parser.add_argument("--only", choices=("micro", "decomposition", "ablations", "profile"),
                      help="run one part only")
  args = parser.parse_args(argv)

  print(f"empty Python call: {measure.python_call_ns():.0f} ns (a machine "
        "speed gauge); times below are this thread's CPU time")
  if args.only in (None, "micro"):
    print("\n== per-operation costs inside a pass (median of "
          f"{args.repeats} x {K} operations, us per operation)")
    for label, ours, native_label, native in micro(args.repeats):
      extra = f"   [{native_label}: {native:.2f}]" if native is not None else ""
      print(f"{ours:9.2f}  {label}{extra}")
    print("\n== building blocks (us per operation)")
    for label, us in building_blocks(args.repeats):
      print(f"{us:9.2f}  {label}")
  if args.only in (None, "decomposition"):
    print("\n== eager MLP 20x64: where the overhead is (CPU ms per call; "
          "ratio to native, median of paired repeats)")
    for label, ms, ratio in decomposition(max(args.repeats, 9)):
      print(f"{ms:8.2f} ms  {ratio:5.2f}x  {label}")
  if args.only in (None, "ablations"):
    _print_ablations(args.repeats)
  if args.only in (None, "profile"):
    _print_profiles(args.top)


def _print_ablations(repeats):
  print("\n== what each change would save (median of paired differences; "
        "stand-ins skip or cheapen one piece, they are not fixes)")
  print(f"{'reuse us/var saved':>22} {'MLP eager us/call saved':>26} "
        f"{'create us/var saved':>23}  change")
  for (label, reuse, reuse_base, mlp_saved, mlp_base, create_saved,
       create_base) in ablations(repeats):
    if reuse is None:
      print(f"{'n/a':>22} {'n/a':>26} {'n/a':>23}  {label} (not in this version)")
      continue
    print(f"{reuse:8.2f} of {reuse_base:7.2f} ({reuse / reuse_base:4.0%}) "
          f"{mlp_saved:9.0f} of {mlp_base:7.0f} ({mlp_saved / mlp_base:4.0%}) "
          f"{create_saved:6.1f} of {create_base:6.1f} "
          f"({create_saved / create_base:4.0%})  {label}")


def _print_profiles(top):
  tf1 = backends.make("tf1scope")
  layers, width = 20, 64
  mlp = tf1.mlp(layers, width)
  x = tf.ones([32, width])
  mlp(x)
  profile(f"eager MLP {layers}x{width} forward", lambda: mlp(x), 50, top,
          "get_variable call", 2 * layers)
  n = 1000
  many = tf1.many_variables(n, 10)
  many()
  profile(f"reuse pass, N={n}", many, 20, top, "variable", n)


if __name__ == "__main__":
  main()
