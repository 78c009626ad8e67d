"""TF1's own SessionRunHooks in a tf1scope Estimator, against TF1 graph mode.

The oracle is TF1's training loop in graph mode: the model function on a
one-shot iterator of the same dataset, a ``MonitoredSession`` with the same
hooks, and ``session.run([train_op, loss])`` until it stops, as TF1's
Estimator ran it.
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import tf1scope.compat.v1 as tf1

v1 = tf.compat.v1
ModeKeys = tf1.estimator.ModeKeys

FEATURES = np.arange(16, dtype=np.float32).reshape(8, 2) / 10.0
LABELS = np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=np.int64)


def dataset(repeat=True, batch=2):
  data = tf.data.Dataset.from_tensor_slices(({"x": FEATURES}, LABELS)).batch(batch)
  return data.repeat() if repeat else data


def linear_fn(features, labels, mode, params):
  """A TF1 classifier with deterministic initial values, summaries and the hooks ``params`` makes."""
  with tf1.variable_scope("net"):
    w = tf1.get_variable("w", [2, 2], initializer=tf1.constant_initializer(0.1))
    b = tf1.get_variable("b", [2], initializer=tf1.zeros_initializer())
  logits = tf.matmul(features["x"], w) + b
  loss = tf1.losses.sparse_softmax_cross_entropy(labels, logits)
  tf1.summary.scalar("loss", loss)
  tf1.summary.histogram("logits", logits)
  train_op = tf1.train.GradientDescentOptimizer(0.5).minimize(
      loss, global_step=tf1.train.get_global_step())
  hooks = params.get("hooks", lambda **_: [])(loss=loss, labels=labels, w=w)
  return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                     training_hooks=hooks,
                                     scaffold=params.get("scaffold", lambda **_: None)(w=w))


def graph_train(params, steps, repeat=True):
  """TF1's loop in graph mode: the losses of each step, and the trained values."""
  with tf.Graph().as_default():
    v1.train.get_or_create_global_step()
    features, labels = v1.data.make_one_shot_iterator(dataset(repeat)).get_next()
    spec = linear_fn(features, labels, ModeKeys.TRAIN, params)
    final = v1.train.FinalOpsHook({v.op.name: v for v in v1.global_variables()})
    hooks = list(spec.training_hooks) + [v1.train.StopAtStepHook(num_steps=steps),
                                         final]
    losses = []
    with v1.train.MonitoredSession(
        session_creator=v1.train.ChiefSessionCreator(scaffold=spec.scaffold),
        hooks=hooks) as session:
      while not session.should_stop():
        losses.append(session.run([spec.train_op, spec.loss])[1])
  return losses, final.final_ops_values


def estimator_train(params, steps, repeat=True, model_dir=None, **config):
  estimator = tf1.estimator.Estimator(
      linear_fn, model_dir=model_dir, params=params,
      config=tf1.estimator.RunConfig(**config))
  estimator.train(lambda: dataset(repeat), steps=steps)
  return estimator


def _events(directory):
  """{tag: [steps]} of every summary value in ``directory``'s events files."""
  found = {}
  for name in sorted(os.listdir(directory)):
    if ".tfevents." in name:
      for event in v1.train.summary_iterator(os.path.join(directory, name)):
        for value in event.summary.value:
          found.setdefault(value.tag, []).append(event.step)
  return found


def _checkpoint_steps(directory):
  return sorted(int(name.split("-")[1].split(".")[0]) for name in os.listdir(directory)
                if name.startswith("model.ckpt-") and name.endswith(".index"))


class _Recorder(v1.train.SessionRunHook):
  """Keeps the types and values of what each step gave it, as TF1's session.run returned them."""

  def __init__(self, fetches_fn):
    self._fetches_fn = fetches_fn
    self.seen = []

  def begin(self):
    self._fetches = self._fetches_fn()

  def before_run(self, run_context):
    return v1.train.SessionRunArgs(self._fetches)

  def after_run(self, run_context, run_values):
    self.seen.append({k: (type(v).__name__, None if v is None else np.asarray(v).tolist())
                      for k, v in run_values.results.items()})
    self.seen.append(("run_metadata", type(run_values.run_metadata).__name__))


