"""Estimator runs whose schedule is compared with TF1's own Estimator (``make_estimator_fixture.py``).

Each case takes the ``tf.compat.v1`` module to use (TensorFlow 2.15's, or
``tf1scope.compat.v1``), TensorFlow itself and an empty model directory,
drives an Estimator through a TF1 script, and returns what TF1's run left
behind and can be compared exactly: which checkpoints exist and are listed,
at which steps each summary tag was written, what evaluations returned, the
trained values, the calls saving listeners and hooks got.
"""

import os
import re

import numpy as np

X = (np.arange(16, dtype=np.float32).reshape(8, 2) - 8.0) / 8.0
Y = np.array([[0.5], [-1.0], [0.25], [1.0], [0.0], [-0.5], [0.75], [-0.25]],
             dtype=np.float32)


def model_fn(tf1, tf):
  def fn(features, labels, mode):
    with tf1.variable_scope("net"):
      w = tf1.get_variable("w", [2, 1], initializer=tf1.constant_initializer(0.3))
      b = tf1.get_variable("b", [1], initializer=tf1.zeros_initializer())
    predictions = tf.matmul(features["x"], w) + b
    if mode == tf1.estimator.ModeKeys.PREDICT:
      return tf1.estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf1.losses.mean_squared_error(labels, predictions)
    tf1.summary.scalar("w_sum", tf.reduce_sum(w))
    train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf1.train.get_global_step())
    return tf1.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op, predictions=predictions,
        eval_metric_ops={"mae": tf1.metrics.mean_absolute_error(labels, predictions)})
  return fn


def input_fn(tf, repeat=True):
  def fn():
    data = tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(2)
    return data.repeat() if repeat else data
  return fn


def _events(tf1, directory):
  """{tag: [steps]} of the summary values in ``directory`` (values vary with timing)."""
  steps = {}
  if not os.path.isdir(directory):
    return steps
  for name in sorted(os.listdir(directory)):
    if ".tfevents." in name:
      for event in tf1.train.summary_iterator(os.path.join(directory, name)):
        for value in event.summary.value:
          steps.setdefault(value.tag, []).append(int(event.step))
  return {tag: sorted(s) for tag, s in steps.items()}


def _checkpoints(tf1, model_dir):
  files = sorted(int(n.split("-")[1].split(".")[0]) for n in os.listdir(model_dir)
                 if n.startswith("model.ckpt-") and n.endswith(".index"))
  state = tf1.train.get_checkpoint_state(model_dir)
  listed = [os.path.basename(p) for p in state.all_model_checkpoint_paths] if state else []
  return {"files": files, "listed": listed}


def _values(estimator):
  return {name: np.asarray(estimator.get_variable_value(name)).tolist()
          for name in ("net/w", "net/b", "global_step")}


def schedule(tf1, tf, model_dir):
  """Steps and summary triggers; a second train resumes; an evaluation."""
  config = tf1.estimator.RunConfig(save_checkpoints_steps=3, save_summary_steps=2,
                                   log_step_count_steps=2, keep_checkpoint_max=3)
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir,
                                      config=config)
  estimator.train(input_fn(tf), steps=7)
  first = _checkpoints(tf1, model_dir)
  estimator.train(input_fn(tf), steps=3)
  metrics = estimator.evaluate(input_fn(tf, repeat=False))
  return {"after_first_train": first, "checkpoints": _checkpoints(tf1, model_dir),
          "events": _events(tf1, model_dir),
          "eval_events": _events(tf1, os.path.join(model_dir, "eval")),
          "metrics": {k: float(v) for k, v in metrics.items()},
          "values": _values(estimator)}


def default_triggers(tf1, tf, model_dir):
  """RunConfig's defaults: checkpoints every 600 seconds, summaries every 100 steps."""
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir)
  estimator.train(input_fn(tf), steps=5)
  estimator.train(input_fn(tf), max_steps=9)
  return {"checkpoints": _checkpoints(tf1, model_dir),
          "events": _events(tf1, model_dir), "values": _values(estimator)}


