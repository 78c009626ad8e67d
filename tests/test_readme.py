"""The README's Python examples run as written (each section's blocks in order, in a fresh process)."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _sections():
  with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
    text = f.read()
  for section in re.split(r"\n## ", text):
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    if blocks:
      yield pytest.param("\n".join(blocks), id=section.split("\n")[0][:40])


SECTIONS = list(_sections())


def test_the_readme_has_examples():
  assert len(SECTIONS) >= 5


@pytest.mark.parametrize("code", SECTIONS)
def test_readme_example_runs(code, tmp_path):
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
  env.pop("TF_USE_LEGACY_KERAS", None)
  proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                        capture_output=True, text=True, timeout=600,
                        check=False)
  assert proc.returncode == 0, proc.stderr[-3000:]