def test_hooks_get_numpy_values_as_tf1s_session_run_gave_them():
  def make(**_):
    step = v1.train.get_global_step()
    net_w = v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)[0]
    return [_Recorder(lambda: {"loss": v1.get_collection(v1.GraphKeys.LOSSES)[0],
                               "w": net_w, "step": step,
                               "noop": tf.no_op(name="hook_noop")})]

  graph_hook, our_hook = {}, {}

  def graph_hooks(**kwargs):
    graph_hook["hook"] = make(**kwargs)[0]
    return [graph_hook["hook"]]

  def our_hooks(**kwargs):
    our_hook["hook"] = make(**kwargs)[0]
    return [our_hook["hook"]]

  graph_train({"hooks": graph_hooks}, 3)
  estimator_train({"hooks": our_hooks}, 3)
  assert our_hook["hook"].seen == graph_hook["hook"].seen
  assert graph_hook["hook"].seen[0]["loss"][0] == "float32"


def test_summary_step_counter_and_checkpoint_hooks_write_what_tf1s_wrote(tmp_path):
  def hooks_in(root):
    def hooks(**_):
      return [
          v1.train.SummarySaverHook(save_steps=2, output_dir=str(root / "summaries"),
                                    summary_op=v1.summary.merge_all()),
          v1.train.StepCounterHook(every_n_steps=2, output_dir=str(root / "steps")),
          v1.train.CheckpointSaverHook(str(root / "ckpt"), save_steps=3),
      ]
    return hooks

  graph_losses, graph_values = graph_train({"hooks": hooks_in(tmp_path / "graph")}, 7)
  ours = tmp_path / "ours"
  estimator = estimator_train({"hooks": hooks_in(ours)}, 7,
                              model_dir=str(tmp_path / "model"))
  graph_dir = tmp_path / "graph"
  assert _events(ours / "summaries") == _events(graph_dir / "summaries")
  # TF1's SummarySaverHook writes a step's summary at the global step after it.
  assert _events(ours / "summaries")["loss"] == [1, 3, 5, 7]
  assert _events(ours / "steps") == _events(graph_dir / "steps")
  assert list(_events(ours / "steps")) == ["global_step/sec"]
  assert _checkpoint_steps(ours / "ckpt") == _checkpoint_steps(graph_dir / "ckpt")
  assert _checkpoint_steps(ours / "ckpt") == [0, 3, 6, 7]
  # A CheckpointSaverHook among the hooks replaces the Estimator's own, as in TF1.
  assert not any(n.startswith("model.ckpt") for n in os.listdir(estimator.model_dir))
  # What the hook saved is what TF1's Saver reads, and the trained values.
  last = tf.train.latest_checkpoint(str(ours / "ckpt"))
  for name, value in graph_values.items():
    np.testing.assert_allclose(tf.train.load_variable(last, name), value, rtol=1e-6)
  with tf.Graph().as_default():
    w = v1.get_variable("net/w", [2, 2])
    with v1.Session() as session:
      v1.train.Saver([w]).restore(session, last)
      np.testing.assert_allclose(session.run(w), graph_values["net/w"], rtol=1e-6)
  assert len(graph_losses) == 7


def test_saving_listeners_join_a_checkpoint_saver_hook_as_in_tf1(tmp_path):
  calls = []

  class Listener(v1.train.CheckpointSaverListener):
    def begin(self):
      calls.append("begin")

    def after_save(self, session, global_step_value):
      calls.append(int(global_step_value))

    def end(self, session, global_step_value):
      calls.append(("end", int(global_step_value)))

  def hooks(**_):
    return [v1.train.CheckpointSaverHook(str(tmp_path / "ckpt"), save_steps=2)]

  estimator = tf1.estimator.Estimator(linear_fn, params={"hooks": hooks})
  estimator.train(lambda: dataset(), steps=3, saving_listeners=[Listener()])
  assert calls == ["begin", 0, 2, 3, ("end", 3)]


