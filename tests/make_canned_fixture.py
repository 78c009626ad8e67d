"""Regenerates tests/fixtures/canned/ from TF1's own canned Estimators.

TensorFlow 2.16 removed ``tf.estimator``; the last release that has it is
2.15, with ``tensorflow-estimator`` 2.15. In a separate environment:

    python3 -m venv /tmp/tf215
    /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1 tensorflow-estimator==2.15.0
    /tmp/tf215/bin/python tests/make_canned_fixture.py

For every case of ``canned_cases.py`` the script trains TF1's
``tf.compat.v1.estimator`` class for a few steps, then evaluates and
predicts, and stores in ``fixtures/canned/<case>/``: the checkpoint written
before the first step (``model.ckpt-0``) and the last one, and
``reference.json`` with the checkpoint's variable names and shapes, the
evaluation metrics, the predictions, the training summaries' tags and the
export signatures. The tests start tf1scope's class from ``model.ckpt-0``
and compare the rest.
"""

import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import canned_cases  # noqa: E402  pylint: disable=wrong-import-position

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "canned")


def _plain(value):
  value = np.asarray(value)
  if value.dtype.kind in "SO":
    return [v.decode() if isinstance(v, bytes) else v for v in value.ravel().tolist()]
  return value.tolist()


def _tags(directory):
  tags = set()
  for name in os.listdir(directory):
    if ".tfevents." in name:
      for event in tf.compat.v1.train.summary_iterator(os.path.join(directory, name)):
        tags.update(v.tag for v in event.summary.value)
  return sorted(tags)


def generate(name, case):
  v1 = tf.compat.v1
  model_dir = tempfile.mkdtemp()
  estimator = case.make(v1, model_dir=model_dir,
                        config=v1.estimator.RunConfig(tf_random_seed=7,
                                                      save_checkpoints_steps=100))
  estimator.train(case.train_input_fn(tf), steps=canned_cases.STEPS)
  metrics = estimator.evaluate(case.eval_input_fn(tf))
  predictions = list(estimator.predict(case.predict_input_fn(tf)))
  export_dir = estimator.export_saved_model(
      tempfile.mkdtemp(), case.serving_input_receiver_fn(v1))
  loaded = tf.saved_model.load(export_dir)
  signatures = {key: sorted(fn.structured_outputs)
                for key, fn in loaded.signatures.items()}
  out = os.path.join(OUT, name)
  shutil.rmtree(out, ignore_errors=True)
  os.makedirs(out)
  for step in (0, canned_cases.STEPS):
    for path in tf.io.gfile.glob(os.path.join(model_dir, f"model.ckpt-{step}.*")):
      if not path.endswith(".meta"):
        shutil.copy(path, out)
  reference = {
      "variables": {n: s for n, s in tf.train.list_variables(
          os.path.join(model_dir, f"model.ckpt-{canned_cases.STEPS}"))},
      "metrics": {k: _plain(v) for k, v in metrics.items()},
      "predictions": [{k: _plain(v) for k, v in p.items()} for p in predictions],
      "summary_tags": _tags(model_dir),
      "eval_summary_tags": _tags(os.path.join(model_dir, "eval")),
      "signatures": signatures,
  }
  with open(os.path.join(out, "reference.json"), "w") as f:
    json.dump(reference, f, indent=1, sort_keys=True)
  print(name, len(reference["variables"]), "variables;", sorted(metrics))


def main():
  for name, case in canned_cases.CASES.items():
    generate(name, case)


if __name__ == "__main__":
  main()
