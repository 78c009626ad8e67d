"""TF-Slim model code in a pass (``tf1scope.compat.slim``), against slim on TF1's own layers.

The stored reference (``fixtures/slim_reference.*``, written by
``make_layers_fixture.py``) is ``tf_slim`` in TF1 graph mode with TF1's own
layer classes. The cases run here with ``tf1scope.compat.slim`` eagerly and
in ``tf.function``, and the name programs (the full ``tf_slim.nets``
networks among them) in graph mode and in passes.
"""

import pytest

pytest.importorskip(
    "tf_slim", reason="tf-slim is not installed (pip install tf-slim; the "
    "test extra has it)")

# pylint: disable=g-import-not-at-top,wrong-import-position
import numpy as np
import tensorflow as tf
from tensorflow.python.framework import ops

import layers_fixture
import oracle
import slim_cases
import tf1scope
import tf1scope.compat.slim as slim

v1 = tf.compat.v1
SLIM = layers_fixture.Reference("slim_reference", slim_cases, slim)
MODES = ("eager", "function")


def test_every_case_and_program_has_a_tf1_reference():
  assert sorted(SLIM.cases) == sorted(SLIM.meta["cases"])
  assert sorted(slim_cases.NAME_PROGRAMS) == sorted(SLIM.meta["programs"])


def _case_modes():
  for name in sorted(SLIM.cases):
    why = SLIM.cases[name].graph_only
    for mode in MODES:
      marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
      yield pytest.param(name, mode, marks=marks, id=f"{name}-{mode}")


@pytest.mark.parametrize("name,mode", list(_case_modes()))
def test_slim_matches_tf1(name, mode):
  """Names, outputs, gradients, updated statistics and regularization losses."""
  layers_fixture.assert_matches_tf1(SLIM, name, mode)


def test_slim_matches_tf1_under_xla():
  layers_fixture.assert_matches_tf1(SLIM, "slim_cnn_training", "xla")


def _program(name):
  fn = slim_cases.NAME_PROGRAMS[name]
  return lambda: slim_cases.describe(fn, slim)


@pytest.mark.parametrize("name", sorted(slim_cases.NAME_PROGRAMS))
def test_graph_mode_builds_what_tf1_slim_built(name):
  SLIM.assert_program_matches(name, _program(name))


@pytest.mark.parametrize("name", sorted(slim_cases.NAME_PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  oracle.assert_matches_graph(_program(name), modes=MODES, with_values=False)


class SlimNet(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, is_training):
    return slim_cases.cnn(slim, x, is_training)["logits"]


def test_a_slim_net_trains_with_a_tf2_optimizer_in_tf_function():
  rng = np.random.default_rng(0)
  x = rng.normal(size=(16, 8, 8, 3)).astype("float32")
  y = rng.integers(0, 3, size=16)
  net = SlimNet()
  optimizer = tf.keras.optimizers.Adam(0.01)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      logits = net(x, True)
      loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
          labels=y, logits=logits))
      loss += tf.add_n(tf1scope.regularization_losses(net))
    grads = tape.gradient(loss, net.trainable_variables)
    optimizer.apply_gradients(zip(grads, net.trainable_variables))
    return loss

  first = float(step())
  before = {n: v.numpy().copy() for n, v in tf1scope.variables_by_name(net).items()}
  losses = [float(step()) for _ in range(30)]
  assert losses[-1] < first * 0.7
  after = tf1scope.variables_by_name(net)
  changed = {n for n in before if not np.allclose(before[n], after[n].numpy())}
  # Every weight trains, and the moving statistics follow the batches.
  assert changed == set(before), sorted(set(before) - changed)


# --- What the repairs rely on (TensorFlow 2.21 and tf_slim 1.1) -----------------


def test_tensorflow_s_own_tf1_batch_normalization_does_not_import():
  from tensorflow.python.layers import normalization
  # tf_keras absent: "No module named 'tf_keras'"; present: it has no
  # tf_keras.legacy_tf_layers (its TF1 layers are in tf_keras.src).
  with pytest.raises(ImportError, match="No module named 'tf_keras"):
    normalization.BatchNormalization  # noqa: B018  pylint: disable=pointless-statement


def test_tensorflow_s_ops_module_has_no_tensor():
  assert not hasattr(ops, "Tensor")


def test_tensorflow_s_internal_name_scope_yields_none_eagerly():
  with ops.name_scope(None, "MaxPool2D", []) as scope:
    assert scope is None


def test_a_tf2_variable_is_not_found_in_a_list_by_identity():
  a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 4.0])
  with pytest.raises(ValueError, match="truth value"):
    a in [b]  # noqa: B015  pylint: disable=pointless-statement
  assert a in slim._Collection([b, a])  # pylint: disable=protected-access
  assert a not in slim._Collection([b])  # pylint: disable=protected-access


def test_the_repairs_are_made_once_to_slims_layers_module():
  from tf_slim.layers import layers, utils
  assert layers.normalization_layers.BatchNormalization is (
      tf1scope.layers.BatchNormalization)
  assert layers.convolutional_layers.Convolution2D is tf1scope.layers.Conv2D
  assert layers.ops.name_scope is v1.name_scope
  assert utils.ops.Tensor is tf.Tensor
  ops_before = layers.ops
  slim.repair(layers, utils)
  assert layers.ops is ops_before


# --- tf.contrib through tf1scope.compat.v1 ---------------------------------------

import tf1scope.compat.v1 as tf1  # noqa: E402


def test_tf_contrib_is_what_tf_slim_carries_on():
  import tf_slim  # pylint: disable=g-import-not-at-top
  assert tf1.contrib.layers.layer_norm is tf_slim.layers.layer_norm
  assert tf1.contrib.layers.xavier_initializer is (
      tf_slim.layers.initializers.xavier_initializer)
  assert tf1.contrib.slim.conv2d is tf_slim.conv2d
  assert tf1.contrib.framework.arg_scope is tf_slim.arg_scope
  assert tf1.contrib.framework.get_variables_to_restore is (
      tf_slim.get_variables_to_restore)


def _bert_layer(x):
  """The shape of BERT's transformer-block code (google-research/bert modeling.py)."""
  def init(seed):
    return tf1.truncated_normal_initializer(stddev=0.2, seed=seed)
  with tf1.variable_scope("layer_0"):
    with tf1.variable_scope("attention"):
      attention = tf1.layers.dense(x, 8, name="dense",
                                   kernel_initializer=init(1))
      attention = tf1.contrib.layers.layer_norm(
          attention + x, begin_norm_axis=-1, begin_params_axis=-1,
          scope="LayerNorm")
    with tf1.variable_scope("intermediate"):
      hidden = tf1.layers.dense(attention, 16, activation=tf1.nn.relu,
                                kernel_initializer=init(2), name="dense")
    with tf1.variable_scope("output"):
      out = tf1.layers.dense(hidden, 8, kernel_initializer=init(3),
                             name="dense")
      return tf1.contrib.layers.layer_norm(
          out + attention, begin_norm_axis=-1, begin_params_axis=-1,
          scope="LayerNorm")


def test_bert_style_code_with_contrib_layer_norm_matches_graph_mode():
  def program():
    x = tf.reshape(tf.range(24.0), [3, 8]) / 24.0
    y = _bert_layer(x)
    return [y, v1.global_variables(), v1.trainable_variables()]
  oracle.assert_matches_graph(program, modes=MODES)
