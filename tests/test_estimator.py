"""TF1 Estimator code (``tf.estimator``, removed in TensorFlow 2.16) against TF1 graph mode.

The oracle runs the same ``model_fn`` as TF1's Estimator did: a fresh graph
per call, the global step made first, and session runs that fetch the train
op and the loss (train), the metric update ops and then the metric values
(evaluate), or the predictions (predict).
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import tf1_files
import tf1scope
import tf1scope.compat.v1 as tf1

v1 = tf.compat.v1
ModeKeys = tf1.estimator.ModeKeys

FEATURES = np.arange(24, dtype=np.float32).reshape(8, 3) / 10.0
LABELS = np.array([0, 1, 1, 0, 2, 1, 0, 2], dtype=np.int64)


def model_fn(features, labels, mode, params):
  """A TF1 classifier: dense layers, batch norm (UPDATE_OPS), Adam, metrics."""
  training = mode == ModeKeys.TRAIN
  net = features["x"]
  with tf1.variable_scope("net"):
    net = tf1.layers.dense(net, params["hidden"], activation=tf.nn.relu,
                           kernel_initializer=tf1.glorot_uniform_initializer(seed=1))
    net = tf1.layers.batch_normalization(net, training=training)
    logits = tf1.layers.dense(
        net, 3, kernel_initializer=tf1.glorot_uniform_initializer(seed=2))
  classes = tf.argmax(logits, axis=1)
  predictions = {"classes": classes, "probabilities": tf.nn.softmax(logits)}
  if mode == ModeKeys.PREDICT:
    return tf1.estimator.EstimatorSpec(mode, predictions=predictions)
  loss = tf1.losses.sparse_softmax_cross_entropy(labels, logits)
  if mode == ModeKeys.EVAL:
    metrics = {"accuracy": tf1.metrics.accuracy(labels, classes),
               "mean_prob": tf1.metrics.mean(predictions["probabilities"])}
    return tf1.estimator.EstimatorSpec(mode, loss=loss,
                                       eval_metric_ops=metrics)
  optimizer = tf1.train.AdamOptimizer(params.get("learning_rate", 0.05))
  update_ops = tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)
  with tf.control_dependencies(update_ops if params.get("updates", True) else []):
    train_op = optimizer.minimize(loss, global_step=tf1.train.get_global_step())
  return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                     predictions=predictions)


PARAMS = {"hidden": 5}

# Serving: the features fed directly, as placeholders shaped like one batch row.
RAW_RECEIVER_FN = tf1.estimator.export.build_raw_serving_input_receiver_fn(
    {"x": tf.zeros([1, 3])})


def input_fn(batch=4, repeat=True):
  def fn():
    data = tf.data.Dataset.from_tensor_slices(({"x": FEATURES}, LABELS))
    data = data.batch(batch)
    return data.repeat() if repeat else data
  return fn


def _graph_batches(batch, count):
  for i in range(count):
    start = (i * batch) % len(FEATURES)
    yield {"x": FEATURES[start:start + batch]}, LABELS[start:start + batch]


class GraphEstimator:
  """TF1's Estimator loop in TF1 graph mode (the oracle), with its variables kept between calls."""

  def __init__(self, fn, params, seed=None, warm_start=None):
    self.fn, self.params, self.seed, self.values = fn, params, seed, None
    self.warm_start = warm_start   # tf.compat.v1.train.warm_start's arguments

  def _graph(self, mode):
    graph = tf.Graph()
    with graph.as_default():
      if self.seed is not None:   # RunConfig(tf_random_seed=...)
        v1.set_random_seed(self.seed)
      v1.train.get_or_create_global_step()
      x = v1.placeholder(tf.float32, [None, 3])
      y = v1.placeholder(tf.int64, [None])
      spec = self.fn({"x": x}, y, mode, self.params)
      if self.warm_start is not None and self.values is None:
        v1.train.warm_start(*self.warm_start)   # after model_fn, as TF1
    return graph, x, y, spec

  def _session(self, graph):
    sess = v1.Session(graph=graph)
    with graph.as_default():
      sess.run([v1.global_variables_initializer(),
                v1.local_variables_initializer()])
      if self.values is not None:
        for v in v1.global_variables():
          if v.op.name in self.values:
            v.load(self.values[v.op.name], sess)
    return sess

  def save(self, path, global_step=None):
    """Writes the kept values as TF1's Saver does, from a TRAIN graph of the model."""
    graph, _, _, _ = self._graph(ModeKeys.TRAIN)
    with self._session(graph) as sess, graph.as_default():
      return v1.train.Saver().save(sess, path, global_step=global_step)

  def _keep(self, sess, graph):
    with graph.as_default():
      self.values = {v.op.name: sess.run(v) for v in v1.global_variables()}

  def train(self, steps, batch=4):
    graph, x, y, spec = self._graph(ModeKeys.TRAIN)
    losses = []
    with self._session(graph) as sess:
      for features, labels in _graph_batches(batch, steps):
        _, loss = sess.run([spec.train_op, spec.loss],
                           {x: features["x"], y: labels})
        losses.append(loss)
      self._keep(sess, graph)
    return losses

  def evaluate(self, batches):
    graph, x, y, spec = self._graph(ModeKeys.EVAL)
    with graph.as_default():
      metrics = dict(spec.eval_metric_ops, loss=v1.metrics.mean(spec.loss))
      step = v1.train.get_global_step()
    with self._session(graph) as sess:
      for features, labels in batches:
        sess.run([op for _, op in metrics.values()],
                 {x: features["x"], y: labels})
      out = sess.run({k: value for k, (value, _) in metrics.items()})
      out["global_step"] = sess.run(step)
    return out

  def predict(self, features):
    graph, x, _, spec = self._graph(ModeKeys.PREDICT)
    with self._session(graph) as sess:
      return sess.run(spec.predictions, {x: features})


def _assert_values_match(estimator, graph):
  got = {k: estimator.get_variable_value(k) for k in estimator.get_variable_names()
         if k in graph.values}
  assert sorted(got) == sorted(graph.values), "different global variables"
  for name, value in graph.values.items():
    np.testing.assert_allclose(got[name], value, rtol=2e-5, atol=1e-6,
                               err_msg=name)


def test_train_matches_tf1_graph_mode_step_by_step():
  graph = GraphEstimator(model_fn, PARAMS)
  graph.train(6)
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), steps=6)
  _assert_values_match(estimator, graph)
  names = estimator.get_variable_names()
  assert "global_step" in names and "net/dense/kernel/Adam" in names
  assert "net/batch_normalization/moving_mean" in names
  assert int(estimator.get_variable_value("global_step")) == 6


