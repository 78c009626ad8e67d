"""TF1 moving averages of tensors and zero-debiased averages in a pass, against graph mode.

Each program is TF1 code that builds its moving-average updates and adds
them to the ``"updates"`` collection. Graph mode (the oracle) runs them
``k`` times in a session; a pass runs them once per call (eagerly, or
inside ``tf.function``), so ``k`` calls of the decorated method are ``k``
steps. The averages of tensors (``ExponentialMovingAverage.apply`` on
tensors, TF1 cifar10's ``_add_loss_summaries``) need ``tf.function``: an
eager tensor has no op name to name its average after, and eagerly
TensorFlow's own ``TypeError`` stands.
"""

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.training import moving_averages

import oracle
import tf1scope

v1 = tf.compat.v1

# TF1 code calls TensorFlow's assign_moving_average (tf_slim imports it
# from moving_averages; TF2 exports the same function only under __internal__).
assign_moving_average = moving_averages.assign_moving_average
assert tf.__internal__.train.assign_moving_average is assign_moving_average

UPDATES = "updates"
COLLECTIONS = (v1.GraphKeys.GLOBAL_VARIABLES, v1.GraphKeys.TRAINABLE_VARIABLES,
               v1.GraphKeys.MOVING_AVERAGE_VARIABLES, v1.GraphKeys.LOCAL_VARIABLES,
               "losses")
STEPS = 4
FUNCTION_MODES = ("function", "xla")


def _ticks():
  """1, 2, 3... on successive runs: a counter that every update reads through."""
  counter = v1.get_variable("counter", [], initializer=v1.zeros_initializer(),
                            trainable=False)
  return v1.assign_add(counter, 1.0)


# --- Programs -------------------------------------------------------------------


def _inference_and_loss():
  """A model and its losses, as TF1's cifar10 builds them (the "losses" collection)."""
  t = _ticks()
  x = tf.constant([[1.0, -2.0], [0.5, 3.0]]) * t
  with v1.variable_scope("softmax_linear"):
    w = v1.get_variable("weights", [2, 2],
                        initializer=v1.constant_initializer([[0.5, -1.0],
                                                             [1.5, 0.25]]))
  logits = tf.matmul(x, w)
  labels = tf.constant([0, 1])
  cross_entropy = tf.nn.sparse_softmax_cross_entropy_with_logits(
      labels=labels, logits=logits, name="cross_entropy_per_example")
  v1.add_to_collection("losses", tf.reduce_mean(cross_entropy,
                                                name="cross_entropy"))
  v1.add_to_collection("losses", tf.multiply(tf.nn.l2_loss(w), 0.004,
                                             name="weight_loss"))
  return tf.add_n(v1.get_collection("losses"), name="total_loss")


def _add_loss_summaries(total_loss, zero_debias=False):
  """TF1 cifar10's ``_add_loss_summaries``, without the summaries."""
  loss_averages = v1.train.ExponentialMovingAverage(
      0.9, name="avg", zero_debias=zero_debias)
  losses = v1.get_collection("losses")
  loss_averages_op = loss_averages.apply(losses + [total_loss])
  return loss_averages_op, [loss_averages.average(l)
                            for l in losses + [total_loss]]


def _what_was_built(averages, extra=()):
  """The program's output for the oracle: averages, collections, names."""
  return [averages, list(extra)] + [v1.get_collection(key) if key != "losses"
                                    else [t.name for t in v1.get_collection(key)]
                                    for key in COLLECTIONS]


def loss_averages():
  op, averages = _add_loss_summaries(_inference_and_loss())
  v1.add_to_collection(UPDATES, op)
  return _what_was_built(averages)


def loss_averages_zero_debiased():
  op, averages = _add_loss_summaries(_inference_and_loss(), zero_debias=True)
  v1.add_to_collection(UPDATES, op)
  return _what_was_built(averages)


def averages_of_variables_and_tensors():
  """One EMA over a variable and a tensor, with num_updates, in a scope."""
  step = v1.train.get_or_create_global_step()
  t = _ticks()
  with v1.variable_scope("model"):
    w = v1.get_variable("w", [3], initializer=v1.constant_initializer(
        [1.0, 2.0, 3.0]))
    with tf.control_dependencies([t]):
      w_moved = v1.assign_add(w, [0.5, -0.5, 1.0])
    activation = tf.reduce_sum(tf.square(w_moved) * t, name="activation")
  ema = v1.train.ExponentialMovingAverage(0.95, num_updates=step,
                                          zero_debias=True)
  with tf.control_dependencies([w_moved]):
    op = ema.apply([w, activation])
  with tf.control_dependencies([op]):
    v1.add_to_collection(UPDATES, v1.assign_add(step, 1))
  return _what_was_built([ema.average(w), ema.average(activation)],
                         [ema.average_name(w), ema.average_name(activation)])


