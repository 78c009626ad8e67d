"""Every example runs to the end (each asserts what it demonstrates) on its synthetic data."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = sorted(f for f in os.listdir(os.path.join(ROOT, "examples"))
                  if f.endswith(".py"))


def test_there_are_examples():
  assert "quickstart.py" in EXAMPLES and "tf1_checkpoint.py" in EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs(example, tmp_path):
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
  env.pop("TF_USE_LEGACY_KERAS", None)
  proc = subprocess.run([sys.executable, os.path.join(ROOT, "examples", example)],
                        cwd=tmp_path, env=env, capture_output=True, text=True,
                        timeout=600, check=False)
  assert proc.returncode == 0, proc.stderr[-3000:]
  assert proc.stdout.strip(), "the example printed nothing"