def test_train_op_without_update_ops_leaves_moving_averages_as_tf1_does():
  """Only what the step fetches runs (TF1's session.run), not every stateful op of the pass."""
  params = dict(PARAMS, updates=False)
  graph = GraphEstimator(model_fn, params)
  graph.train(3)
  estimator = tf1.estimator.Estimator(model_fn, params=params)
  estimator.train(input_fn(), steps=3)
  _assert_values_match(estimator, graph)
  np.testing.assert_array_equal(
      estimator.get_variable_value("net/batch_normalization/moving_mean"),
      np.zeros(5))


def test_evaluate_matches_tf1_graph_mode_and_starts_afresh_each_time():
  graph = GraphEstimator(model_fn, PARAMS)
  graph.train(4)
  expected = graph.evaluate(_graph_batches(4, 2))
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), steps=4)
  for _ in range(2):   # metric variables start at zero in every evaluation
    got = estimator.evaluate(input_fn(repeat=False))
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
      np.testing.assert_allclose(got[key], value, rtol=2e-5, err_msg=key)
  one = estimator.evaluate(input_fn(), steps=1)
  np.testing.assert_allclose(
      one["loss"], graph.evaluate(_graph_batches(4, 1))["loss"], rtol=2e-5)


def test_predict_matches_tf1_graph_mode():
  graph = GraphEstimator(model_fn, PARAMS)
  graph.train(2)
  expected = graph.predict(FEATURES)
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), steps=2)
  examples = list(estimator.predict(input_fn(repeat=False)))
  assert len(examples) == len(FEATURES)
  assert sorted(examples[0]) == ["classes", "probabilities"]
  np.testing.assert_array_equal([e["classes"] for e in examples],
                                expected["classes"])
  np.testing.assert_allclose([e["probabilities"] for e in examples],
                             expected["probabilities"], rtol=2e-5)
  batches = list(estimator.predict(input_fn(repeat=False),
                                   predict_keys=["classes"],
                                   yield_single_examples=False))
  assert [sorted(b) for b in batches] == [["classes"], ["classes"]]
  np.testing.assert_array_equal(np.concatenate([b["classes"] for b in batches]),
                                expected["classes"])
  with pytest.raises(ValueError, match="Expected to run at least one output"):
    list(estimator.predict(input_fn(repeat=False), predict_keys=["nope"]))


def test_model_dir_resumes_training_and_tf1_reads_the_checkpoint(tmp_path):
  model_dir = os.fspath(tmp_path / "model")
  tf1.estimator.Estimator(model_fn, model_dir, params=PARAMS).train(
      input_fn(), steps=3)
  assert tf.train.latest_checkpoint(model_dir).endswith("model.ckpt-3")
  # A new Estimator on the same directory starts from the checkpoint.
  resumed = tf1.estimator.Estimator(model_fn, model_dir, params=PARAMS)
  resumed.train(input_fn(), steps=2)
  graph = GraphEstimator(model_fn, PARAMS)
  graph.train(3)
  graph.train(2)   # its second call starts the data again, as a new input_fn does
  _assert_values_match(resumed, graph)
  # TF1's Saver restores what it wrote, under TF1's names.
  with tf.Graph().as_default():
    v1.train.get_or_create_global_step()
    model_fn({"x": v1.placeholder(tf.float32, [None, 3])},
             v1.placeholder(tf.int64, [None]), ModeKeys.TRAIN, PARAMS)
    with v1.Session() as sess:
      v1.train.Saver().restore(sess, tf.train.latest_checkpoint(model_dir))
      assert sess.run(v1.train.get_global_step()) == 5


def test_a_tf1_estimators_checkpoint_is_where_training_continues(tmp_path):
  """A model_dir written by a TF1 graph-mode run (Saver + checkpoint file), as TF1's Estimator left it."""
  model_dir = os.fspath(tmp_path / "tf1_run")
  graph = GraphEstimator(model_fn, PARAMS)
  graph.train(4)
  graph.save(os.path.join(model_dir, "model.ckpt"), global_step=4)
  expected = graph.evaluate(_graph_batches(4, 2))
  estimator = tf1.estimator.Estimator(model_fn, model_dir, params=PARAMS)
  got = estimator.evaluate(input_fn(repeat=False))
  assert int(got["global_step"]) == 4
  np.testing.assert_allclose(got["accuracy"], expected["accuracy"])
  np.testing.assert_allclose(got["loss"], expected["loss"], rtol=2e-5)
  estimator.train(input_fn(), max_steps=6)
  assert int(estimator.get_variable_value("global_step")) == 6
  graph.train(2)
  _assert_values_match(estimator, graph)


def test_max_steps_stops_at_the_global_step():
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), max_steps=3)
  estimator.train(input_fn(), max_steps=3)   # already there: nothing runs
  assert int(estimator.get_variable_value("global_step")) == 3
  estimator.train(input_fn(), steps=2)
  assert int(estimator.get_variable_value("global_step")) == 5


def test_training_ends_with_the_input():
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(repeat=False))
  assert int(estimator.get_variable_value("global_step")) == 2


def test_the_estimator_owns_and_tracks_its_variables(tmp_path):
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), steps=1)
  list(estimator.predict(input_fn(repeat=False)))
  estimator.evaluate(input_fn(repeat=False))
  names = [v.name for v in estimator.variables]
  assert len(names) == len(set(names))
  assert set(tf1scope.variables_by_name(estimator)) >= {
      "global_step", "net/dense/kernel", "accuracy/total", "mean/count"}
  kernel = estimator.get_variable_value("net/dense/kernel")
  path = tf.train.Checkpoint(model=estimator).save(os.fspath(tmp_path / "tf2"))
  tf.saved_model.save(estimator, os.fspath(tmp_path / "saved"))
  other = tf1.estimator.Estimator(model_fn, params=PARAMS)
  other.train(input_fn(), steps=1)   # makes the variables, with other values
  tf.train.Checkpoint(model=other).restore(path).assert_existing_objects_matched()
  np.testing.assert_array_equal(other.get_variable_value("net/dense/kernel"), kernel)
  saved = tf.train.list_variables(os.fspath(tmp_path / "saved" / "variables" /
                                           "variables"))
  values = [k for k, _ in saved if k.endswith(".ATTRIBUTES/VARIABLE_VALUE")]
  assert len(values) == len(estimator.variables)
  tf.saved_model.load(os.fspath(tmp_path / "saved"))


