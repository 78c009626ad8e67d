"""Layer names, sharing, collections and errors, against TF1 graph mode and real TF1 layers.

Each program of ``layer_cases.NAME_PROGRAMS`` is compared three ways:

* with ``tf1scope.layers`` in a TF1 graph (plain ``get_variable``) against what
  real ``tf.compat.v1.layers`` built (stored in the fixture);
* in a pass (eagerly and in ``tf.function``, two calls each) against the same
  program in a TF1 graph (``oracle.assert_matches_graph``).
"""


import pytest
import tensorflow as tf

import layer_cases
import oracle
import tf1scope
import tf1scope.layers
from layers_fixture import LAYERS
from layers_fixture import META

v1 = tf.compat.v1
PROGRAMS = layer_cases.NAME_PROGRAMS


def _program(name):
  fn = PROGRAMS[name]
  return lambda: layer_cases.describe(fn, tf1scope.layers)


def _modes(name):
  # Unknown dimensions exist only in graphs: no eager version of these programs.
  return ("function",) if name in layer_cases.SYMBOLIC_ONLY else (
      "eager", "function")


def test_every_program_has_a_tf1_reference():
  assert sorted(PROGRAMS) == sorted(META["programs"])


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_mode_builds_what_tf1_layers_built(name):
  LAYERS.assert_program_matches(name, _program(name))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  oracle.assert_matches_graph(_program(name), modes=_modes(name),
                              with_values=False)


# --- Targeted behaviours -----------------------------------------------------------


class Owner(tf.Module):

  def __init__(self, fn):
    super().__init__()
    self._fn = [fn]

  @tf1scope.track_tf1_style_variables
  def __call__(self, *args):
    return self._fn[0](*args)


def test_auto_names_are_counted_per_pass():
  def net(x):
    for _ in range(3):
      x = tf1scope.layers.dense(x, 2)
    return x
  owner = Owner(net)
  owner(tf.ones([1, 2]))
  names = list(tf1scope.variables_by_name(owner))
  owner(tf.ones([1, 2]))
  tf.function(owner.__call__)(tf.ones([1, 2]))
  assert list(tf1scope.variables_by_name(owner)) == names == [
      "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias",
      "dense_2/kernel", "dense_2/bias"]


def test_layer_object_names_are_counted_per_pass():
  layers = []
  owner = Owner(lambda: layers.append(
      (tf1scope.layers.Dense(2).name, tf1scope.layers.Dense(2).name)))
  owner()
  owner()
  assert layers == [("dense_1", "dense_2")] * 2


def test_class_layer_made_outside_the_pass_is_shared_across_passes():
  layer = tf1scope.layers.Dense(3, name="head")
  owner = Owner(lambda x: layer(x))
  first = owner(tf.ones([2, 4]))
  second = tf.function(owner.__call__)(tf.ones([2, 4]))
  assert list(tf1scope.variables_by_name(owner)) == ["head/kernel", "head/bias"]
  assert layer.variables == [layer.kernel, layer.bias]
  assert layer.scope_name == "head"
  tf.debugging.assert_near(first, second)


def test_scope_name_before_first_call_is_tf1_error():
  with pytest.raises(ValueError, match="has not been used yet"):
    _ = tf1scope.layers.Dense(2).scope_name


@pytest.mark.parametrize("call", [
    lambda: tf1scope.layers.dense(tf.ones([1, 2]), 2),
    lambda: tf1scope.layers.batch_normalization(tf.ones([2, 2])),
    lambda: tf1scope.layers.Conv2D(2, 3)(tf.ones([1, 4, 4, 1])),
    lambda: tf1scope.layers.max_pooling2d(tf.ones([1, 4, 4, 1]), 2, 2),
], ids=["dense", "batch_normalization", "Conv2D", "max_pooling2d"])
def test_eager_call_outside_a_pass_names_the_decorator(call):
  with pytest.raises(tf1scope.NotInPassError,
                     match="@tf1scope.track_tf1_style_variables"):
    call()


def test_plain_tf_function_outside_a_pass_raises():
  fn = tf.function(lambda x: tf1scope.layers.dense(x, 2), autograph=False)
  with pytest.raises(tf1scope.NotInPassError, match="tf1scope.layers.dense"):
    fn(tf.ones([1, 2]))


def test_graph_mode_outside_a_pass_builds_graph_variables_and_collections():
  with tf.Graph().as_default() as graph:
    x = v1.placeholder(tf.float32, [None, 3])
    y = tf1scope.layers.dense(x, 2, kernel_regularizer=layer_cases.l2)
    y = tf1scope.layers.batch_normalization(y, training=True)
    assert [v.name for v in v1.global_variables()] == [
        "dense/kernel:0", "dense/bias:0", "batch_normalization/gamma:0",
        "batch_normalization/beta:0", "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0"]
    assert len(v1.trainable_variables()) == 4
    assert len(v1.get_collection(v1.GraphKeys.UPDATE_OPS)) == 2
    assert len(v1.losses.get_regularization_losses()) == 1
    assert y.graph is graph and y.shape.as_list() == [None, 2]