def zero_debiased_averages():
  """``assign_moving_average(..., zero_debias=True)`` of variables (slim's batch_norm)."""
  t = _ticks()
  with v1.variable_scope("stats"):
    mean = v1.get_variable("mean", [2], initializer=v1.zeros_initializer(),
                           trainable=False)
    with v1.variable_scope("inner"):
      var = v1.get_variable("var", [2], dtype=tf.float64,
                            initializer=v1.zeros_initializer(), trainable=False)
    v1.add_to_collection(UPDATES, assign_moving_average(
        mean, tf.stack([t, t * t]), 0.8, zero_debias=True))
    v1.add_to_collection(UPDATES, assign_moving_average(
        var, tf.cast(tf.stack([1.0 / t, -t]), tf.float64), tf.constant(0.5),
        zero_debias=True, name="update_var"))
  return _what_was_built([mean, var])


def zero_debiased_twice_and_shared():
  """The same variable debiased twice (TF1 adds ``biased_1``), and under AUTO_REUSE."""
  mean = v1.get_variable("mean", [2], initializer=v1.zeros_initializer(),
                         trainable=False)
  value = tf.constant([1.0, 2.0])
  assign_moving_average(mean, value, 0.9)
  assign_moving_average(mean, value, 0.5)
  with v1.variable_scope("shared", reuse=v1.AUTO_REUSE):
    other = v1.get_variable("other", [], initializer=v1.zeros_initializer())
    assign_moving_average(other, 1.0, 0.9)
    assign_moving_average(other, 2.0, 0.9)
  with v1.variable_scope("plain"):
    assign_moving_average(other, 3.0, 0.9, zero_debias=False)
  return _what_was_built([mean, other])


# --- Graph mode against the pass: names, collections, reuse ---------------------------


@pytest.mark.parametrize("program,average,debiased", [
    (loss_averages, "total_loss/avg", False),
    (loss_averages_zero_debiased, "total_loss/avg", True),
    (averages_of_variables_and_tensors,
     "model/activation/ExponentialMovingAverage", True)],
                         ids=lambda p: getattr(p, "__name__", None))
def test_averages_of_tensors_build_what_graph_mode_builds(program, average,
                                                          debiased):
  """Names, shapes, dtypes, trainable flags, collections, identity, on two calls."""
  expected = oracle.assert_matches_graph_without_error(
      program, modes=FUNCTION_MODES, with_values=False)
  names = [v[1] for v in expected.output[2]]   # GLOBAL_VARIABLES
  assert average + ":0" in names
  assert (average + "/biased:0" in names) == debiased


@pytest.mark.parametrize("program", [
    zero_debiased_averages, zero_debiased_twice_and_shared],
                         ids=lambda p: p.__name__)
def test_zero_debiased_averages_build_what_graph_mode_builds(program):
  expected = oracle.assert_matches_graph_without_error(
      program, modes=("eager",) + FUNCTION_MODES, with_values=False)
  names = [v[1] for v in expected.output[2]]
  if program is zero_debiased_twice_and_shared:
    assert names == ["mean:0", "mean/biased:0", "mean/local_step:0",
                     "mean/biased_1:0", "mean/local_step_1:0", "shared/other:0",
                     "shared/shared/other/biased:0",
                     "shared/shared/other/local_step:0"]


def test_graph_mode_names_the_average_of_a_tensor_after_its_op():
  """What the pass matches: TF1's own names for cifar10's loss averages."""
  got = oracle.run(loss_averages_zero_debiased, "graph", with_values=False)
  assert [v[1] for v in got.output[2]] == [
      "counter:0", "softmax_linear/weights:0",
      "cross_entropy/avg:0", "weight_loss/avg:0", "total_loss/avg:0",
      "cross_entropy/avg/biased:0", "cross_entropy/avg/local_step:0",
      "weight_loss/avg/biased:0", "weight_loss/avg/local_step:0",
      "total_loss/avg/biased:0", "total_loss/avg/local_step:0"]
  assert [v[1] for v in got.output[4]] == []   # MOVING_AVERAGE_VARIABLES: variables only
  assert all(not v[4] for v in got.output[0])  # averages are not trainable