def test_save_checkpoints_steps_writes_checkpoints_during_training(tmp_path):
  model_dir = os.fspath(tmp_path / "model")
  config = tf1.estimator.RunConfig(model_dir=model_dir, save_checkpoints_steps=2)
  tf1.estimator.Estimator(model_fn, config=config, params=PARAMS).train(
      input_fn(), steps=5)
  written = sorted(f for f in os.listdir(model_dir) if f.endswith(".index"))
  # As TF1's CheckpointSaverHook: at the start, every 2 steps, at the end.
  assert written == ["model.ckpt-0.index", "model.ckpt-2.index",
                     "model.ckpt-4.index", "model.ckpt-5.index"]


def test_input_fn_arguments_and_tensor_inputs_as_tf1():
  seen = {}

  def tensors_input_fn(params, mode, config):
    seen.update(params=params, mode=mode, config=config)
    return {"x": tf.constant(FEATURES[:4])}, tf.constant(LABELS[:4])

  config = tf1.estimator.RunConfig(tf_random_seed=3)
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS, config=config)
  estimator.train(tensors_input_fn, steps=2)
  assert seen["params"] == PARAMS and seen["mode"] == ModeKeys.TRAIN
  assert seen["config"].tf_random_seed == 3
  graph = GraphEstimator(model_fn, PARAMS, seed=3)
  graph.train(1)
  graph.train(1)   # the same first batch twice
  _assert_values_match(estimator, graph)


def test_sparse_features_and_feature_columns():
  def fc_model_fn(features, labels, mode):
    column = v1.feature_column.embedding_column(
        v1.feature_column.categorical_column_with_identity("ids", 6), 2,
        initializer=tf1.ones_initializer())
    net = v1.feature_column.input_layer(features, [column])
    logits = tf1.layers.dense(net, 1, kernel_initializer=tf1.ones_initializer())
    loss = tf1.losses.mean_squared_error(labels, logits)
    train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf1.train.get_global_step())
    return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                       predictions=logits)

  def sparse_input_fn():
    ids = tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]],
                                 tf.constant([1, 2, 3], tf.int64), [2, 2])
    return tf.data.Dataset.from_tensors(({"ids": ids}, [[1.0], [0.0]])).repeat()

  estimator = tf1.estimator.Estimator(fc_model_fn)
  estimator.train(sparse_input_fn, steps=3)
  table = estimator.get_variable_value(
      "input_layer/ids_embedding/embedding_weights")
  np.testing.assert_array_equal(table[[0, 4, 5]], np.ones([3, 2]))   # rows no batch used
  assert not np.allclose(table[[1, 2, 3]], 1.0)


# --- errors: TF1's types and messages ----------------------------------------------


def _spec_error(**kwargs):
  with pytest.raises((TypeError, ValueError)) as info:
    tf1.estimator.EstimatorSpec(**kwargs)
  return type(info.value), str(info.value)


def test_estimator_spec_errors_are_tf1s():
  with tf.Graph().as_default():
    loss = tf.constant(1.0)
    op = tf.no_op()
    assert _spec_error(mode=ModeKeys.TRAIN, loss=loss) == (ValueError,
                                                           "Missing train_op.")
    assert _spec_error(mode=ModeKeys.EVAL) == (ValueError, "Missing loss.")
    assert _spec_error(mode=ModeKeys.PREDICT) == (ValueError,
                                                  "Missing predictions.")
    kind, message = _spec_error(mode=ModeKeys.EVAL, loss=tf.ones([2]))
    assert kind is ValueError and message.startswith("Loss must be scalar, given:")
    kind, message = _spec_error(mode=ModeKeys.EVAL, loss=1.0)
    assert (kind, message) == (TypeError, "loss must be Tensor, given: 1.0")
    kind, message = _spec_error(mode=ModeKeys.EVAL, loss=loss,
                                eval_metric_ops={"m": loss})
    assert kind is TypeError and message.startswith(
        "Values of eval_metric_ops must be (metric_value, update_op) tuples")
    kind, message = _spec_error(mode=ModeKeys.TRAIN, loss=loss, train_op=3)
    assert (kind, message) == (TypeError,
                               "train_op must be Operation or Tensor, given: 3")
    spec = tf1.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=tf.ones([1]),
                                       train_op=op)
    assert spec.loss.shape == () and spec.predictions == {}
    with pytest.raises(ValueError, match="mode of EstimatorSpec cannot be changed."):
      spec._replace(mode=ModeKeys.EVAL)  # pylint: disable=protected-access
  with tf.Graph().as_default():
    other = tf.constant(2.0)
  with tf.Graph().as_default():
    with pytest.raises(ValueError, match='loss with "Const:0" must be from the default graph'):
      tf1.estimator.EstimatorSpec(ModeKeys.EVAL, loss=other)


def test_model_fn_signature_errors_are_tf1s():
  with pytest.raises(ValueError, match=r"must include features argument\."):
    tf1.estimator.Estimator(lambda x, labels, mode: None)
  with pytest.raises(ValueError, match="does not include params argument"):
    tf1.estimator.Estimator(lambda features, labels: None, params={"a": 1})
  with pytest.raises(ValueError, match=r"has following not expected args: \['extra'\]"):
    tf1.estimator.Estimator(lambda features, extra: None)


def test_model_fn_results_and_inputs_errors_are_tf1s():
  not_a_spec = tf1.estimator.Estimator(lambda features, labels: features)
  with pytest.raises(ValueError, match="model_fn should return an EstimatorSpec."):
    not_a_spec.train(input_fn(), steps=1)
  no_labels = tf1.estimator.Estimator(lambda features: None)
  with pytest.raises(ValueError, match="model_fn does not take labels"):
    no_labels.train(input_fn(), steps=1)
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  with pytest.raises(ValueError, match="Can not provide both steps and max_steps."):
    estimator.train(input_fn(), steps=1, max_steps=2)
  with pytest.raises(ValueError, match=r"Must specify steps > 0, given: 0"):
    estimator.train(input_fn(), steps=0)

  def loss_metric_fn(features, labels, mode):
    loss = tf.reduce_mean(features["x"]) + tf.cast(tf.reduce_sum(labels), tf.float32)
    return tf1.estimator.EstimatorSpec(
        mode, loss=loss, eval_metric_ops={"loss": tf1.metrics.mean(loss)})
  with pytest.raises(ValueError, match='Metric with name "loss" is not allowed'):
    tf1.estimator.Estimator(loss_metric_fn).evaluate(input_fn(repeat=False))