def listeners_and_max_steps(tf1, tf, model_dir):
  """A saving listener's calls; max_steps reached and training skipped."""
  calls = []

  class Listener(tf1.train.CheckpointSaverListener):
    def begin(self):
      calls.append("begin")

    def before_save(self, session, global_step_value):
      calls.append(["before_save", int(global_step_value)])

    def after_save(self, session, global_step_value):
      calls.append(["after_save", int(global_step_value)])

    def end(self, session, global_step_value):
      calls.append(["end", int(global_step_value)])

  config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir,
                                      config=config)
  estimator.train(input_fn(tf), max_steps=5, saving_listeners=[Listener()])
  estimator.train(input_fn(tf), max_steps=5, saving_listeners=[Listener()])

  class StopAtOnce(tf1.train.CheckpointSaverListener):
    def after_save(self, session, global_step_value):
      return True   # at the start too, where TF1 does not stop

  estimator.train(input_fn(tf), steps=3, saving_listeners=[StopAtOnce()])
  return {"calls": calls, "checkpoints": _checkpoints(tf1, model_dir),
          "values": _values(estimator)}


def early_stopping(tf1, tf, model_dir):
  """train_and_evaluate stopped by an early-stopping hook after the evaluation of checkpoint 4."""
  config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir,
                                      config=config)
  hook = tf1.estimator.experimental.stop_if_lower_hook(
      estimator, "loss", threshold=1e9, min_steps=4, run_every_secs=None,
      run_every_steps=1)
  tf1.estimator.train_and_evaluate(
      estimator, tf1.estimator.TrainSpec(input_fn(tf), max_steps=20, hooks=[hook]),
      tf1.estimator.EvalSpec(input_fn(tf, repeat=False), steps=None,
                             throttle_secs=0))
  return {"values": _values(estimator),
          "stop": bool(estimator.get_variable_value("signal_early_stopping/STOP")),
          "checkpoints": _checkpoints(tf1, model_dir),
          "eval_events": _events(tf1, os.path.join(model_dir, "eval"))}


def stop_at_step_and_hook_fetches(tf1, tf, model_dir):
  """What hooks see: the step and a variable fetched with each train step, and StopAtStepHook."""
  seen = []

  class Watcher(tf1.train.SessionRunHook):
    def begin(self):
      self._fetches = {"step": tf1.train.get_global_step(),
                       "w": tf1.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)[0]}

    def before_run(self, run_context):
      return tf1.train.SessionRunArgs(self._fetches)

    def after_run(self, run_context, run_values):
      seen.append([int(run_values.results["step"]),
                   np.asarray(run_values.results["w"]).round(6).tolist()])

  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir)
  estimator.train(input_fn(tf), steps=10,
                  hooks=[Watcher(), tf1.train.StopAtStepHook(last_step=4)])
  return {"seen": seen, "values": _values(estimator)}


def _input_batches(tf1, tf, input_fn, limit=20):
  """The batches ``input_fn`` gives: TF1's queues in a session, or a dataset's elements."""
  def plain(structure):
    return tf.nest.map_structure(lambda a: np.asarray(a).tolist(), structure)
  if tf1.__name__.startswith("tf1scope"):   # a tf.data.Dataset
    return [plain(b) for _, b in zip(range(limit), input_fn())]
  batches = []
  with tf.Graph().as_default():
    out = input_fn()
    with tf1.train.MonitoredSession() as session:
      while not session.should_stop() and len(batches) < limit:
        batches.append(plain(session.run(out)))
  return batches


def numpy_inputs(tf1, tf, model_dir):
  """numpy_input_fn's batches (unshuffled), its errors, and an Estimator trained on it."""
  numpy_input_fn = tf1.estimator.inputs.numpy_input_fn
  x = {"x": X, "id": np.arange(8, dtype=np.int64)}
  record = {
      "one_epoch": _input_batches(tf1, tf, numpy_input_fn(
          x, Y, batch_size=3, shuffle=False)),
      "two_epochs": _input_batches(tf1, tf, numpy_input_fn(
          x, Y, batch_size=3, num_epochs=2, shuffle=False)),
      "forever": _input_batches(tf1, tf, numpy_input_fn(
          x, Y, batch_size=3, num_epochs=None, shuffle=False), limit=5),
      "array_no_labels": _input_batches(tf1, tf, numpy_input_fn(
          X[:4], batch_size=3, shuffle=False)),
      "dict_labels": _input_batches(tf1, tf, numpy_input_fn(
          x, {"y": Y, "z": Y * 2}, batch_size=4, shuffle=False)),
  }
  errors = {}
  for name, kwargs in {"shuffle_missing": dict(x=x, y=Y),
                       "empty_dict": dict(x={}, shuffle=False),
                       "list": dict(x=[1.0], shuffle=False),
                       "lengths": dict(x=x, y=Y[:3], shuffle=False),
                       "duplicate": dict(x=x, y={"x": Y}, shuffle=False)}.items():
    try:
      _input_batches(tf1, tf, numpy_input_fn(**kwargs))
      errors[name] = None
    except (TypeError, ValueError) as e:
      errors[name] = [type(e).__name__, str(e).split("\n")[0]]
  record["errors"] = errors
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir)
  estimator.train(numpy_input_fn({"x": X}, Y, batch_size=3, num_epochs=None,
                                 shuffle=False), steps=5)
  estimator.train(numpy_input_fn({"x": X}, Y, batch_size=3, num_epochs=1,
                                 shuffle=False))
  record["values"] = _values(estimator)
  return record