# --- Values after k steps -------------------------------------------------------------


def _graph_steps(program, steps):
  """TF1: build once, initialize, run the updates ``steps`` times; {name: value}."""
  with tf.Graph().as_default():
    program()
    updates = v1.get_collection(UPDATES)
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      for _ in range(steps):
        sess.run(updates)
      return {v.name[:-2]: sess.run(v) for v in v1.global_variables()}


def _call(owner, mode):
  if mode == "eager":
    return owner
  return tf.function(owner.__call__, jit_compile=(mode == "xla"))


def _pass_steps(program, mode, steps, owner=None):
  """``steps`` calls of one owner (one traced function); {name: value} and the owner."""
  owner = owner or oracle.make_owner(program)
  call = _call(owner, mode)
  first = None
  for _ in range(steps):
    call()
    current = tf1scope.variables_by_name(owner)
    if first is None:
      first = dict(current)
    # Later calls create nothing and return the same variable objects.
    assert list(current) == list(first)
    assert all(current[n] is first[n] for n in first)
  return {n: v.numpy() for n, v in tf1scope.variables_by_name(owner).items()}, owner


def _assert_same_values(got, expected):
  assert list(got) == list(expected), "names or creation order differ"
  for name, value in expected.items():
    np.testing.assert_allclose(got[name], value, rtol=1e-5, atol=1e-6,
                               err_msg=name)
    assert got[name].dtype == value.dtype, name


@pytest.mark.parametrize("mode", FUNCTION_MODES)
@pytest.mark.parametrize("program", [
    loss_averages, loss_averages_zero_debiased,
    averages_of_variables_and_tensors], ids=lambda p: p.__name__)
def test_averages_of_tensors_after_k_steps_are_graph_modes(program, mode):
  expected = _graph_steps(program, STEPS)
  got, _ = _pass_steps(program, mode, STEPS)
  _assert_same_values(got, expected)
  assert got["counter"] == STEPS


@pytest.mark.parametrize("mode", ("eager",) + FUNCTION_MODES)
def test_zero_debiased_averages_after_k_steps_are_graph_modes(mode):
  expected = _graph_steps(zero_debiased_averages, STEPS)
  got, _ = _pass_steps(zero_debiased_averages, mode, STEPS)
  _assert_same_values(got, expected)


def test_the_oracle_values_are_the_textbook_averages():
  """Graph mode's numbers are what the formulas give (so the comparison means something)."""
  got = _graph_steps(loss_averages_zero_debiased, STEPS)
  plain = _graph_steps(loss_averages, STEPS)
  # The losses: the model evaluated at ticks 1..k.
  with tf.Graph().as_default():
    total = _inference_and_loss()
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      totals = [sess.run(total) for _ in range(STEPS)]
  biased = 0.0
  for value in totals:
    biased = 0.9 * biased + 0.1 * value
  np.testing.assert_allclose(plain["total_loss/avg"], biased, rtol=1e-5)
  np.testing.assert_allclose(got["total_loss/avg/biased"], biased, rtol=1e-5)
  np.testing.assert_allclose(got["total_loss/avg"], biased / (1 - 0.9 ** STEPS),
                             rtol=1e-5)
  assert got["total_loss/avg/local_step"] == STEPS

  stats = _graph_steps(zero_debiased_averages, STEPS)
  ticks = np.arange(1.0, STEPS + 1)
  biased = 0.0
  for t in ticks:
    biased = 0.8 * biased + 0.2 * np.array([t, t * t])
  np.testing.assert_allclose(stats["stats/mean"], biased / (1 - 0.8 ** STEPS),
                             rtol=1e-5)


# --- Bad input, and what stays TensorFlow's ----------------------------------------


def average_of_an_integer_tensor():
  ema = v1.train.ExponentialMovingAverage(0.9)
  ema.apply([tf.constant(3, name="count")])


def zero_debias_in_a_reusing_scope():
  with v1.variable_scope("stats"):
    mean = v1.get_variable("mean", [2], initializer=v1.zeros_initializer())
  with v1.variable_scope("stats", reuse=True):
    assign_moving_average(mean, tf.ones([2]), 0.9, zero_debias=True)


@pytest.mark.parametrize("program,modes", [
    (average_of_an_integer_tensor, FUNCTION_MODES),
    (zero_debias_in_a_reusing_scope, ("eager",) + FUNCTION_MODES)],
                         ids=lambda p: getattr(p, "__name__", ""))
