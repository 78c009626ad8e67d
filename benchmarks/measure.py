"""Timing and memory primitives: interleaved repeats, paired ratios, tracemalloc.

The machine may be shared, so absolute times drift. Every comparison is made
in one process, side by side: each repeat runs every backend back to back (in
an order that rotates between repeats), and a ratio is the median over
repeats of the per-repeat ratio to the baseline, so that a slow moment hits
both sides of a pair.
"""

import gc
import statistics
import time
import tracemalloc


def interleaved(fns, repeats, number=1, clock=time.perf_counter):
  """Seconds per call of each ``fns[name]()``: ``{name: [one value per repeat]}``."""
  names = list(fns)
  times = {name: [] for name in names}
  for r in range(repeats):
    k = r % len(names)
    for name in names[k:] + names[:k]:
      fn = fns[name]
      start = clock()
      for _ in range(number):
        fn()
      times[name].append((clock() - start) / number)
  return times


def summarize(times, base="native", scale=1.0):
  """``{"values": {name: median * scale}, "ratios": {name: median paired ratio}}``."""
  values = {name: statistics.median(ts) * scale for name, ts in times.items()}
  ratios = {}
  if base in times:
    for name, ts in times.items():
      ratios[name] = statistics.median(
          t / b for t, b in zip(ts, times[base]) if b > 0)
  return {"values": values, "ratios": ratios}


def traced(fn):
  """Runs ``fn()`` under tracemalloc: (result, peak bytes, retained bytes)."""
  gc.collect()
  tracemalloc.start()
  try:
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    result = fn()
    current, peak = tracemalloc.get_traced_memory()
  finally:
    tracemalloc.stop()
  return result, peak - base, current - base


def rss_kib():
  """(current, peak) resident set size of this process, in KiB (Linux; else zeros)."""
  current = peak = 0
  try:
    with open("/proc/self/status") as f:
      for line in f:
        if line.startswith("VmRSS:"):
          current = int(line.split()[1])
        elif line.startswith("VmHWM:"):
          peak = int(line.split()[1])
  except OSError:
    pass
  return current, peak


def python_call_ns(calls=1_000_000):
  """Nanoseconds per call of an empty Python function: how fast the machine is right now."""
  def f():
    pass
  start = time.perf_counter()
  for _ in range(calls):
    f()
  return (time.perf_counter() - start) / calls * 1e9