def best_exporter(tf1, tf, model_dir):
  """BestExporter: which evaluations it compares and exports, across a restart."""
  compared = []

  def compare(best_eval_result, current_eval_result):
    compared.append([int(best_eval_result.get("global_step", -1)),
                     int(current_eval_result.get("global_step", -1))])
    return best_eval_result["loss"] > current_eval_result["loss"]

  receiver = tf1.estimator.export.build_raw_serving_input_receiver_fn(
      {"x": tf.zeros([1, 2])})
  exported = []
  for max_steps in (4, 6):   # the second run restarts from the checkpoint
    exporter = tf1.estimator.BestExporter(serving_input_receiver_fn=receiver,
                                          compare_fn=compare, exports_to_keep=2)
    config = tf1.estimator.RunConfig(save_checkpoints_steps=2)
    estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir,
                                        config=config)
    _, results = tf1.estimator.train_and_evaluate(
        estimator,
        tf1.estimator.TrainSpec(input_fn(tf), max_steps=max_steps),
        tf1.estimator.EvalSpec(input_fn(tf, repeat=False), steps=None,
                               throttle_secs=0, exporters=[exporter]))
    exported.append([r is not None for r in results])
  kept = os.listdir(os.path.join(model_dir, "export", "best_exporter"))
  return {"compared": compared, "exported": exported, "kept": len(kept)}


def _spec(spec):
  return {k: [type(v).__name__, list(getattr(v, "shape", [])), v.dtype.name,
              None if getattr(v, "default_value", None) is None
              else np.asarray(v.default_value).tolist()]
          for k, v in sorted(spec.items())}


def extenders_and_parsing(tf1, tf, model_dir):
  """add_metrics on an Estimator, the canned parsing specs, and the hooks tf.estimator names."""
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir)
  estimator.train(input_fn(tf), steps=3)

  def metric_fn(labels, predictions):
    return {"rmse": tf1.metrics.root_mean_squared_error(labels, predictions)}

  extended = tf1.estimator.add_metrics(estimator, metric_fn)
  metrics = extended.evaluate(input_fn(tf, repeat=False))
  fc = tf1.feature_column
  columns = [fc.numeric_column("x", shape=[2]),
             fc.embedding_column(fc.categorical_column_with_identity("c", 4), 2)]
  errors = {}
  for name, call in {
      "label_is_feature": lambda: tf1.estimator.classifier_parse_example_spec(
          columns, "x"),
      "weight_is_feature": lambda: tf1.estimator.regressor_parse_example_spec(
          columns, "y", weight_column="c"),
      "bad_metric_fn": lambda: tf1.estimator.add_metrics(
          estimator, lambda labels, mode: {})}.items():
    try:
      call()
      errors[name] = None
    except ValueError as e:
      errors[name] = re.sub(" at 0x[0-9a-f]+", "", str(e).split(":")[0])
  hooks = ["CheckpointSaverHook", "FinalOpsHook", "LoggingTensorHook",
           "NanTensorHook", "SessionRunArgs", "SessionRunHook", "StopAtStepHook",
           "SummarySaverHook", "StepCounterHook", "SecondOrStepTimer"]
  return {
      "metrics": {k: float(v) for k, v in metrics.items()},
      "same_dir": extended.model_dir == estimator.model_dir,
      "classifier_spec": _spec(tf1.estimator.classifier_parse_example_spec(
          columns, "label", weight_column="w")),
      "regressor_spec": _spec(tf1.estimator.regressor_parse_example_spec(
          columns, "y", label_dimension=3, label_default=0.0)),
      "errors": errors,
      "hooks_are_train_hooks": [getattr(tf1.estimator, h) is getattr(tf1.train, h)
                                for h in hooks],
  }