def test_bad_input_raises_graph_modes_error(program, modes):
  expected = oracle.run(program, "graph").error
  assert expected is not None
  for mode in modes:
    assert oracle.run(program, mode).error == expected, mode


def test_eagerly_the_average_of_a_tensor_is_tensorflows_type_error():
  """An eager tensor has no op name to name the variable after: TF's eager error."""
  assert oracle.run(loss_averages, "eager").error == (
      TypeError, "tf.train.ExponentialMovingAverage does not support "
      "non-Variable tensors when eager execution is enabled.")


def test_outside_a_pass_tensorflow_is_unchanged():
  with pytest.raises(TypeError, match="does not support non-Variable tensors"):
    tf.function(lambda: v1.train.ExponentialMovingAverage(0.9).apply(
        [tf.constant(1.0)]))()


class _BuildsItsOwnGraph(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    with tf.Graph().as_default() as graph:
      mean = v1.get_variable("mean", [2], initializer=v1.zeros_initializer())
      assign_moving_average(mean, tf.ones([2]), 0.9)
      assign_moving_average(mean, tf.ones([2]), 0.9)
      return [v.name for v in graph.get_collection(
          v1.GraphKeys.GLOBAL_VARIABLES)]


def test_a_tf1_graph_made_inside_a_pass_keeps_tensorflows_zero_debias():
  owner = _BuildsItsOwnGraph()
  assert owner() == ["mean:0", "mean/biased:0", "mean/local_step:0",
                     "mean/biased_1:0", "mean/local_step_1:0"]
  assert not owner.variables


class _PerExampleAverage(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    per_example = tf.square(x, name="per_example")
    ema = v1.train.ExponentialMovingAverage(0.9)
    ema.apply([per_example])
    return ema.average(per_example).read_value()


@pytest.mark.xfail(strict=True, raises=TypeError, reason=(
    "TF1 makes the average of a tensor of partly unknown shape with a zeros "
    "initial value computed from the tensor; TensorFlow's apply builds it "
    "under init_scope, outside the tf.function, where the tensor is out of "
    "scope"))
def test_average_of_a_tensor_of_unknown_shape():
  owner = _PerExampleAverage()
  fn = tf.function(owner.__call__, input_signature=[tf.TensorSpec([None])])
  assert fn(tf.constant([1.0, 2.0])).numpy().tolist() == [0.1, 0.4]


# --- Ownership: an EMA made outside the pass, Keras, checkpoints ------------------------


class _HoldsAnEMA(tf.Module):
  """The EMA object made once, outside any pass; ``apply`` in every pass."""

  def __init__(self):
    super().__init__()
    self._ema = oracle._Box(v1.train.ExponentialMovingAverage(0.9, name="avg"))  # pylint: disable=protected-access

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    total = _inference_and_loss()
    self._ema.value.apply(v1.get_collection("losses") + [total])
    return self._ema.value.average(total).read_value()


def test_an_ema_made_outside_the_pass_matches_graph_mode():
  expected = _graph_steps(loss_averages, STEPS)
  got, _ = _pass_steps(None, "function", STEPS, owner=_HoldsAnEMA())
  _assert_same_values(got, expected)


def test_a_keras_layer_owns_the_averages_as_non_trainable_weights():
  """As in TF1 Keras, ops built in ``call`` (and so the averages of tensors)
  are in the layer's name scope; the variables of ``get_variable`` are not."""
  import keras  # pylint: disable=g-import-not-at-top  (Keras 3 comes with TensorFlow)

  class LossAverages(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      del x
      total = _inference_and_loss()
      scopes.append(total.op.name[:-len("total_loss")])
      op, averages = _add_loss_summaries(total, zero_debias=True)
      with tf.control_dependencies([op]):
        return tf.identity(averages[-1])

  scopes = []
  layer = LossAverages()
  call = tf.function(layer.__call__)
  for _ in range(STEPS):
    out = call(tf.zeros([1]))
  # Keras 3's name scope for the layer's ops (here "loss_averages_1/").
  assert set(scopes) == {scopes[0]} and scopes[0].startswith(layer.name)
  expected = _graph_steps(loss_averages_zero_debiased, STEPS)
  in_layer_scope = {
      n if n in ("counter", "softmax_linear/weights") else scopes[0] + n: n
      for n in expected}
  got = tf1scope.variables_by_name(layer)
  assert sorted(got) == sorted(in_layer_scope)
  for name, graph_name in in_layer_scope.items():
    np.testing.assert_allclose(got[name].numpy(), expected[graph_name],
                               rtol=1e-5, err_msg=name)
  np.testing.assert_allclose(out.numpy(), expected["total_loss/avg"], rtol=1e-5)
  assert [w.name for w in layer.trainable_weights] == ["weights"]
  assert len(layer.non_trainable_weights) == len(expected) - 1


@pytest.mark.parametrize("program,mode", [
    (loss_averages_zero_debiased, "function"),
    (zero_debiased_averages, "eager")], ids=lambda p: getattr(p, "__name__", p))
def test_a_checkpoint_round_trip_restores_the_averages(program, mode, tmp_path):
  trained, owner = _pass_steps(program, mode, STEPS)
  path = tf.train.Checkpoint(model=owner).save(str(tmp_path / "ckpt"))
  keys = {name for name, _ in tf.train.list_variables(path)}
  for name in trained:   # keyed by the TF1 names ("/" escaped as ".S")
    escaped = name.replace("/", ".S")
    assert (f"model/_tf1scope_store/tf1_variables/{escaped}/.ATTRIBUTES/"
            "VARIABLE_VALUE") in keys, name
  resumed, resumed_owner = _pass_steps(program, mode, 1)
  assert not all(np.array_equal(resumed[n], trained[n]) for n in trained)
  tf.train.Checkpoint(model=resumed_owner).restore(path).assert_consumed()
  _assert_same_values({n: v.numpy() for n, v in
                       tf1scope.variables_by_name(resumed_owner).items()},
                      trained)
  # Training goes on from the restored averages as graph mode's would.
  again, _ = _pass_steps(program, mode, 1, owner=resumed_owner)
  _assert_same_values(again, _graph_steps(program, STEPS + 1))


@pytest.mark.parametrize("program,mode", [
    (loss_averages_zero_debiased, "function"),
    (zero_debiased_averages, "eager")], ids=lambda p: getattr(p, "__name__", p))
def test_a_tf1_checkpoint_has_tf1_savers_names_and_values(program, mode,
                                                          tmp_path):
  tf1_path = str(tmp_path / "tf1" / "model.ckpt")
  with tf.Graph().as_default():
    program()
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      for _ in range(STEPS):
        sess.run(v1.get_collection(UPDATES))
      v1.train.Saver().save(sess, tf1_path)
  _, owner = _pass_steps(program, mode, STEPS)
  ours = tf1scope.save_tf1_checkpoint(owner, str(tmp_path / "model.ckpt"))
  assert tf.train.list_variables(ours) == tf.train.list_variables(tf1_path)
  for key, _ in tf.train.list_variables(tf1_path):
    np.testing.assert_allclose(tf.train.load_variable(ours, key),
                               tf.train.load_variable(tf1_path, key),
                               rtol=1e-5, err_msg=key)


@pytest.mark.parametrize("mode", ("autograph", "xla"))
def test_slims_zero_debiased_batch_norm_matches_tf1(mode):
  """``batch_norm(zero_debias_moving_mean=True)`` against the stored TF1 slim
  reference (``test_slim.py`` runs it eagerly and in tf.function)."""
  pytest.importorskip("tf_slim", reason="tf-slim is not installed")
  import layers_fixture  # pylint: disable=g-import-not-at-top
  import test_slim  # pylint: disable=g-import-not-at-top
  assert "BatchNorm/BatchNorm/moving_mean/biased" in (
      test_slim.SLIM.tf1_variables("slim_batch_norm_zero_debias"))
  layers_fixture.assert_matches_tf1(test_slim.SLIM,
                                    "slim_batch_norm_zero_debias", mode)


def restore_map_of_averages():
  """cifar10_eval's ``ema.variables_to_restore()``: averages for the averaged, names for the rest."""
  with v1.variable_scope("model"):
    w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
    v1.get_variable("b", [2], initializer=v1.zeros_initializer(), trainable=False)
    step = v1.train.get_or_create_global_step()
  ema = v1.train.ExponentialMovingAverage(0.9, num_updates=step)
  v1.add_to_collection(UPDATES, ema.apply([w]))
  restore = ema.variables_to_restore()
  chosen = ema.variables_to_restore([w])
  return [sorted((k, v.name) for k, v in restore.items()),
          sorted((k, v.name) for k, v in chosen.items())]


def test_variables_to_restore_gives_graph_modes_name_map():
  oracle.assert_matches_graph_without_error(
      restore_map_of_averages, modes=("eager",) + FUNCTION_MODES,
      with_values=False)