class _LossRecorder(v1.train.SessionRunHook):
  """Fetches the loss each step (by name, as TF1 hooks may) and the global step at the end."""

  def __init__(self, stop_after=None):
    self.losses, self.calls, self.stop_after = [], [], stop_after

  def begin(self):
    self.calls.append("begin")
    self._loss = v1.get_collection(v1.GraphKeys.LOSSES)[0].name
    self._step = v1.train.get_global_step()

  def after_create_session(self, session, coord):
    self.calls.append("after_create_session")

  def before_run(self, run_context):
    return v1.train.SessionRunArgs({"loss": self._loss})

  def after_run(self, run_context, run_values):
    self.losses.append(float(run_values.results["loss"]))
    if self.stop_after is not None and len(self.losses) >= self.stop_after:
      run_context.request_stop()

  def end(self, session):
    self.calls.append("end")


def test_session_run_hooks_run_around_each_step_as_in_tf1():
  graph = GraphEstimator(model_fn, PARAMS)
  expected = graph.train(4)
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  recorder = _LossRecorder()
  estimator.train(input_fn(), steps=4, hooks=[recorder])
  assert recorder.calls == ["begin", "after_create_session", "end"]
  np.testing.assert_allclose(recorder.losses, expected, rtol=2e-5)
  stopper = _LossRecorder(stop_after=2)   # request_stop ends training
  estimator.train(input_fn(), steps=10, hooks=[stopper])
  assert int(estimator.get_variable_value("global_step")) == 6


def test_tf1s_own_hooks_work():
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  estimator.train(input_fn(), steps=10,
                  hooks=[v1.train.StopAtStepHook(last_step=3)])
  assert int(estimator.get_variable_value("global_step")) == 3

  def nan_model_fn(features, labels, mode):
    spec = model_fn(features, labels, mode, PARAMS)
    return spec._replace(loss=spec.loss * np.nan)  # pylint: disable=protected-access
  with pytest.raises(v1.train.NanLossDuringTrainingError):
    # TF1's Estimator adds a NanTensorHook on the loss.
    tf1.estimator.Estimator(nan_model_fn).train(input_fn(), steps=2)


def test_hooks_log_as_tf1s_estimator_does(caplog):
  config = tf1.estimator.RunConfig(log_step_count_steps=2)
  estimator = tf1.estimator.Estimator(model_fn, config=config, params=PARAMS)
  hook = v1.train.LoggingTensorHook({"the_loss": "sparse_softmax_cross_entropy_loss/value:0"},
                                    every_n_iter=1)
  with caplog.at_level("INFO", logger="tensorflow"):
    estimator.train(input_fn(), steps=3, hooks=[hook])
  messages = [r.getMessage() for r in caplog.records]
  assert sum("the_loss = " in m for m in messages) == 3
  # The Estimator's own LoggingTensorHook: every log_step_count_steps steps.
  assert sum(m.startswith("loss = ") and ", step = " in m for m in messages) == 2
  estimator.train(input_fn(), steps=3)   # traced once, for the calls below
  caplog.clear()
  with caplog.at_level("INFO", logger="tensorflow"):   # a new one each call, as TF1
    estimator.train(input_fn(), steps=3)
  messages = [r.getMessage() for r in caplog.records]
  assert sum(m.startswith("loss = ") and ", step = " in m for m in messages) == 2


def test_evaluation_and_prediction_hooks_from_the_spec():
  seen = {"eval": _LossRecorder(), "predict": []}

  class Counter(v1.train.SessionRunHook):
    def after_run(self, run_context, run_values):
      seen["predict"].append(1)

  def hooked_model_fn(features, labels, mode):
    spec = model_fn(features, labels, mode, PARAMS)
    if mode == ModeKeys.EVAL:
      return spec._replace(evaluation_hooks=[seen["eval"]])  # pylint: disable=protected-access
    if mode == ModeKeys.PREDICT:
      return spec._replace(prediction_hooks=[Counter()])  # pylint: disable=protected-access
    return spec

  estimator = tf1.estimator.Estimator(hooked_model_fn)
  estimator.train(input_fn(), steps=1)
  estimator.evaluate(input_fn(repeat=False))
  assert len(seen["eval"].losses) == 2 and seen["eval"].calls[-1] == "end"
  list(estimator.predict(input_fn(repeat=False)))
  assert len(seen["predict"]) == 2   # one per batch


def test_hooks_that_feed_or_are_not_hooks_are_refused():
  class Feeder(v1.train.SessionRunHook):
    def before_run(self, run_context):
      return v1.train.SessionRunArgs([], feed_dict={"x:0": 1.0})

  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  with pytest.raises(NotImplementedError, match="Feeder.before_run asks to feed tensors"):
    estimator.train(input_fn(), steps=1, hooks=[Feeder()])
  with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances"):
    estimator.train(input_fn(), steps=1, hooks=[object()])
  with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances"):
    with tf.Graph().as_default():
      tf1.estimator.EstimatorSpec(ModeKeys.PREDICT, predictions=tf.ones([1]),
                                  prediction_hooks=[object()])


def test_init_from_checkpoint_in_model_fn_as_bert_fine_tuning_does(tmp_path):
  """The model_fn warm-starts ``bert/*`` from a pre-trained TF1 checkpoint; the head keeps its initializer."""
  pretrained = os.fspath(tmp_path / "pretrained.ckpt")
  with tf.Graph().as_default():
    with v1.variable_scope("bert"):
      v1.get_variable("w", [3, 2], initializer=v1.constant_initializer(0.7))
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      v1.train.Saver().save(sess, pretrained)

  def fine_tune_fn(features, labels, mode):
    with tf1.variable_scope("bert"):
      w = tf1.get_variable("w", [3, 2], initializer=tf1.zeros_initializer())
    out = tf1.layers.dense(tf.matmul(features, w), 1, name="head",
                           kernel_initializer=tf1.ones_initializer())
    tf1.train.init_from_checkpoint(pretrained, {"bert/": "bert/"})
    loss = tf.reduce_mean(tf.square(out - labels))
    train_op = tf1.train.GradientDescentOptimizer(0.01).minimize(
        loss, global_step=tf1.train.get_global_step())
    return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

  def data():
    return tf.data.Dataset.from_tensors((tf.ones([2, 3]), tf.ones([2, 1])))

  estimator = tf1.estimator.Estimator(fine_tune_fn)
  estimator.train(data, steps=1)
  with tf.Graph().as_default():   # the oracle: one TF1 step from the same start
    v1.train.get_or_create_global_step()
    spec = fine_tune_fn(tf.ones([2, 3]), tf.ones([2, 1]), ModeKeys.TRAIN)
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      sess.run(spec.train_op)
      expected = {v.op.name: sess.run(v) for v in v1.global_variables()
                  if "bert" in v.op.name or "head" in v.op.name}
  for name, value in expected.items():
    np.testing.assert_allclose(estimator.get_variable_value(name), value,
                               rtol=1e-6, err_msg=name)
  assert not np.allclose(expected["bert/w"], 0.0)


