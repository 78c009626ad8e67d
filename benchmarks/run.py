"""Runs the benchmarks and prints the table of ratios to native TF2.

    python -m benchmarks.run --quick           # a few seconds per section
    python -m benchmarks.run                   # the full table (~10 minutes)
    python -m benchmarks.run --skip tf_keras,leak --markdown table.md

Native and tf1scope are measured side by side in this process. Two rows need
a process of their own and run in subprocesses afterwards: the tf_keras shim
(it only works with ``TF_USE_LEGACY_KERAS=1``, which replaces Keras 3
process-wide; its ratios are to native measured in that same subprocess),
and the cold start (tf1scope's first pass ever, inside ``tf.function``).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from benchmarks import config as config_lib
from benchmarks import report

SECTIONS = ("mlp", "conv", "convlayers", "vars", "memory", "leak", "cold",
            "tf_keras")
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


_START = time.perf_counter()


def _log(msg):
  print(f"[bench {time.perf_counter() - _START:6.1f}s] {msg}", file=sys.stderr,
        flush=True)


def _sections(cfg_skip):
  skip = {s.strip() for s in cfg_skip.split(",") if s.strip()}
  unknown = skip - set(SECTIONS)
  if unknown:
    raise SystemExit(f"--skip: unknown section(s) {sorted(unknown)}; "
                     f"choose from {', '.join(SECTIONS)}")
  return [s for s in SECTIONS if s not in skip]


def run_suite(cfg, backend_names, sections):
  """Measures ``sections`` for ``backend_names`` in this process; returns the result dict."""
  from benchmarks import suite  # pylint: disable=g-import-not-at-top
  s = suite.Suite(cfg, backend_names)
  for workload in ("mlp", "conv", "convlayers"):
    if workload in sections:
      s.calls(workload)
  if "vars" in sections:
    s.many_variables()
  if "memory" in sections:
    s.memory()
  if "leak" in sections:
    s.leak()
  return s.result()


def _worker(args, cfg):
  """Entry point of a subprocess: writes its rows as JSON to ``--out``."""
  sections = _sections(args.skip)
  if args.worker == "cold":
    from benchmarks import suite  # pylint: disable=g-import-not-at-top
    result = suite.cold_start(cfg)
  else:
    from benchmarks import backends  # pylint: disable=g-import-not-at-top
    try:
      result = run_suite(cfg, ["native", "tf_keras"],
                         [s for s in sections if s not in ("cold", "tf_keras")])
      import tf_keras  # pylint: disable=g-import-not-at-top
      result["tf_keras_version"] = tf_keras.__version__
    except backends.Unsupported as e:
      result = {"unavailable": str(e)}
  with open(args.out, "w") as f:
    json.dump(result, f)


def _subprocess(kind, cfg, args, extra_env=None):
  """Runs a worker subprocess; returns its result dict, or {"unavailable": why}."""
  with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "result.json")
    env = dict(os.environ, **(extra_env or {}))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", kind,
           "--config", cfg.name, "--skip", args.skip, "--out", out]
    if args.var_counts:
      cmd += ["--var-counts", args.var_counts]
    if args.leak_calls:
      cmd += ["--leak-calls", str(args.leak_calls)]
    proc = subprocess.run(cmd, cwd=_ROOT, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    for line in proc.stderr.splitlines():
      if line.startswith("[bench"):
        print(line.replace("[bench", f"[{kind}", 1), file=sys.stderr,
              flush=True)
    if proc.returncode != 0 or not os.path.exists(out):
      tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
      return {"unavailable": f"the {kind} subprocess failed "
                             f"(exit {proc.returncode}):\n{tail}"}
    with open(out) as f:
      return json.load(f)


def merge(rows, result, backend):
  """Adds ``backend``'s values and ratios from a subprocess result to ``rows``."""
  for key, row in result.get("rows", {}).items():
    target = rows.setdefault(key, {"values": {}, "ratios": {}})
    if backend in row.get("values", {}):
      target["values"][backend] = row["values"][backend]
    if backend in row.get("ratios", {}):
      target["ratios"][backend] = row["ratios"][backend]
    if backend in row.get("skipped", {}):
      target.setdefault("skipped", {})[backend] = row["skipped"][backend]