def test_the_estimator_writes_global_step_per_second_as_tf1s_step_counter(tmp_path):
  graph_dir = tmp_path / "graph"

  def step_counter(**_):
    return [v1.train.StepCounterHook(every_n_steps=2, output_dir=str(graph_dir))]

  graph_train({"hooks": step_counter}, 7)
  estimator = estimator_train({}, 7, model_dir=str(tmp_path / "model"),
                              log_step_count_steps=2)
  ours = _events(estimator.model_dir)
  assert ours["global_step/sec"] == _events(graph_dir)["global_step/sec"]
  assert ours["global_step/sec"] == [3, 5, 7]


def test_a_hooks_session_run_of_the_input_takes_the_next_batch_as_in_tf1():
  """FinalOpsHook(labels) runs the labels after the last step: TF1's session pulled the next batch."""
  graph_hook, our_hook = {}, {}

  def hooks_into(kept):
    def hooks(labels, **_):
      kept["hook"] = v1.train.FinalOpsHook({"labels": labels})
      return [kept["hook"]]
    return hooks

  graph_train({"hooks": hooks_into(graph_hook)}, 3, repeat=False)
  estimator_train({"hooks": hooks_into(our_hook)}, 3, repeat=False)
  expected = graph_hook["hook"].final_ops_values["labels"]
  np.testing.assert_array_equal(our_hook["hook"].final_ops_values["labels"], expected)
  np.testing.assert_array_equal(expected, LABELS[6:8])

  with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
    estimator_train({"hooks": hooks_into(our_hook)}, 4, repeat=False)


def test_a_hook_that_asks_to_trace_the_step_is_refused_with_what_to_use(tmp_path):
  def hooks(**_):
    return [v1.train.ProfilerHook(save_steps=1, output_dir=str(tmp_path))]

  with pytest.raises(NotImplementedError,
                     match=r"ProfilerHook.before_run asks to trace the step "
                           r"\(RunOptions.trace_level=FULL_TRACE\)"):
    estimator_train({"hooks": hooks}, 2)


def test_scaffold_init_fn_starts_training_when_there_is_no_checkpoint(tmp_path):
  """Scaffold(init_fn=...) restoring a pre-trained Saver: TF1's fine-tuning start."""
  with tf.Graph().as_default():
    w = v1.get_variable("pretrained/w", initializer=np.full([2, 2], 0.7, np.float32))
    with v1.Session() as session:
      session.run(w.initializer)
      pretrained = v1.train.Saver([w]).save(session, str(tmp_path / "pre.ckpt"))

  def scaffold(w):
    saver = v1.train.Saver({"pretrained/w": w})
    return v1.train.Scaffold(init_fn=lambda _, session: saver.restore(session, pretrained))

  graph_losses, graph_values = graph_train({"scaffold": scaffold}, 3)
  model_dir = str(tmp_path / "model")
  estimator = estimator_train({"scaffold": scaffold}, 3, model_dir=model_dir)
  np.testing.assert_allclose(estimator.get_variable_value("net/w"),
                             graph_values["net/w"], rtol=1e-6)
  assert not np.allclose(graph_values["net/w"], 0.1)
  # With a checkpoint in model_dir, training continues from it: init_fn does not run.
  estimator.train(lambda: dataset(), steps=1)
  again = tf1.estimator.Estimator(linear_fn, model_dir=str(tmp_path / "plain"),
                                  params={})
  again.train(lambda: dataset(), steps=3)
  assert not np.allclose(again.get_variable_value("net/w"), graph_values["net/w"])
  assert int(estimator.get_variable_value("global_step")) == 4
  assert len(graph_losses) == 3


# --- RunConfig's checkpoint triggers -------------------------------------------