def test_vocabulary_and_hash_columns_predict_as_graph_mode():
  """Lookup tables made by feature columns in the pass are ready when a step runs."""
  def vocab_model_fn(features, labels, mode):
    columns = [
        v1.feature_column.indicator_column(
            v1.feature_column.categorical_column_with_vocabulary_list(
                "w", ["a", "b", "c"])),
        v1.feature_column.embedding_column(
            v1.feature_column.categorical_column_with_hash_bucket("w", 5), 2,
            initializer=tf1.random_uniform_initializer(seed=4))]
    net = v1.feature_column.input_layer(features, columns)
    return tf1.estimator.EstimatorSpec(mode, predictions=net)

  words = [["a"], ["c"], ["zz"]]
  with tf.Graph().as_default():
    v1.train.get_or_create_global_step()
    spec = vocab_model_fn({"w": tf.constant(words)}, None, ModeKeys.PREDICT)
    with v1.Session() as sess:
      sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
      expected = sess.run(spec.predictions)
  estimator = tf1.estimator.Estimator(vocab_model_fn)
  got = list(estimator.predict(
      lambda: tf.data.Dataset.from_tensors({"w": tf.constant(words)}),
      yield_single_examples=False))
  np.testing.assert_allclose(got[0], expected, rtol=1e-6)


# --- export_saved_model ----------------------------------------------------------------


def _serving_signature_outputs(export_dir, feeds):
  """What TensorFlow Serving computes: the serving_default signature in a TF1 session."""
  with tf.Graph().as_default():
    with v1.Session() as sess:
      meta = v1.saved_model.loader.load(sess, [v1.saved_model.tag_constants.SERVING],
                                        export_dir)
      signature = meta.signature_def["serving_default"]
      feed = {signature.inputs[k].name: v for k, v in feeds.items()}
      fetch = {k: t.name for k, t in signature.outputs.items()}
      return sess.run(fetch, feed)


def test_export_saved_model_serves_what_predict_gives(tmp_path):
  estimator = tf1.estimator.Estimator(model_fn, os.fspath(tmp_path / "model"),
                                      params=PARAMS)
  estimator.train(input_fn(), steps=3)
  expected = list(estimator.predict(input_fn(repeat=False),
                                    yield_single_examples=False))
  export_dir = estimator.export_saved_model(os.fspath(tmp_path / "export"),
                                            RAW_RECEIVER_FN)
  assert os.path.dirname(os.fsdecode(export_dir)) == os.fspath(tmp_path / "export")
  assert os.path.basename(os.fsdecode(export_dir)).isdigit()   # a timestamp, as TF1
  served = _serving_signature_outputs(export_dir, {"x": FEATURES[:4]})
  np.testing.assert_array_equal(served["classes"], expected[0]["classes"])
  np.testing.assert_allclose(served["probabilities"], expected[0]["probabilities"],
                             rtol=1e-5)
  loaded = tf.saved_model.load(os.fsdecode(export_dir))   # TF2 reads it too
  out = loaded.signatures["serving_default"](x=tf.constant(FEATURES[:4]))
  np.testing.assert_array_equal(out["classes"].numpy(), expected[0]["classes"])


def test_export_with_a_parsing_receiver_and_chosen_outputs(tmp_path):
  def classifier_fn(features, labels, mode, params):
    spec = model_fn(features, labels, mode, params)
    if mode != ModeKeys.PREDICT:
      return spec
    probabilities = spec.predictions["probabilities"]
    return spec._replace(export_outputs={  # pylint: disable=protected-access
        "serving_default": tf1.estimator.export.PredictOutput(
            {"top": spec.predictions["classes"]}),
        "scores": tf1.estimator.export.ClassificationOutput(scores=probabilities)})

  estimator = tf1.estimator.Estimator(classifier_fn, params=PARAMS)
  estimator.train(input_fn(), steps=2)   # no model_dir: its current variables
  expected = next(estimator.predict(input_fn(repeat=False),
                                    yield_single_examples=False))
  receiver_fn = tf1.estimator.export.build_parsing_serving_input_receiver_fn(
      {"x": tf.io.FixedLenFeature([3], tf.float32)})
  extra = tmp_path / "vocab.txt"
  extra.write_text("a\nb\n")
  export_dir = estimator.export_saved_model(
      os.fspath(tmp_path / "export"), receiver_fn,
      assets_extra={"vocab/vocab.txt": os.fspath(extra)})
  examples = [tf.train.Example(features=tf.train.Features(feature={
      "x": tf.train.Feature(float_list=tf.train.FloatList(value=row))}))
              .SerializeToString() for row in FEATURES[:4]]
  served = _serving_signature_outputs(export_dir, {"examples": examples})
  np.testing.assert_array_equal(served["top"], expected["classes"])
  signatures = tf.saved_model.load(os.fsdecode(export_dir)).signatures
  assert sorted(signatures) == ["scores", "serving_default"]
  assert os.path.exists(os.path.join(os.fsdecode(export_dir), "assets.extra",
                                     "vocab", "vocab.txt"))


def test_export_without_variables_raises_tf1s_error(tmp_path):
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  with pytest.raises(ValueError, match="Couldn't find trained model at /"):
    estimator.export_saved_model(os.fspath(tmp_path), RAW_RECEIVER_FN)


def test_serving_input_receiver_checks_are_tf1s():
  with tf.Graph().as_default():
    x = v1.placeholder(tf.float32, [None, 3])
    with pytest.raises(ValueError, match="features must be defined."):
      tf1.estimator.export.ServingInputReceiver(None, x)
    with pytest.raises(ValueError, match="receiver_tensor keys must be strings: 3."):
      tf1.estimator.export.ServingInputReceiver(x, {3: x})
    with pytest.raises(ValueError, match="feature x must be a Tensor, SparseTensor"):
      tf1.estimator.export.ServingInputReceiver({"x": 1.0}, x)
    receiver = tf1.estimator.export.TensorServingInputReceiver(x, x)
    assert receiver.features is x and list(receiver.receiver_tensors) == ["input"]


# --- saving listeners and train_and_evaluate --------------------------------------------


class _Recorder(v1.train.CheckpointSaverListener):

  def __init__(self, stop_at=None):
    self.calls, self.stop_at = [], stop_at

  def begin(self):
    self.calls.append("begin")

  def before_save(self, session, global_step_value):
    self.calls.append(("before", global_step_value))

  def after_save(self, session, global_step_value):
    self.calls.append(("after", global_step_value))
    return global_step_value == self.stop_at

  def end(self, session, global_step_value):
    self.calls.append(("end", global_step_value))