def in_memory_evaluator(tf1, tf, model_dir):
  """InMemoryEvaluatorHook: evaluations before, during and after training, of the variables in memory."""
  estimator = tf1.estimator.Estimator(model_fn(tf1, tf), model_dir=model_dir)
  hook = tf1.estimator.experimental.InMemoryEvaluatorHook(
      estimator, input_fn(tf, repeat=False), name="memory", every_n_iter=3)
  estimator.train(input_fn(tf), steps=7, hooks=[hook])
  evaluations = {}
  directory = os.path.join(model_dir, "eval_memory")
  for name in sorted(os.listdir(directory)):
    if ".tfevents." in name:
      for event in tf1.train.summary_iterator(os.path.join(directory, name)):
        for value in event.summary.value:
          if value.HasField("simple_value"):
            evaluations.setdefault(value.tag, []).append(
                [int(event.step), float(value.simple_value)])
  errors = {}
  for name, every in {"zero": 0, "none": None}.items():
    try:
      tf1.estimator.experimental.InMemoryEvaluatorHook(
          estimator, input_fn(tf), every_n_iter=every)
    except ValueError as e:
      errors[name] = str(e)
  return {"evaluations": {k: sorted(v) for k, v in evaluations.items()},
          "errors": errors, "values": _values(estimator)}


def logit_fns(tf1, tf, model_dir):
  """A model_fn of one's own on the canned DNN and linear logit functions: variables and summaries."""
  fc = tf1.feature_column
  x = fc.numeric_column("x", shape=[2])
  deep = tf1.estimator.experimental.dnn_logit_fn_builder(
      units=1, hidden_units=[3], feature_columns=[x], activation_fn=tf.nn.relu,
      dropout=None, input_layer_partitioner=None, batch_norm=False)
  wide = tf1.estimator.experimental.linear_logit_fn_builder(units=1,
                                                            feature_columns=[x])

  def fn(features, labels, mode, params, config):
    with tf1.variable_scope("deep"):
      logits = tf1.estimator.experimental.call_logit_fn(deep, features, mode,
                                                        params, config)
    logits += tf1.estimator.experimental.call_logit_fn(wide, features, mode,
                                                       params, config)
    loss = tf1.losses.mean_squared_error(labels, logits)
    train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf1.train.get_global_step())
    return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

  estimator = tf1.estimator.Estimator(fn, model_dir=model_dir, params={})
  estimator.train(input_fn(tf), steps=2)
  error = None
  try:
    tf1.estimator.experimental.call_logit_fn(lambda features: [1.0], {}, None,
                                             None, None)
  except ValueError as e:
    error = str(e).split("returned")[0]
  try:
    tf1.estimator.experimental.dnn_logit_fn_builder(1.0, [1], [x], None, None,
                                                    None, False)
  except ValueError as e:
    error = [error, str(e)]
  return {"variables": {n: s for n, s in tf1.train.list_variables(
              estimator.latest_checkpoint())},
          "events": sorted(_events(tf1, model_dir)), "errors": error}


