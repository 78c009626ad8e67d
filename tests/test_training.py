"""Training, saving, loading and distributing a decorated module."""

import textwrap

import numpy as np
import tensorflow as tf

import tf1scope
import two_cpus

v1 = tf.compat.v1


class MLP(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    with v1.variable_scope("mlp", regularizer=lambda w: 0.01 * tf.reduce_sum(tf.square(w))):
      for i, units in enumerate([8, 1]):
        with v1.variable_scope("layer%d" % i):
          w = v1.get_variable("w", [x.shape[-1], units],
                              initializer=v1.glorot_uniform_initializer(seed=i))
          b = v1.get_variable("b", [units], initializer=v1.zeros_initializer())
          x = tf.matmul(x, w) + b
          if i == 0:
            x = tf.nn.tanh(x)
    return x


def _data():
  rng = np.random.default_rng(0)
  x = rng.normal(size=(64, 3)).astype("float32")
  y = (x.sum(axis=1, keepdims=True) * 0.5).astype("float32")
  return x, y


def test_keras_optimizer_under_tf_function_trains_every_variable():
  model = MLP()
  x, y = _data()
  opt = tf.keras.optimizers.SGD(0.1)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      loss = tf.reduce_mean(tf.square(model(x) - y)) + tf.add_n(
          tf1scope.regularization_losses(model))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  first = float(step())
  initial = {n: v.numpy().copy() for n, v in tf1scope.variables_by_name(model).items()}
  for _ in range(30):
    last = float(step())
  assert last < first
  for name, var in tf1scope.variables_by_name(model).items():
    assert not np.allclose(var.numpy(), initial[name]), name
  assert len(model.trainable_variables) == 4


def test_regularization_losses_follow_current_values():
  model = MLP()
  model(tf.ones([1, 3]))
  before = [float(l) for l in tf1scope.regularization_losses(model)]
  # The scope's regularizer covers kernels and (zero) biases, in creation order.
  assert len(before) == 4 and before[0] > 0 and before[1] == 0.0
  for var in model.trainable_variables:
    var.assign(tf.zeros_like(var))
  assert [float(l) for l in tf1scope.regularization_losses(model)] == [0.0] * 4


def test_checkpoint_round_trip(tmp_path):
  model = MLP()
  x, _ = _data()
  expected = model(x).numpy()
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  restored = MLP()
  restored(x)  # build
  for var in restored.trainable_variables:
    var.assign(tf.zeros_like(var))
  tf.train.Checkpoint(model=restored).restore(path).assert_consumed()
  np.testing.assert_allclose(restored(x).numpy(), expected, rtol=1e-6)


def test_checkpoint_restores_before_the_first_call(tmp_path):
  """Deferred restoration: variables created by the first pass get the saved values."""
  model = MLP()
  x, _ = _data()
  expected = model(x).numpy()
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  fresh = MLP()
  status = tf.train.Checkpoint(model=fresh).restore(path)
  np.testing.assert_allclose(fresh(x).numpy(), expected, rtol=1e-6)
  status.assert_consumed()


def test_saved_model_round_trip(tmp_path):
  model = MLP()
  x, _ = _data()
  model(x)
  model.serve = tf.function(model.__call__,
                            input_signature=[tf.TensorSpec([None, 3], tf.float32)])
  tf.saved_model.save(model, str(tmp_path / "sm"))
  loaded = tf.saved_model.load(str(tmp_path / "sm"))
  np.testing.assert_allclose(loaded.serve(x).numpy(), model(x).numpy(), rtol=1e-6, atol=1e-6)


_MIRRORED = textwrap.dedent("""
    class M(tf.Module):
      @tf1scope.track_tf1_style_variables
      def __call__(self, x):
        with v1.variable_scope("dense"):
          w = v1.get_variable("w", [3, 1], initializer=v1.ones_initializer())
        return tf.matmul(x, w)

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
      model = M()
      model(tf.ones([1, 3]))
      opt = tf.keras.optimizers.SGD(0.1)
    assert isinstance(model.variables[0], tf.distribute.DistributedValues), type(model.variables[0])

    @tf.function
    def step(x):
      def replica(x):
        with tf.GradientTape() as tape:
          loss = tf.reduce_sum(model(x)) / 2.0
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss
      return strategy.run(replica, args=(x,))

    dist = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.ones([1, 3]))
    step(dist)
    print(len(model.variables), model.variables[0].name,
          np.round(np.asarray(model.variables[0].numpy(), dtype=np.float64).ravel(), 6).tolist())
    """)


def test_mirrored_strategy_two_replicas_train_one_set_of_variables():
  out = two_cpus.run(_MIRRORED)[-1]
  # Each replica's gradient is 0.5 per weight; Keras sums them across the two
  # replicas (1.0), and SGD(0.1) moves every weight from 1.0 to 0.9.
  assert out == "1 dense/w:0 [0.9, 0.9, 0.9]"