def test_saving_listeners_are_called_around_each_checkpoint():
  config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
  estimator = tf1.estimator.Estimator(model_fn, config=config, params=PARAMS)
  recorder = _Recorder()
  estimator.train(input_fn(), steps=5, saving_listeners=[recorder])
  assert recorder.calls == ["begin", ("before", 0), ("after", 0),
                            ("before", 2), ("after", 2), ("before", 4),
                            ("after", 4), ("before", 5), ("after", 5),
                            ("end", 5)]
  stopper = _Recorder(stop_at=7)   # after_save returning True stops training
  estimator.train(input_fn(), steps=10, saving_listeners=[stopper])
  assert int(estimator.get_variable_value("global_step")) == 7
  with pytest.raises(TypeError, match="must be `CheckpointSaverListener` instances"):
    estimator.train(input_fn(), steps=1, saving_listeners=[object()])


def test_train_and_evaluate_evaluates_after_checkpoints_and_exports():
  config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
  estimator = tf1.estimator.Estimator(model_fn, config=config, params=PARAMS)
  evaluated = []
  real_evaluate = estimator.evaluate

  def recording_evaluate(*args, **kwargs):
    result = real_evaluate(*args, **kwargs)
    evaluated.append(int(result["global_step"]))
    return result
  estimator.evaluate = recording_evaluate
  train_spec = tf1.estimator.TrainSpec(input_fn(), max_steps=6)
  eval_spec = tf1.estimator.EvalSpec(
      input_fn(repeat=False), steps=None, throttle_secs=0,
      exporters=[tf1.estimator.LatestExporter("latest", RAW_RECEIVER_FN,
                                              exports_to_keep=2),
                 tf1.estimator.FinalExporter("final", RAW_RECEIVER_FN)])
  metrics, exports = tf1.estimator.train_and_evaluate(estimator, train_spec,
                                                      eval_spec)
  # Not the checkpoint before the first step; then every checkpoint (no throttle).
  assert evaluated == [2, 4, 6]
  assert int(metrics["global_step"]) == 6 and "accuracy" in metrics
  export_root = os.path.join(estimator.model_dir, "export")
  assert len(os.listdir(os.path.join(export_root, "latest"))) == 2   # the newest two
  assert len(os.listdir(os.path.join(export_root, "final"))) == 1    # at max_steps only
  assert [os.path.dirname(os.fsdecode(e)) for e in exports] == [
      os.path.join(export_root, "latest"), os.path.join(export_root, "final")]
  # A throttle longer than the run: the first checkpoint and the last one.
  evaluated.clear()
  eval_spec = tf1.estimator.EvalSpec(input_fn(repeat=False), steps=1,
                                     throttle_secs=600)
  tf1.estimator.train_and_evaluate(
      estimator, tf1.estimator.TrainSpec(input_fn(), max_steps=12), eval_spec)
  assert evaluated == [8, 12]


def test_train_and_evaluate_argument_errors_are_tf1s():
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  with pytest.raises(TypeError, match="`input_fn` must be callable, given: 3"):
    tf1.estimator.TrainSpec(3)
  with pytest.raises(ValueError, match="Must specify max_steps > 0, given: 0"):
    tf1.estimator.TrainSpec(input_fn(), max_steps=0)
  with pytest.raises(ValueError, match="Must specify steps > 0, given: 0"):
    tf1.estimator.EvalSpec(input_fn(), steps=0)
  with pytest.raises(ValueError, match="Must specify throttle_secs >= 0"):
    tf1.estimator.EvalSpec(input_fn(), throttle_secs=-1)
  same = [tf1.estimator.FinalExporter("a", RAW_RECEIVER_FN),
          tf1.estimator.LatestExporter("a", RAW_RECEIVER_FN)]
  with pytest.raises(ValueError, match="`exporters` must have unique names"):
    tf1.estimator.EvalSpec(input_fn(), exporters=same)
  with pytest.raises(TypeError, match="`exporters` must be an Exporter"):
    tf1.estimator.EvalSpec(input_fn(), exporters=[3])
  with pytest.raises(TypeError, match="`estimator` must have type `tf.estimator.Estimator`"):
    tf1.estimator.train_and_evaluate(object(), tf1.estimator.TrainSpec(input_fn()),
                                     tf1.estimator.EvalSpec(input_fn()))
  with pytest.raises(TypeError, match="`eval_spec` must have type `tf.estimator.EvalSpec`"):
    tf1.estimator.train_and_evaluate(estimator, tf1.estimator.TrainSpec(input_fn()),
                                     None)


def test_variable_names_and_values_are_read_from_the_latest_checkpoint():
  estimator = tf1.estimator.Estimator(model_fn, params=PARAMS)
  with pytest.raises(ValueError, match="Could not find trained model in model_dir: /"):
    estimator.get_variable_names()
  estimator.train(input_fn(), steps=2)
  names = estimator.get_variable_names()
  assert names == sorted(names) and "net/dense/kernel/Adam_1" in names
  assert not any(n.startswith("accuracy/") for n in names)   # local variables are not saved
  checkpoint = tf.train.latest_checkpoint(estimator.model_dir)
  np.testing.assert_array_equal(estimator.get_variable_value("net/dense/kernel"),
                                tf.train.load_variable(checkpoint, "net/dense/kernel"))


# --- TensorBoard events -------------------------------------------------------------------


def _events(directory):
  """{tag: [(step, value)]} of the scalar summaries in ``directory``'s events files."""
  found = {}
  for name in sorted(os.listdir(directory)):
    if not name.startswith("events."):
      continue
    for event in v1.train.summary_iterator(os.path.join(directory, name)):
      for value in event.summary.value:
        if value.HasField("simple_value"):
          found.setdefault(value.tag, []).append((event.step, value.simple_value))
  return found