def test_run_config_checkpoint_triggers_are_tf1s():
  config = tf1.estimator.RunConfig()
  assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (600, None)
  config = tf1.estimator.RunConfig(save_checkpoints_steps=5)
  assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (None, 5)
  config = tf1.estimator.RunConfig(save_checkpoints_secs=30)
  assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (30, None)
  replaced = config.replace(save_checkpoints_steps=7)
  assert (replaced.save_checkpoints_secs, replaced.save_checkpoints_steps) == (None, 7)
  with pytest.raises(ValueError, match="`save_checkpoints_steps` and "
                     "`save_checkpoints_secs` cannot be both set."):
    tf1.estimator.RunConfig(save_checkpoints_steps=5, save_checkpoints_secs=30)
  with pytest.raises(ValueError, match="cannot be both set"):
    config.replace(save_checkpoints_steps=7, save_checkpoints_secs=3)
  for kwargs, message in [({"save_checkpoints_steps": -1}, "save_checkpoints_steps should be >= 0"),
                          ({"save_checkpoints_secs": -1}, "save_checkpoints_secs should be >= 0"),
                          ({"keep_checkpoint_max": -1}, "keep_checkpoint_max should be >= 0"),
                          ({"log_step_count_steps": 0}, "log_step_count_steps should be > 0"),
                          ({"tf_random_seed": 1.5}, "tf_random_seed must be integer."),
                          ({"model_dir": ""}, "model_dir should be non-empty")]:
    with pytest.raises(ValueError, match=message):
      tf1.estimator.RunConfig(**kwargs)


def test_save_checkpoints_secs_saves_on_the_clock(tmp_path):
  # Far apart: the checkpoints at the start and the end only.
  slow = estimator_train({}, 5, model_dir=str(tmp_path / "slow"),
                         save_checkpoints_secs=3600)
  assert _checkpoint_steps(slow.model_dir) == [0, 5]
  # Every step takes longer than a nanosecond: a checkpoint after each, five kept.
  fast = estimator_train({}, 6, model_dir=str(tmp_path / "fast"),
                         save_checkpoints_secs=1e-9)
  assert _checkpoint_steps(fast.model_dir) == [2, 3, 4, 5, 6]


def test_no_checkpoint_trigger_writes_no_checkpoints_and_refuses_listeners(tmp_path):
  estimator = estimator_train({}, 3, model_dir=str(tmp_path / "none"),
                              save_checkpoints_steps=None, save_checkpoints_secs=None)
  assert _checkpoint_steps(estimator.model_dir) == []
  with pytest.raises(ValueError, match="There should be a CheckpointSaverHook to "
                     "use saving_listeners."):
    estimator.train(lambda: dataset(), steps=1,
                    saving_listeners=[v1.train.CheckpointSaverListener()])


@pytest.mark.parametrize("argument", ["train_distribute", "eval_distribute",
                                      "experimental_distribute", "device_fn"])
def test_distribution_arguments_are_refused_not_ignored(argument, tmp_path):
  # TF1 trained on the strategy's devices; one device instead would change
  # what each step sees, so the Estimator refuses it with a clear error.
  value = (tf.distribute.OneDeviceStrategy("/cpu:0") if argument != "device_fn"
           else (lambda op: "/cpu:0"))
  config = tf1.estimator.RunConfig(**{argument: value})
  assert getattr(config, argument) is value   # kept, as TF1's RunConfig
  with pytest.raises(NotImplementedError,
                     match=rf"RunConfig\({argument}=.*\) is not supported: "
                     "tf1scope's Estimator runs in one process on the default "
                     rf"devices\. Leave {argument} unset"):
    tf1.estimator.Estimator(lambda features, labels, mode: None,
                            model_dir=str(tmp_path), config=config)
  with pytest.raises(NotImplementedError, match=argument):
    tf1.estimator.tpu.TPUEstimator(
        lambda features, labels, mode, params: None, use_tpu=False,
        config=tf1.estimator.tpu.RunConfig(**{argument: value}))
