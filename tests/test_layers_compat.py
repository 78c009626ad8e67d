"""``import tf1scope.compat.v1 as tf`` runs an old TF1 file unchanged; the example trains."""

import importlib.util
import os

import numpy as np
import pytest
import tensorflow as tf

import tf1scope
import tf1scope.compat.v1 as tf1
import tf1scope.layers
import tf1scope.rnn_cell

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A TF1 source file as it was written: it only knows the name `tf`.
OLD_FILE = '''
def model(images, is_training):
  with tf.variable_scope("net", reuse=tf.AUTO_REUSE):
    x = tf.layers.conv2d(images, 4, [3, 3], activation=tf.nn.relu, name="conv")
    x = tf.layers.batch_normalization(x, training=is_training, name="bn")
    x = tf.layers.average_pooling2d(x, [2, 2], [2, 2])
    x = tf.layers.flatten(x)
    logits = tf.layers.dense(x, 3, name="logits")
  update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
  return logits, update_ops
'''


def _load_old_file():
  namespace = {"tf": tf1}
  exec(compile(OLD_FILE, "old_tf1_file.py", "exec"), namespace)  # pylint: disable=exec-used
  return namespace["model"]


def test_layers_is_tf1scope_layers_and_the_rest_is_tf_compat_v1():
  assert tf1.layers is tf1scope.layers
  assert tf1.get_variable is tf.compat.v1.get_variable
  assert tf1.variable_scope is tf.compat.v1.variable_scope
  assert tf1.nn.relu is tf.compat.v1.nn.relu and tf1.float32 is tf.float32
  assert tf1.nn.rnn_cell is tf1scope.rnn_cell   # see test_rnn_cell.py
  assert "layers" in dir(tf1) and "get_variable" in dir(tf1)


def test_tf_estimator_is_tf1scopes():
  import tf1scope.estimator  # pylint: disable=g-import-not-at-top
  assert tf1.estimator is tf1scope.estimator
  assert tf1.estimator.ModeKeys.PREDICT == "infer"


def test_tf_contrib_without_tf_slim_says_what_to_install(monkeypatch):
  import sys  # pylint: disable=g-import-not-at-top
  import tf1scope.compat  # pylint: disable=g-import-not-at-top
  from tf1scope.compat import contrib  # pylint: disable=g-import-not-at-top
  monkeypatch.delitem(contrib.__dict__, "layers", raising=False)
  monkeypatch.delattr(tf1scope.compat, "slim", raising=False)
  monkeypatch.setitem(sys.modules, "tf1scope.compat.slim", None)
  with pytest.raises(AttributeError, match="pip install tf-slim"):
    tf1.contrib.layers  # noqa: B018  pylint: disable=pointless-statement


def test_tf_contrib_rnn_is_tf1s_core_cells():
  assert tf1.contrib.rnn.LSTMCell is tf1.nn.rnn_cell.LSTMCell
  assert tf1.contrib.rnn.DropoutWrapper is tf1scope.rnn_cell.DropoutWrapper
  assert tf1.contrib.rnn.static_rnn is tf.compat.v1.nn.static_rnn
  with pytest.raises(AttributeError,
                     match="tf.contrib.rnn.TimeFreqLSTMCell was removed"):
    tf1.contrib.rnn.TimeFreqLSTMCell  # noqa: B018  pylint: disable=pointless-statement
  with pytest.raises(AttributeError, match="tf.contrib.learn was removed"):
    tf1.contrib.learn  # noqa: B018  pylint: disable=pointless-statement


def test_tf_contrib_data_and_tpu_are_where_tf1_code_finds_them():
  assert tf1.contrib.data.map_and_batch is tf.data.experimental.map_and_batch
  assert tf1.contrib.data.parallel_interleave is tf.data.experimental.parallel_interleave
  batches = tf.data.Dataset.range(5).apply(
      tf1.contrib.data.batch_and_drop_remainder(2))
  assert [b.numpy().tolist() for b in batches] == [[0, 1], [2, 3]]
  with pytest.raises(AttributeError, match="tf.contrib.data.sliding_window_batch "
                     "is not in tf.data.experimental"):
    tf1.contrib.data.sliding_window_batch  # noqa: B018  pylint: disable=pointless-statement
  assert tf1.contrib.tpu.TPUEstimator is tf1.estimator.tpu.TPUEstimator
  assert tf1.contrib.tpu.InputPipelineConfig.PER_HOST_V2 == 3


def test_old_file_runs_unchanged_in_a_pass():
  model = _load_old_file()

  class Net(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self, images, is_training):
      logits, updates = model(images, is_training)
      return logits, len(updates)

  net = Net()
  images = tf.random.normal([2, 6, 6, 1])
  logits, n_updates = net(images, True)
  assert logits.shape == (2, 3) and n_updates == 2
  again, _ = tf.function(net.__call__)(images, tf.constant(False))
  assert again.shape == (2, 3)
  assert list(tf1scope.variables_by_name(net)) == [
      "net/conv/kernel", "net/conv/bias", "net/bn/gamma", "net/bn/beta",
      "net/bn/moving_mean", "net/bn/moving_variance", "net/logits/kernel",
      "net/logits/bias"]


def test_old_file_builds_the_same_names_in_a_tf1_graph():
  model = _load_old_file()
  with tf.Graph().as_default():
    model(tf.compat.v1.placeholder(tf.float32, [None, 6, 6, 1]), True)
    names = [v.name[:-2] for v in tf.compat.v1.global_variables()]
  assert names[0] == "net/conv/kernel" and len(names) == 8


def test_cnn_example_trains():
  spec = importlib.util.spec_from_file_location(
      "tf1_cnn", os.path.join(ROOT, "examples", "tf1_cnn.py"))
  example = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(example)
  tf.random.set_seed(0)
  try:
    losses, _ = example.main(steps=12, batch_size=16)
  finally:
    tf.random.set_seed(None)
  assert np.all(np.isfinite(losses))
  assert np.mean(losses[-4:]) < np.mean(losses[:4])
