"""The benchmark's quick mode runs and prints every row of its table (no timing assertions)."""

import importlib.util
import os
import subprocess
import sys

import pytest
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks import config  # pylint: disable=g-import-not-at-top,wrong-import-position
from benchmarks import report  # pylint: disable=g-import-not-at-top,wrong-import-position


@pytest.fixture(scope="module")
def quick_run():
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
  env.pop("TF_USE_LEGACY_KERAS", None)
  proc = subprocess.run(
      [sys.executable, "-m", "benchmarks.run", "--quick"], cwd=ROOT, env=env,
      stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800,
      check=False)
  assert proc.returncode == 0, proc.stderr[-3000:]
  return proc.stdout


def test_quick_mode_prints_every_row(quick_run):
  lines = quick_run.splitlines()
  for spec in report.row_specs(config.QUICK):
    matching = [line for line in lines if line.startswith(spec.label)]
    assert matching, f"row {spec.key!r} ({spec.label!r}) missing:\n{quick_run}"


def test_quick_mode_prints_a_verdict_for_every_target(quick_run):
  lines = quick_run.splitlines()
  for spec in report.row_specs(config.QUICK):
    if spec.kind == "info":
      continue
    line = next(line for line in lines if line.startswith(spec.label))
    assert line.rstrip().endswith(("met", "MISSED", "skipped")), line
  assert "targets:" in quick_run


def test_quick_mode_measures_native_and_tf1scope(quick_run):
  """Every row has numbers for both sides measured in the main process."""
  lines = quick_run.splitlines()
  for spec in report.row_specs(config.QUICK):
    if spec.key.startswith("cold."):
      continue   # measured in a subprocess; its failure is reported as a note
    if spec.key.startswith("convlayers.") and not _has_layers():
      continue
    line = next(line for line in lines if line.startswith(spec.label))
    cells = line[len(spec.label):].split()
    assert cells[0] not in ("-", "skip") and cells[1] not in ("-", "skip"), line


def _has_layers():
  return importlib.util.find_spec("tf1scope.layers") is not None


def test_row_specs_cover_the_issue():
  keys = {spec.key for spec in report.row_specs(config.FULL)}
  for n in (100, 1_000, 10_000, 100_000):
    assert {f"vars.{n}.create", f"vars.{n}.reuse"} <= keys
  assert {"mlp.eager", "mlp.function", "mlp.first", "conv.eager",
          "leak.bytes", "vars.reuse_flat"} <= keys
  assert config.FULL.leak_calls == 10_000


def test_hotspots_decomposition_floor_rows_compute_the_same_mlp():
  """The floor rows run (their stand-ins must give the bounded rows' outputs) and are reported."""
  from benchmarks import hotspots  # pylint: disable=g-import-not-at-top
  rows = hotspots.decomposition(repeats=1, layers=3, width=8)
  labels = [label for label, _, _ in rows]
  assert labels[0] == "native"
  assert "floor: the MLP with empty scope hooks and dict-lookup get_variables" in labels
  assert "floor: 20 variable_scopes with empty hooks (native variables)" in labels
  assert all(ms > 0 and ratio > 0 for _, ms, ratio in rows)


def test_hotspots_ablations_run_every_stand_in():
  """Each stand-in still fits what it replaces (a changed signature fails here, not in a long run)."""
  from benchmarks import hotspots  # pylint: disable=g-import-not-at-top
  before = tf.get_current_name_scope()
  rows = hotspots.ablations(repeats=1)
  assert tf.get_current_name_scope() == before, "a stand-in left a name scope open"
  labels = [row[0] for row in rows]
  assert labels == [a[0] for a in hotspots.ABLATIONS] + ["all of the above together"]
  for label, reuse, reuse_base, _, mlp_base, _, create_base in rows:
    assert reuse is not None, f"{label}: its function is gone from tf1scope"
    assert reuse_base > 0 and mlp_base > 0 and create_base > 0, label