def test_pass_collections_hold_updates_and_regularization_losses():
  def net(x):
    y = tf1scope.layers.dense(x, 2, kernel_regularizer=layer_cases.l2,
                              bias_regularizer=layer_cases.l1)
    y = tf1scope.layers.batch_normalization(y, training=True)
    return (len(v1.get_collection(v1.GraphKeys.UPDATE_OPS)),
            len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)),
            len(v1.losses.get_regularization_losses()))
  owner = Owner(net)
  assert owner(tf.ones([2, 3])) == (2, 2, 2)
  assert owner(tf.ones([2, 3])) == (2, 2, 2)


def test_regularization_losses_of_the_owner_follow_current_values():
  owner = Owner(lambda x: tf1scope.layers.dense(
      x, 2, kernel_regularizer=layer_cases.l2, bias_regularizer=layer_cases.l1,
      activity_regularizer=layer_cases.activity_l2))
  owner(tf.ones([2, 3]))
  variables = tf1scope.variables_by_name(owner)
  variables["dense/kernel"].assign(tf.fill([3, 2], 2.0))
  variables["dense/bias"].assign([1.0, -3.0])
  losses = [float(l) for l in tf1scope.regularization_losses(owner)]
  assert losses == pytest.approx([0.01 * 4 * 6, 0.005 * 4])


def test_moving_statistics_are_not_trainable_and_constraints_are_kept():
  def clip(w):
    return tf.clip_by_value(w, -1.0, 1.0)
  owner = Owner(lambda x: tf1scope.layers.batch_normalization(
      tf1scope.layers.dense(x, 2, kernel_constraint=clip, bias_constraint=clip),
      gamma_constraint=clip, training=True))
  owner(tf.ones([2, 3]))
  variables = tf1scope.variables_by_name(owner)
  assert {v.name for v in owner.trainable_variables} == {
      "dense/kernel:0", "dense/bias:0", "batch_normalization/gamma:0",
      "batch_normalization/beta:0"}
  for name in ("dense/kernel", "dense/bias", "batch_normalization/gamma"):
    assert variables[name].constraint is clip
  assert variables["batch_normalization/beta"].constraint is None


def test_not_trainable_layers_make_non_trainable_variables():
  owner = Owner(lambda x: tf1scope.layers.conv1d(x, 2, 2, trainable=False))
  owner(tf.ones([1, 4, 3]))
  assert owner.trainable_variables == ()
  assert len(owner.variables) == 2


def test_failed_layer_leaves_no_scope_open():
  def net():
    try:
      tf1scope.layers.dense(tf.ones([3]), 2)
    except ValueError:
      pass
    return v1.get_variable_scope().name, tf.compat.v1.get_default_graph(
        ).get_name_scope() if not tf.executing_eagerly() else ""
  owner = Owner(net)
  assert owner() == ("", "")
  assert tf.function(owner.__call__)() == ("", "")


def test_dropout_training_false_is_the_identity():
  x = tf.random.normal([3, 4])
  owner = Owner(lambda x, t: tf1scope.layers.dropout(x, 0.9, training=t))
  tf.debugging.assert_equal(owner(x, False), x)
  tf.debugging.assert_equal(tf.function(owner.__call__)(x, tf.constant(False)),
                            x)
  dropped = owner(x, True).numpy()
  kept = dropped != 0
  assert kept.sum() < kept.size
  tf.debugging.assert_near(dropped[kept], (x.numpy() / 0.1)[kept])


def test_string_arguments_resolve_like_tf1():
  owner = Owner(lambda x: tf1scope.layers.dense(
      x, 2, activation="relu", kernel_initializer="ones",
      bias_initializer="zeros", kernel_regularizer="l2"))
  y = owner(-tf.ones([1, 3]))
  tf.debugging.assert_equal(y, tf.zeros([1, 2]))
  assert len(tf1scope.regularization_losses(owner)) == 1


def test_unknown_keyword_is_tf1_type_error():
  with pytest.raises(TypeError, match="Keyword argument not understood"):
    tf1scope.layers.Dense(2, bogus=1)


def test_a_custom_layer_shared_across_passes_keeps_losses_of_this_pass_only():
  layer = layer_cases._scaled_dense_class(tf1scope.layers)(2)  # pylint: disable=protected-access

  def net(x):
    layer(x)
    layer.add_loss(lambda: tf.constant(1.0))  # after the build: this pass only
    return len(layer.losses), len(layer.updates)
  owner = Owner(net)
  counts = [owner(tf.ones([1, 3])) for _ in range(3)]
  # The kernel's regularizer, the callable from build, this pass's tensor
  # loss and callable; one update.
  assert counts == [(4, 1)] * 3
  assert layer.count_params() == 3 * 2 + 2 + 1
