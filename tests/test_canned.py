"""TF1's canned Estimators against TF1's own classes (TensorFlow 2.15 with tensorflow-estimator).

``make_canned_fixture.py`` ran each case of ``canned_cases.py`` with TF1's
class and stored its first and last checkpoints, metrics, predictions,
summary tags and export signatures. Here tf1scope's class starts from TF1's
first checkpoint, trains as many steps on the same batches, and must give
TF1's variables (names, shapes and values, optimizer slots included),
metrics, predictions, summaries and signatures.
"""

import json
import os
import shutil

import numpy as np
import pytest
import tensorflow as tf

import canned_cases
import tf1scope.compat.v1 as tf1

v1 = tf.compat.v1
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                        "canned")


def _reference(name):
  with open(os.path.join(FIXTURES, name, "reference.json")) as f:
    return json.load(f)


def _start_from_tf1(name, model_dir):
  """A model_dir holding TF1's checkpoint from before its first step."""
  os.makedirs(model_dir)
  for filename in os.listdir(os.path.join(FIXTURES, name)):
    if filename.startswith("model.ckpt-0."):
      shutil.copy(os.path.join(FIXTURES, name, filename), model_dir)
  v1.train.update_checkpoint_state(model_dir, os.path.join(model_dir, "model.ckpt-0"))


def _tags(directory):
  tags = set()
  for filename in os.listdir(directory):
    if ".tfevents." in filename:
      for event in v1.train.summary_iterator(os.path.join(directory, filename)):
        tags.update(v.tag for v in event.summary.value)
  return sorted(tags)


def _plain(value):
  value = np.asarray(value)
  if value.dtype.kind in "SO":
    return [v.decode() if isinstance(v, bytes) else v for v in value.ravel().tolist()]
  return value.tolist()


@pytest.fixture(scope="module", params=sorted(canned_cases.CASES))
def trained(request, tmp_path_factory):
  name = request.param
  case = canned_cases.CASES[name]
  model_dir = str(tmp_path_factory.mktemp(name) / "model")
  _start_from_tf1(name, model_dir)
  estimator = case.make(tf1, model_dir=model_dir, config=tf1.estimator.RunConfig(
      tf_random_seed=7, save_checkpoints_steps=100))
  estimator.train(case.train_input_fn(tf), steps=canned_cases.STEPS)
  return name, case, estimator


def test_training_from_tf1s_checkpoint_gives_tf1s_variables(trained):
  name, _, estimator = trained
  reference = _reference(name)
  last = estimator.latest_checkpoint()
  assert last.endswith(f"model.ckpt-{canned_cases.STEPS}")
  assert {n: s for n, s in tf.train.list_variables(last)} == reference["variables"]
  tf1_last = os.path.join(FIXTURES, name, f"model.ckpt-{canned_cases.STEPS}")
  for variable in reference["variables"]:
    np.testing.assert_allclose(tf.train.load_variable(last, variable),
                               tf.train.load_variable(tf1_last, variable),
                               rtol=2e-5, atol=1e-6, err_msg=variable)


def test_evaluation_gives_tf1s_metrics(trained):
  name, case, estimator = trained
  metrics = estimator.evaluate(case.eval_input_fn(tf))
  expected = _reference(name)["metrics"]
  assert sorted(metrics) == sorted(expected)
  for key, value in expected.items():
    np.testing.assert_allclose(_plain(metrics[key]), value, rtol=2e-5,
                               atol=1e-6, err_msg=key)
  assert _tags(estimator.eval_dir()) == _reference(name)["eval_summary_tags"]


def test_predictions_are_tf1s(trained):
  name, case, estimator = trained
  got = list(estimator.predict(case.predict_input_fn(tf)))
  expected = _reference(name)["predictions"]
  assert len(got) == len(expected)
  for ours, theirs in zip(got, expected):
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
      if isinstance(value[0], str):
        assert _plain(ours[key]) == value, key
      else:
        np.testing.assert_allclose(_plain(ours[key]), value, rtol=2e-5,
                                   atol=1e-6, err_msg=key)


def test_training_summaries_are_tf1s(trained):
  name, _, estimator = trained
  assert _tags(estimator.model_dir) == _reference(name)["summary_tags"]


def test_export_has_tf1s_signatures(trained, tmp_path):
  name, case, estimator = trained
  path = estimator.export_saved_model(str(tmp_path),
                                      case.serving_input_receiver_fn(tf1))
  loaded = tf.saved_model.load(path)
  assert ({key: sorted(fn.structured_outputs) for key, fn in loaded.signatures.items()}
          == _reference(name)["signatures"])


def test_tf1s_argument_errors():
  x = tf1.feature_column.numeric_column("x")
  with pytest.raises(ValueError, match="n_classes must be > 1 for classification: 1"):
    tf1.estimator.DNNClassifier(hidden_units=[2], feature_columns=[x], n_classes=1)
  with pytest.raises(ValueError, match="Invalid label_dimension 0."):
    tf1.estimator.LinearRegressor(feature_columns=[x], label_dimension=0)
  with pytest.raises(ValueError, match="Invalid loss_reduction: none"):
    tf1.estimator.LinearClassifier(feature_columns=[x],
                                   loss_reduction=v1.losses.Reduction.NONE)
  estimator = tf1.estimator.DNNRegressor(hidden_units=[2], feature_columns=[x],
                                         optimizer="Nope")
  data = lambda: tf.data.Dataset.from_tensor_slices(  # noqa: E731
      ({"x": [[1.0]]}, [[1.0]])).batch(1)
  with pytest.raises(ValueError, match="Unsupported optimizer name: Nope."):
    estimator.train(data, steps=1)