def test_training_and_evaluation_write_tf1s_summaries():
  def summarized_fn(features, labels, mode, params):
    spec = model_fn(features, labels, mode, params)
    if mode == ModeKeys.TRAIN:
      tf1.summary.scalar("mean_x", tf.reduce_mean(features["x"]))
    return spec

  config = tf1.estimator.RunConfig(save_summary_steps=2)
  estimator = tf1.estimator.Estimator(summarized_fn, config=config, params=PARAMS)
  estimator.train(input_fn(), steps=5)
  expected = GraphEstimator(model_fn, PARAMS).train(5)
  events = _events(estimator.model_dir)
  # The model's own summary, and the loss summary TF1's Estimator adds, of
  # the first step and then every save_summary_steps: TF1's SummarySaverHook
  # writes a step's summary at the global step after it (compared with TF1
  # graph mode in test_estimator_hooks.py).
  assert [step for step, _ in events["loss"]] == [1, 3, 5]
  np.testing.assert_allclose([v for _, v in events["loss"]],
                             [expected[0], expected[2], expected[4]], rtol=2e-5)
  np.testing.assert_allclose([v for _, v in events["mean_x"]],
                             [FEATURES[:4].mean(), FEATURES[:4].mean(),
                              FEATURES[:4].mean()], rtol=1e-6)
  metrics = estimator.evaluate(input_fn(repeat=False))
  eval_events = _events(os.path.join(estimator.model_dir, "eval"))
  assert sorted(eval_events) == ["accuracy", "loss", "mean_prob"]
  for tag, values in eval_events.items():
    assert values == [(5, pytest.approx(float(metrics[tag]), rel=1e-6))]
  estimator.evaluate(input_fn(repeat=False), steps=1, name="one")
  assert "loss" in _events(os.path.join(estimator.model_dir, "eval_one"))


def test_tf_random_seed_makes_unseeded_initial_values_reproducible():
  """TF1 seeded each graph with tf_random_seed: initializers without a seed gave the same values."""
  from tensorflow.python.eager import context  # pylint: disable=g-import-not-at-top

  def unseeded_fn(features, labels, mode):
    logits = tf1.layers.dense(features["x"], 3)   # glorot_uniform, no seed
    loss = tf1.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf1.train.GradientDescentOptimizer(0.0).minimize(
        loss, global_step=tf1.train.get_global_step())
    return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

  def kernel(seed):
    estimator = tf1.estimator.Estimator(
        unseeded_fn, config=tf1.estimator.RunConfig(tf_random_seed=seed))
    estimator.train(input_fn(), steps=1)
    return estimator.get_variable_value("dense/kernel")

  before = context.global_seed()
  np.testing.assert_array_equal(kernel(7), kernel(7))
  assert not np.array_equal(kernel(7), kernel(8))
  assert context.global_seed() == before   # the process's seed is put back


# --- early stopping ---------------------------------------------------------------------


def test_early_stopping_hooks_stop_on_the_evaluations_metrics():
  config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
  estimator = tf1.estimator.Estimator(model_fn, config=config, params=PARAMS)
  # Any evaluation from step 4 on stops it: the one after checkpoint 4.
  hook = tf1.estimator.experimental.stop_if_lower_hook(
      estimator, "loss", threshold=1e9, min_steps=4, run_every_secs=None,
      run_every_steps=1)
  tf1.estimator.train_and_evaluate(
      estimator, tf1.estimator.TrainSpec(input_fn(), max_steps=20, hooks=[hook]),
      tf1.estimator.EvalSpec(input_fn(repeat=False), steps=None, throttle_secs=0))
  # As in TF1: the checkpoint saver runs first among the hooks after each
  # step, so the evaluation after checkpoint 4 is there when the early
  # stopping hook looks, in the same step.
  assert int(estimator.get_variable_value("global_step")) == 4
  # The hook sets TF1's variable after that checkpoint, and TF1 writes no
  # other at the same step: the checkpoint keeps False, the variable is True.
  assert tf1scope.variables_by_name(estimator)["signal_early_stopping/STOP"].numpy()
  assert not estimator.get_variable_value("signal_early_stopping/STOP")
  metrics = tf1.estimator.experimental.read_eval_metrics(estimator.eval_dir())
  assert list(metrics) == [2, 4] and "accuracy" in metrics[4]


def test_no_improvement_rule_reads_the_metric_history(tmp_path):
  estimator = tf1.estimator.Estimator(model_fn, os.fspath(tmp_path), params=PARAMS)
  writer = tf.summary.create_file_writer(estimator.eval_dir())
  with writer.as_default():
    for step, loss in ((10, 1.0), (20, 0.5), (30, 0.6), (40, 0.7)):
      summary = v1.Summary(value=[v1.Summary.Value(tag="loss", simple_value=loss)])
      tf.summary.experimental.write_raw_pb(summary.SerializeToString(), step=step)
  writer.flush()
  stop_after = {}
  for patience in (15, 20, 25):
    hook = tf1.estimator.experimental.stop_if_no_decrease_hook(
        estimator, "loss", patience, run_every_secs=None, run_every_steps=1)
    stop_after[patience] = hook._should_stop_fn()  # pylint: disable=protected-access
  # Best at 20; 40 - 20 = 20 steps without a decrease.
  assert stop_after == {15: True, 20: True, 25: False}
  with pytest.raises(TypeError, match="`estimator` must have type"):
    tf1.estimator.experimental.make_early_stopping_hook(object(), lambda: True)
  with pytest.raises(ValueError, match="Only one of `run_every_secs` and `run_every_steps`"):
    tf1.estimator.experimental.stop_if_higher_hook(estimator, "loss", 1.0,
                                                   run_every_steps=2)



# --- warm starting ---------------------------------------------------------------------


def _pretrained(tmp_path):
  """A TF1 checkpoint of the model trained a few steps (another run's values)."""
  graph = GraphEstimator(model_fn, dict(PARAMS, learning_rate=0.3))
  graph.train(3)
  return graph.save(os.fspath(tmp_path / "pretrained" / "model.ckpt"))


@pytest.mark.parametrize("vars_to_warm_start", [".*", "net/dense/.*",
                                                ["net/dense_1/kernel"]])
def test_warm_start_from_a_tf1_checkpoint_matches_graph_mode(tmp_path,
                                                            vars_to_warm_start):
  path = _pretrained(tmp_path)
  settings = tf1.estimator.WarmStartSettings(path, vars_to_warm_start)
  params = dict(PARAMS, learning_rate=0.0)   # one step that moves no weight
  graph = GraphEstimator(model_fn, params, warm_start=tuple(settings))
  graph.train(1)
  estimator = tf1.estimator.Estimator(model_fn, params=params,
                                      warm_start_from=settings)
  estimator.train(input_fn(), steps=1)
  _assert_values_match(estimator, graph)