def machine():
  """What the numbers were measured on."""
  info = {"nproc": os.cpu_count(), "python": platform.python_version()}
  try:
    with open("/proc/cpuinfo") as f:
      for line in f:
        if line.startswith("model name"):
          info["cpu"] = line.split(":", 1)[1].strip()
          break
    with open("/proc/meminfo") as f:
      info["memory_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
    info["loadavg"] = open("/proc/loadavg").read().split()[:3]
  except OSError:
    pass
  try:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=_ROOT,
                          capture_output=True, text=True, check=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "tf1scope"],
                           cwd=_ROOT, capture_output=True, text=True,
                           check=True).stdout
    info["commit"] = head.strip() + (" (tf1scope/ modified)" if dirty else "")
  except (OSError, subprocess.CalledProcessError):
    pass
  return info


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--quick", action="store_true",
                      help="small sizes and few repeats (seconds per section)")
  parser.add_argument("--skip", default="",
                      help="comma-separated sections to leave out: "
                      + ", ".join(SECTIONS))
  parser.add_argument("--var-counts",
                      help="N values of the get_variable pass, e.g. 100,1000 "
                      "(default: 100 to 100,000; quick: 100,1000)")
  parser.add_argument("--leak-calls", type=int,
                      help="eager calls of the memory-growth check "
                      "(default 10,000; quick 100)")
  parser.add_argument("--json", help="also write the raw results here")
  parser.add_argument("--markdown", help="also write the table here (Markdown)")
  parser.add_argument("--worker", choices=("tf_keras", "cold"),
                      help=argparse.SUPPRESS)
  parser.add_argument("--config", help=argparse.SUPPRESS)
  parser.add_argument("--out", help=argparse.SUPPRESS)
  args = parser.parse_args(argv)
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
  cfg = config_lib.with_overrides(
      config_lib.by_name(args.config or ("quick" if args.quick else "full")),
      config_lib.parse_counts(args.var_counts), args.leak_calls)
  if args.worker:
    return _worker(args, cfg)

  sections = _sections(args.skip)
  started = datetime.datetime.now()
  info = machine()
  from benchmarks import measure  # pylint: disable=g-import-not-at-top
  call_ns = [measure.python_call_ns()]
  _log(f"{cfg.name} run on {info.get('cpu')} x{info.get('nproc')}, "
       f"load {info.get('loadavg')}")
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  result = run_suite(cfg, ["native", "tf1scope"], sections)
  rows = result["rows"]
  notes = []
  if "cold" in sections:
    _log("cold start (subprocess)")
    cold = _subprocess("cold", cfg, args)
    if "unavailable" in cold:
      notes.append(cold["unavailable"])
    rows.update(cold.get("rows", {}))
  tf_keras_version = None
  if "tf_keras" in sections:
    _log("tf_keras shim (subprocess, TF_USE_LEGACY_KERAS=1)")
    keras = _subprocess("tf_keras", cfg, args,
                        {"TF_USE_LEGACY_KERAS": "1"})
    if "unavailable" in keras:
      notes.append("tf_keras column skipped: " + keras["unavailable"])
    else:
      merge(rows, keras, "tf_keras")
      tf_keras_version = keras.get("tf_keras_version")
  else:
    notes.append("tf_keras column skipped: --skip tf_keras")
  notes += report.skip_notes(rows)

  elapsed = (datetime.datetime.now() - started).total_seconds()
  call_ns.append(measure.python_call_ns())
  info["python_call_ns"] = [round(v) for v in call_ns]
  info["loadavg_end"] = open("/proc/loadavg").read().split()[:3] if (
      os.path.exists("/proc/loadavg")) else None
  versions = f"TensorFlow {tf.__version__}"
  if tf_keras_version:
    versions += f", tf_keras {tf_keras_version}"
  mode = cfg.name
  if args.var_counts or args.leak_calls:
    mode += (f"; N = {', '.join(f'{n:,}' for n in cfg.var_counts)}; "
             f"{cfg.leak_calls:,} calls")
  print(f"tf1scope benchmarks ({mode} mode, {elapsed:.0f} s): "
        f"{info.get('cpu')}, {info.get('nproc')} cores, "
        f"{info.get('memory_gib')} GiB; {versions}; Python {info['python']}; "
        f"commit {info.get('commit')}; load average "
        f"{' '.join(info.get('loadavg', []))} -> "
        f"{' '.join(info.get('loadavg_end') or [])}; empty Python call "
        f"{call_ns[0]:.0f} -> {call_ns[1]:.0f} ns (a machine speed gauge)")
  print()
  print(report.format_text(cfg, rows))
  print()
  met, missed, skipped = report.summary(cfg, rows)
  print(f"targets: {met} met, {missed} missed, {skipped} skipped. Ratios are "
        "medians of paired per-repeat ratios to native in the same process.")
  for note in notes:
    print("note: " + note)
  if args.markdown:
    with open(args.markdown, "w") as f:
      f.write(report.format_markdown(cfg, rows) + "\n")
  if args.json:
    with open(args.json, "w") as f:
      json.dump({"machine": info, "config": cfg.name, "rows": rows,
                 "notes": notes, "elapsed_s": elapsed}, f, indent=1)
  return 0


if __name__ == "__main__":
  sys.exit(main())
