"""When the Estimator checkpoints, summarizes, evaluates, stops and calls hooks: TF1's Estimator's schedule.

``make_estimator_fixture.py`` ran each case of ``estimator_cases.py`` with
TF1's own Estimator (TensorFlow 2.15 with tensorflow-estimator 2.15); here
the same cases run with tf1scope's and must leave the same record: the
checkpoint files and list, the steps of every summary tag, the evaluation
metrics, the saving listeners' calls, what hooks fetched, the final values.
"""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import estimator_cases
import tf1scope.compat.v1 as tf1

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                         "estimator_reference.json")


def _close(got, want, path="record"):
  if isinstance(want, dict):
    assert sorted(got) == sorted(want), path
    for key in want:
      _close(got[key], want[key], f"{path}[{key!r}]")
  elif isinstance(want, list):
    assert isinstance(got, list) and len(got) == len(want), f"{path}: {got} != {want}"
    for i, (g, w) in enumerate(zip(got, want)):
      _close(g, w, f"{path}[{i}]")
  elif isinstance(want, float):
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6, err_msg=path)
  else:
    assert got == want, f"{path}: {got} != {want}"


@pytest.mark.parametrize("name", sorted(estimator_cases.CASES))
def test_the_run_leaves_what_tf1s_estimator_left(name, tmp_path):
  with open(REFERENCE) as f:
    want = json.load(f)[name]
  got = estimator_cases.CASES[name](tf1, tf, str(tmp_path / "model"))
  _close(json.loads(json.dumps(got)), want)