def test_warm_start_from_a_path_or_a_saved_model(tmp_path):
  path = _pretrained(tmp_path)
  expected = tf.train.load_variable(path, "net/dense/kernel")
  from_dir = tf1.estimator.Estimator(model_fn, params=PARAMS,
                                     warm_start_from=os.path.dirname(path))
  predictions = next(from_dir.predict(input_fn(repeat=False),
                                      yield_single_examples=False))
  # No checkpoint of its own yet: TF1 exports the warm-start checkpoint.
  export_dir = from_dir.export_saved_model(os.fspath(tmp_path / "export"),
                                           RAW_RECEIVER_FN)
  served = _serving_signature_outputs(export_dir, {"x": FEATURES[:4]})
  np.testing.assert_array_equal(served["classes"], predictions["classes"])
  from_saved_model = tf1.estimator.Estimator(
      model_fn, params=dict(PARAMS, learning_rate=0.0),
      warm_start_from=export_dir)
  from_saved_model.train(input_fn(), steps=1)
  np.testing.assert_allclose(
      from_saved_model.get_variable_value("net/dense/kernel"), expected)
  with pytest.raises(ValueError, match="`ckpt_to_initialize_from` MUST be set"):
    tf1.estimator.WarmStartSettings("")
  with pytest.raises(ValueError, match="warm_start_from must be a string or a WarmStartSettings"):
    tf1.estimator.Estimator(model_fn, params=PARAMS, warm_start_from=3)


def test_warm_start_remaps_a_vocabulary_as_tf1(tmp_path):
  """An embedding trained on vocabulary a, b, c starts rows of the new vocabulary c, a, z."""
  path, vocab = tf1_files.vocab_checkpoint(os.fspath(tmp_path))

  def emb_model_fn(features, labels, mode):
    emb = tf1.get_variable("emb", [3, 2], initializer=tf1.ones_initializer())
    predictions = tf.gather(emb, features)
    return tf1.estimator.EstimatorSpec(mode, predictions=predictions)

  settings = tf1.estimator.WarmStartSettings(
      path, "emb", var_name_to_vocab_info={"emb": vocab})
  estimator = tf1.estimator.Estimator(emb_model_fn, warm_start_from=settings)
  rows = list(estimator.predict(
      lambda: tf.data.Dataset.from_tensors(tf.constant([0, 1, 2]))))
  np.testing.assert_array_equal(rows, [[3., 3.], [1., 1.], [0., 0.]])


def test_keep_checkpoint_max_keeps_the_newest_checkpoints_as_tf1s_saver(tmp_path):
  model_dir = os.fspath(tmp_path / "model")
  config = tf1.estimator.RunConfig(model_dir=model_dir, save_checkpoints_steps=1,
                                   keep_checkpoint_max=2)
  tf1.estimator.Estimator(model_fn, config=config, params=PARAMS).train(
      input_fn(), steps=5)
  index_files = sorted(f for f in os.listdir(model_dir) if f.endswith(".index"))
  assert index_files == ["model.ckpt-4.index", "model.ckpt-5.index"]
  state = tf.train.get_checkpoint_state(model_dir)
  assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == [
      "model.ckpt-4", "model.ckpt-5"]
  # A later run goes on from the list the directory holds.
  tf1.estimator.Estimator(model_fn, config=config, params=PARAMS).train(
      input_fn(), steps=1)
  index_files = sorted(f for f in os.listdir(model_dir) if f.endswith(".index"))
  assert index_files == ["model.ckpt-5.index", "model.ckpt-6.index"]
  everything = config.replace(model_dir=os.fspath(tmp_path / "all"),
                              keep_checkpoint_max=None)
  tf1.estimator.Estimator(model_fn, config=everything, params=PARAMS).train(
      input_fn(), steps=3)
  assert len([f for f in os.listdir(tmp_path / "all") if f.endswith(".index")]) == 4


def test_hooks_from_the_spec_are_new_in_each_call_as_tf1_made_them():
  made = []

  def hooked_model_fn(features, labels, mode):
    spec = model_fn(features, labels, mode, PARAMS)
    if mode != ModeKeys.TRAIN:
      return spec
    made.append(_LossRecorder())
    return spec._replace(training_hooks=[made[-1]])  # pylint: disable=protected-access

  estimator = tf1.estimator.Estimator(hooked_model_fn)
  estimator.train(input_fn(), steps=2)
  estimator.train(input_fn(), steps=3)
  assert [len(h.losses) for h in made] == [2, 3]
  assert [h.calls for h in made] == [["begin", "after_create_session", "end"]] * 2


def test_best_exporter_argument_errors_are_tf1s():
  with pytest.raises(ValueError, match="`compare_fn` must not be None."):
    tf1.estimator.BestExporter(compare_fn=None)
  with pytest.raises(ValueError, match="must include current_eval_result argument."):
    tf1.estimator.BestExporter(compare_fn=lambda best_eval_result: True)
  with pytest.raises(ValueError, match="has following not expected args: .'extra'.$"):
    tf1.estimator.BestExporter(
        compare_fn=lambda best_eval_result, current_eval_result, extra: True)
  with pytest.raises(ValueError, match="`exports_to_keep`, if provided, must be a "
                     "positive number. Got 0"):
    tf1.estimator.BestExporter(exports_to_keep=0)
  from tf1scope.estimator import exporter  # pylint: disable=g-import-not-at-top
  with pytest.raises(ValueError, match="current_eval_result cannot be empty or no loss"):
    exporter._loss_smaller({"loss": 1.0}, {"accuracy": 1.0})  # pylint: disable=protected-access
  assert exporter._loss_smaller({"loss": 1.0}, {"loss": 0.5})  # pylint: disable=protected-access


class _HParams:
  """What TF1 code passed as params besides dicts: ``tf.contrib.training.HParams``'s protocol."""

  def __init__(self, **values):
    self.__dict__.update(values)

  def __contains__(self, key):
    return key in self.__dict__

  def add_hparam(self, key, value):
    assert key not in self.__dict__
    setattr(self, key, value)

  def set_hparam(self, key, value):
    setattr(self, key, value)


def test_tpu_estimator_adds_the_batch_size_to_hparams_as_tf1():
  seen = []

  def tpu_model_fn(features, labels, mode, params):
    seen.append((params.batch_size, params.use_tpu, params.hidden))
    spec = model_fn(features, labels, mode, {"hidden": params.hidden})
    return tf1.estimator.tpu.TPUEstimatorSpec(mode, loss=spec.loss,
                                              train_op=spec.train_op)

  def tpu_input_fn(params):
    seen.append(params.batch_size)
    return input_fn(batch=params.batch_size)()

  estimator = tf1.estimator.tpu.TPUEstimator(
      tpu_model_fn, config=tf1.estimator.tpu.RunConfig(), use_tpu=False,
      train_batch_size=2, params=_HParams(hidden=3))
  estimator.train(tpu_input_fn, steps=1)
  assert seen == [2, (2, False, 3)]
  assert "batch_size" not in estimator.params   # the Estimator's copy stays as given
  with pytest.raises(ValueError, match="TPUEstimator.use_tpu=True. needs a TPU system"):
    tf1.estimator.tpu.TPUEstimator(tpu_model_fn, config=tf1.estimator.tpu.RunConfig())
