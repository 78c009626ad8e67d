"""The measurements: each workload on a set of backends, side by side in this process.

Every function returns plain data (JSON-able), keyed by the row keys that
``report.row_specs`` lists, so that a subprocess's rows can be merged into the
parent's table.
"""

import gc
import sys
import time
import tracemalloc

import tensorflow as tf

tf.get_logger().setLevel("ERROR")  # first-call repeats retrace on purpose

from benchmarks import backends as backends_lib
from benchmarks import measure
from benchmarks import workloads


_START = time.perf_counter()


def _log(msg):
  print(f"[bench {time.perf_counter() - _START:6.1f}s] {msg}", file=sys.stderr,
        flush=True)


def _row(times, scale, base="native"):
  return measure.summarize(times, base=base, scale=scale)


def _skip_row(reasons):
  return {"values": {}, "ratios": {}, "skipped": dict(reasons)}


class Suite:
  """Runs the workloads of one ``Config`` on ``backends`` (names; ``native`` first)."""

  def __init__(self, config, backend_names):
    self.config = config
    self.backends = {name: backends_lib.make(name) for name in backend_names}
    self.rows = {}
    self.notes = []

  # --- calls of a model: eager, tf.function, first call -------------------------

  def _inputs(self, workload):
    cfg = self.config
    if workload == "mlp":
      return tf.random.stateless_uniform([cfg.mlp_batch, cfg.mlp_width],
                                         seed=(1, 2))
    return tf.random.stateless_uniform(
        [cfg.conv_batch, cfg.conv_size, cfg.conv_size, 3], seed=(1, 2))

  def _maker(self, backend, workload):
    cfg = self.config
    if workload == "mlp":
      return lambda: backend.mlp(cfg.mlp_layers, cfg.mlp_width)
    if workload == "conv":
      return backend.convnet
    return backend.convnet_layers

  def _expected_variables(self, workload):
    if workload == "mlp":
      return 2 * self.config.mlp_layers
    return 2 * (len(workloads.CONV_SPECS) + 1)

  def calls(self, workload):
    """Rows ``<workload>.eager``, ``.function`` and ``.first``."""
    cfg = self.config
    x = self._inputs(workload)
    makers, skipped = {}, {}
    for name, backend in self.backends.items():
      maker = self._maker(backend, workload)
      try:
        module = maker()
        module(x)
        module(x)
      except backends_lib.Unsupported as e:
        skipped[name] = str(e)
        continue
      count = len(module.trainable_variables)
      if count != self._expected_variables(workload):
        skipped[name] = (f"BROKEN: {count} variables after two calls, "
                         f"expected {self._expected_variables(workload)}")
        continue
      makers[name] = maker
    if "native" not in makers:
      for suffix in ("eager", "function", "first"):
        self.rows[f"{workload}.{suffix}"] = _skip_row(skipped)
      return

    _log(f"{workload}: eager")
    eager = {}
    for name, maker in makers.items():
      module = maker()
      module(x)
      eager[name] = lambda m=module: m(x)
    times = measure.interleaved(eager, cfg.eager_repeats, cfg.eager_number)
    self._put(f"{workload}.eager", _row(times, 1e6), skipped)

    _log(f"{workload}: tf.function")
    functions = {}
    for name, maker in makers.items():
      module = maker()
      fn = tf.function(module.__call__)
      fn(x)
      fn(x)
      functions[name] = lambda f=fn: f(x)
    times = measure.interleaved(functions, cfg.function_repeats,
                                cfg.function_number)
    self._put(f"{workload}.function", _row(times, 1e6), skipped)

    _log(f"{workload}: first call")
    first = {}
    for name, maker in makers.items():
      def first_call(maker=maker):
        tf.function(maker().__call__)(x)
      first[name] = first_call
    gc.collect()
    times = measure.interleaved(first, cfg.first_repeats)
    self._put(f"{workload}.first", _row(times, 1e3), skipped)

  def _put(self, key, row, skipped):
    if skipped:
      row["skipped"] = dict(skipped)
    self.rows[key] = row

  # --- the get_variable-heavy pass ---------------------------------------------

  def many_variables(self):
    """Rows ``vars.<N>.create`` and ``vars.<N>.reuse`` (seconds -> us per variable)."""
    cfg = self.config
    for n in cfg.var_counts:
      _log(f"get_variable pass: N={n}")
      create = {name: [] for name in self.backends}
      reuse = {name: [] for name in self.backends}
      broken = {}
      names = list(self.backends)
      reuse_number = max(1, 2_000 // n)
      for r in range(cfg.var_repeats(n)):
        k = r % len(names)
        for name in names[k:] + names[:k]:
          backend = self.backends[name]
          gc.collect()
          start = time.perf_counter()
          module = backend.many_variables(n, cfg.var_block)
          module()
          mid = time.perf_counter()
          for _ in range(reuse_number):
            module()
          end = time.perf_counter()
          create[name].append((mid - start) / n)
          reuse[name].append((end - mid) / reuse_number / n)
          count = len(module.variables)
          if count != n:
            broken[name] = f"BROKEN: {count} variables, expected {n}"
          del module
      for name in broken:
        create.pop(name)
        reuse.pop(name)
      self._put(f"vars.{n}.create", _row(create, 1e6), broken)
      self._put(f"vars.{n}.reuse", _row(reuse, 1e6), broken)
    lo, hi = min(cfg.var_counts), max(cfg.var_counts)
    flat = {"values": {}, "ratios": {}}
    for name in self.backends:
      a = self.rows[f"vars.{lo}.reuse"]["values"].get(name)
      b = self.rows[f"vars.{hi}.reuse"]["values"].get(name)
      if a and b:
        flat["values"][name] = b / a
    self.rows["vars.reuse_flat"] = flat

  def memory(self):
    """Rows ``vars.<N>.mem_create`` and ``.mem_reuse``: tracemalloc peak, bytes per variable."""
    cfg = self.config
    for n in cfg.memory_var_counts:
      _log(f"memory: N={n}")
      mem_create = {"values": {}, "ratios": {}}
      mem_reuse = {"values": {}, "ratios": {}}
      for name, backend in self.backends.items():
        def create(backend=backend):
          module = backend.many_variables(n, cfg.var_block)
          module()
          return module
        module, peak, _ = measure.traced(create)
        mem_create["values"][name] = peak / n
        _, peak, _ = measure.traced(module)
        mem_reuse["values"][name] = peak / n
        del module
      for row in (mem_create, mem_reuse):
        base = row["values"].get("native")
        if base:
          row["ratios"] = {k: v / base for k, v in row["values"].items()}
      self.rows[f"vars.{n}.mem_create"] = mem_create
      self.rows[f"vars.{n}.mem_reuse"] = mem_reuse

  # --- memory over many calls ------------------------------------------------------

  def leak(self):
    """Rows ``leak.bytes``, ``leak.objects``, ``leak.variables`` over ``leak_calls`` eager MLP calls.

    ``leak.bytes``: Python memory added per call over the last ``leak_window``
    calls, measured against the window before it; ``leak.objects``: gc-tracked
    objects added from the end of the warm-up to the traced windows.
    """
    cfg = self.config
    x = self._inputs("mlp")
    rows = {k: {"values": {}, "ratios": {}}
            for k in ("leak.bytes", "leak.objects", "leak.variables")}
    for name, backend in self.backends.items():
      _log(f"memory over {cfg.leak_calls} calls: {name}")
      module = backend.mlp(cfg.mlp_layers, cfg.mlp_width)
      for _ in range(cfg.leak_warmup):
        module(x)
      variables = len(module.variables)
      gc.collect()
      objects = len(gc.get_objects())
      for _ in range(cfg.leak_calls - 2 * cfg.leak_window):
        module(x)
      gc.collect()
      objects = len(gc.get_objects()) - objects

      # Traced over two windows: what the second one adds is growth, while a
      # bounded cache that only replaces its entries adds nothing.
      def windows(module=module):
        marks = []
        for _ in range(2):
          for _ in range(cfg.leak_window):
            module(x)
          gc.collect()
          marks.append(tracemalloc.get_traced_memory()[0])
        return marks[1] - marks[0]
      grown, _, _ = measure.traced(windows)
      rows["leak.bytes"]["values"][name] = grown / cfg.leak_window
      rows["leak.objects"]["values"][name] = objects
      rows["leak.variables"]["values"][name] = len(module.variables) - variables
      del module
    self.rows.update(rows)

  def result(self):
    return {"config": self.config.name, "backends": list(self.backends),
            "rows": self.rows, "notes": self.notes,
            "rss_peak_kib": measure.rss_kib()[1]}


def cold_start(config):
  """Rows ``cold.first`` and ``cold.eager``, in a process where tf1scope has not run yet.

  A training script's first pass is often inside ``tf.function``: this times
  that first call against native's first call, then eager calls afterwards.
  """
  native = backends_lib.Native()
  tf1 = backends_lib.tf1scope_backend()
  layers, width = config.mlp_layers, config.mlp_width
  x = tf.random.stateless_uniform([config.mlp_batch, width], seed=(1, 2))
  # TensorFlow's own one-time costs (lazy imports, first trace, first
  # variables), out of the way, with code that neither side runs: warming up
  # with native's MLP would leave autograph's conversion of its __call__
  # cached for native's measured call only.
  warm = tf.Variable(tf.ones([width, width]), name="warm_up")

  @tf.function
  def warm_up(inputs):
    return tf.nn.relu(tf.matmul(inputs, warm) + 1.0)
  warm_up(x)

  def first(backend):
    # Both sides start from the same collector state: otherwise a full
    # collection (about 150 ms in this process) falls in whichever call
    # happens to trigger it.
    gc.collect()
    start = time.perf_counter()
    module = backend.mlp(layers, width)
    tf.function(module.__call__)(x)
    return time.perf_counter() - start
  _log("cold start: first call")
  t_native = first(native)
  t_tf1 = first(tf1)
  rows = {"cold.first": {"values": {"native": t_native * 1e3,
                                    "tf1scope": t_tf1 * 1e3},
                         "ratios": {"native": 1.0,
                                    "tf1scope": t_tf1 / t_native}}}
  _log("cold start: eager calls afterwards")
  eager = {}
  for name, backend in (("native", native), ("tf1scope", tf1)):
    module = backend.mlp(layers, width)
    module(x)
    eager[name] = lambda m=module: m(x)
  times = measure.interleaved(eager, max(3, config.eager_repeats // 3),
                              config.eager_number)
  rows["cold.eager"] = _row(times, 1e6)
  return {"config": config.name, "backends": ["native", "tf1scope"],
          "rows": rows, "notes": [], "rss_peak_kib": measure.rss_kib()[1]}