def tpu_estimator_on_cpu(tf1, tf, model_dir):
  """TPUEstimator(use_tpu=False): the params input_fn and model_fn get, TPUEstimatorSpec, its hooks' summaries."""
  tpu = tf1.estimator.tpu
  seen = []

  def fn(features, labels, mode, params):
    seen.append([mode, sorted(params), params.get("batch_size"), params.get("use_tpu")])
    inner = model_fn(tf1, tf)(features, labels, mode)

    def metric_fn(labels, predictions):
      return {"mse": tf1.metrics.mean_squared_error(labels, predictions)}

    if mode == tf1.estimator.ModeKeys.PREDICT:
      return tpu.TPUEstimatorSpec(mode, predictions={"y": inner.predictions})
    return tpu.TPUEstimatorSpec(
        mode, loss=inner.loss, train_op=inner.train_op,
        eval_metrics=(metric_fn, [labels, inner.predictions]),
        scaffold_fn=lambda: tf1.train.Scaffold())

  def batched(params):
    seen.append(["input_fn", sorted(params), params.get("batch_size")])
    data = tf.data.Dataset.from_tensor_slices(({"x": X}, Y))
    return data.batch(params["batch_size"])

  config = tpu.RunConfig(model_dir=model_dir, log_step_count_steps=2,
                         tpu_config=tpu.TPUConfig(iterations_per_loop=2))
  estimator = tpu.TPUEstimator(fn, config=config, use_tpu=False,
                               train_batch_size=2, eval_batch_size=4,
                               predict_batch_size=3, params={"extra": 1})
  estimator.train(lambda params: batched(params).repeat(), steps=4)
  metrics = estimator.evaluate(batched)
  predictions = [np.asarray(p["y"]).tolist() for p in estimator.predict(batched)]
  receiver = tf1.estimator.export.build_raw_serving_input_receiver_fn(
      {"x": tf.zeros([1, 2])})
  before_export = len(seen)
  estimator.export_saved_model(os.path.join(model_dir, "export"), receiver)
  # TF1 also built a TPU serving graph (export_to_tpu): the first call is the CPU one.
  seen[before_export + 1:] = []
  errors = {}
  for name, call in {
      "config": lambda: tpu.TPUEstimator(fn, config=tf1.estimator.RunConfig(),
                                         use_tpu=False),
      "reserved": lambda: tpu.TPUEstimator(fn, config=config, use_tpu=False,
                                           params={"batch_size": 1}),
      "model_fn_params": lambda: tpu.TPUEstimator(
          lambda features, labels, mode: None, config=config, use_tpu=False),
      "input_fn_params": lambda: estimator.train(lambda: batched({"batch_size": 2}),
                                                 steps=1)}.items():
    try:
      call()
      errors[name] = None
    except ValueError as e:
      errors[name] = re.sub(" at 0x[0-9a-f]+", "", str(e))
  return {"seen": seen, "metrics": {k: float(v) for k, v in metrics.items()},
          "predictions": predictions, "events": _events(tf1, model_dir),
          "errors": errors, "values": _values(estimator)}


def _raised(call):
  """[error type, message] of ``call()``, or None if it returned."""
  try:
    call()
  except Exception as e:  # pylint: disable=broad-except
    return [type(e).__name__, re.sub(" at 0x[0-9a-f]+", "", str(e))]
  return None


_RUN_CONFIG_KEPT = ("protocol", "session_creation_timeout_secs",
                    "checkpoint_save_graph_def", "experimental_max_worker_delay_secs",
                    "train_distribute", "eval_distribute", "device_fn")


def run_config_arguments(tf1, tf, model_dir):
  """RunConfig's whole signature: defaults, what replace() allows, and the errors."""
  del model_dir
  config_cls = tf1.estimator.RunConfig
  tpu = tf1.estimator.tpu
  default = config_cls()
  given = config_cls(protocol="grpc", session_creation_timeout_secs=5,
                     checkpoint_save_graph_def=False,
                     experimental_max_worker_delay_secs=3)
  replaced = default.replace(protocol="grpc", session_creation_timeout_secs=9,
                             checkpoint_save_graph_def=False)
  tpu_config = tpu.RunConfig().replace(
      tpu_config=tpu.TPUConfig(iterations_per_loop=3), keep_checkpoint_max=2)
  strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
  return {
      "default": {k: getattr(default, k) for k in _RUN_CONFIG_KEPT},
      "given": {k: getattr(given, k) for k in _RUN_CONFIG_KEPT},
      "replaced": {k: getattr(replaced, k) for k in _RUN_CONFIG_KEPT},
      "tpu_replaced": [tpu_config.tpu_config.iterations_per_loop,
                       tpu_config.keep_checkpoint_max, type(tpu_config).__name__],
      # TF1 keeps a strategy given to it (its Estimator then distributes).
      "keeps_strategy": config_cls(train_distribute=strategy).train_distribute is strategy,
      "errors": {
          "unknown_argument": _raised(lambda: config_cls(save_steps=3)),
          "tpu_unknown_argument": _raised(lambda: tpu.RunConfig(save_steps=3)),
          "replace_unknown": _raised(lambda: default.replace(save_steps=3)),
          "replace_master": _raised(lambda: tpu.RunConfig().replace(master="x")),
          "empty_model_dir": _raised(lambda: config_cls(model_dir="")),
      }}


CASES = {f.__name__: f for f in (schedule, default_triggers, numpy_inputs,
                                 tpu_estimator_on_cpu, run_config_arguments,
                                 logit_fns,
                                 in_memory_evaluator,
                                 extenders_and_parsing,
                                 best_exporter,
                                 listeners_and_max_steps, early_stopping,
                                 stop_at_step_and_hook_fetches)}
