"""Regenerates tests/fixtures/estimator_reference.json from TF1's own Estimator.

TensorFlow 2.16 removed ``tf.estimator``; in an environment with the last
release that has it:

    python3 -m venv /tmp/tf215
    /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1 tensorflow-estimator==2.15.0
    /tmp/tf215/bin/python tests/make_estimator_fixture.py

runs every case of ``estimator_cases.py`` with TF1's Estimator and stores
what each returns (with case names as arguments, only those are run again); ``tests/test_estimator_schedule.py`` runs the same cases
with tf1scope's and compares.
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import estimator_cases  # noqa: E402  pylint: disable=wrong-import-position


def main(names):
  path = os.path.join(HERE, "fixtures", "estimator_reference.json")
  reference = {}
  if names:
    with open(path) as f:
      reference = json.load(f)
  for name, case in estimator_cases.CASES.items():
    if not names or name in names:
      reference[name] = case(tf.compat.v1, tf, tempfile.mkdtemp())
  with open(path, "w") as f:
    json.dump(reference, f, indent=1, sort_keys=True)
  print(json.dumps(reference, sort_keys=True)[:3000])


if __name__ == "__main__":
  main(sys.argv[1:])
