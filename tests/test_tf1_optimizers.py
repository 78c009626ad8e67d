"""TF1 optimizers (``tf.compat.v1.train.*Optimizer``) building their train op inside a pass.

TF1 model code often builds ``optimizer.minimize(loss, global_step=...)``
next to the model. In a pass under ``tf.function`` the optimizer's slots
(``w/Adam``, ...), its non-slot variables (``beta1_power``) and the global
step are TF1-style variables of the owner, with TF1's names, and training
gives graph mode's numbers. Eagerly, TF1's optimizers need a callable loss,
as they did in TF1's eager mode.
"""

import numpy as np
import pytest
import tensorflow as tf

import tf1scope

v1 = tf.compat.v1

OPTIMIZERS = {
    "sgd": lambda: v1.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: v1.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: v1.train.AdamOptimizer(0.1),
    "rmsprop": lambda: v1.train.RMSPropOptimizer(0.1, momentum=0.5,
                                                 centered=True),
    "adagrad": lambda: v1.train.AdagradOptimizer(0.1),
    "adadelta": lambda: v1.train.AdadeltaOptimizer(1.0),
    "ftrl": lambda: v1.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01),
    "proximal_adagrad": lambda: v1.train.ProximalAdagradOptimizer(0.1),
}

_RNG = np.random.RandomState(0)
X = _RNG.normal(size=(4, 3)).astype(np.float32)
Y = _RNG.normal(size=(4, 1)).astype(np.float32)


def net(x):
  with v1.variable_scope("net"):
    w = v1.get_variable("w", [3, 1], initializer=v1.constant_initializer(0.5))
    b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
  return tf.matmul(x, w) + b


def train_step(x, y, make_optimizer):
  """TF1 code, untouched: the model, its loss and its train op."""
  loss = tf.reduce_mean(tf.square(net(x) - y))
  step = v1.train.get_or_create_global_step()
  train_op = make_optimizer().minimize(loss, global_step=step)
  with tf.control_dependencies([train_op]):
    return tf.identity(loss)


def _graph_run(make_optimizer, steps, restore=None, save=None):
  """TF1 graph mode: losses of ``steps`` runs and every variable afterwards."""
  with tf.Graph().as_default():
    loss = train_step(tf.constant(X), tf.constant(Y), make_optimizer)
    with v1.Session() as session:
      session.run(v1.global_variables_initializer())
      if restore:
        v1.train.Saver().restore(session, restore)
      losses = [session.run(loss) for _ in range(steps)]
      if save:
        v1.train.Saver().save(session, save)
      variables = {v.name[:-2]: (session.run(v), v.trainable)
                   for v in v1.global_variables()}
  return losses, variables


class Trainer(tf.Module):

  def __init__(self, make_optimizer):
    super().__init__()
    self._make = make_optimizer

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, y):
    return train_step(x, y, self._make)


def _assert_variables_match(owner, want, ordered=True):
  got = tf1scope.variables_by_name(owner)
  if ordered:
    assert list(got) == list(want)
  else:
    assert sorted(got) == sorted(want)
  for name, (value, trainable) in want.items():
    assert got[name].trainable == trainable, name
    np.testing.assert_allclose(got[name].numpy(), value, rtol=1e-5, atol=1e-6,
                               err_msg=name)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_train_op_in_tf_function_matches_graph_mode(name):
  want_losses, want = _graph_run(OPTIMIZERS[name], 3)
  trainer = Trainer(OPTIMIZERS[name])
  step = tf.function(trainer.__call__)
  losses = [float(step(X, Y)) for _ in range(2)]
  # A retrace (a new function) builds a new optimizer on the same variables.
  losses.append(float(tf.function(trainer.__call__)(X, Y)))
  np.testing.assert_allclose(losses, want_losses, rtol=1e-5)
  _assert_variables_match(trainer, want)
  assert len(trainer.variables) == len(want)


def test_train_op_under_xla_matches_graph_mode():
  want_losses, want = _graph_run(OPTIMIZERS["adam"], 2)
  trainer = Trainer(OPTIMIZERS["adam"])
  step = tf.function(trainer.__call__, jit_compile=True)
  losses = [float(step(X, Y)) for _ in range(2)]
  np.testing.assert_allclose(losses, want_losses, rtol=1e-5)
  _assert_variables_match(trainer, want)


class OptimizerMadeOnce(tf.Module):
  """The optimizer object made outside the pass, its train op built inside."""

  def __init__(self):
    super().__init__()
    self.optimizer = v1.train.AdamOptimizer(0.1)

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, y):
    return train_step(x, y, lambda: self.optimizer)


def test_an_optimizer_made_outside_the_pass_matches_graph_mode():
  want_losses, want = _graph_run(OPTIMIZERS["adam"], 3)
  trainer = OptimizerMadeOnce()
  step = tf.function(trainer.__call__)
  np.testing.assert_allclose([float(step(X, Y)) for _ in range(3)],
                             want_losses, rtol=1e-5)
  _assert_variables_match(trainer, want)


def test_training_resumes_from_a_tf1_checkpoint_with_its_optimizer_state(
    tmp_path):
  path = str(tmp_path / "train.ckpt")
  _graph_run(OPTIMIZERS["adam"], 2, save=path)          # TF1 trained 2 steps
  want_losses, want = _graph_run(OPTIMIZERS["adam"], 2, restore=path)
  trainer = Trainer(OPTIMIZERS["adam"])
  step = tf.function(trainer.__call__)
  step(X, Y)   # creates the variables (and trains once)
  tf1scope.restore_tf1_checkpoint(trainer, path)
  assert int(tf1scope.variables_by_name(trainer)["global_step"].numpy()) == 2
  np.testing.assert_allclose([float(step(X, Y)) for _ in range(2)],
                             want_losses, rtol=1e-5)
  _assert_variables_match(trainer, want)


def test_tf_train_checkpoint_keeps_the_optimizer_state(tmp_path):
  trainer = Trainer(OPTIMIZERS["adam"])
  step = tf.function(trainer.__call__)
  step(X, Y)
  path = tf.train.Checkpoint(model=trainer).save(str(tmp_path / "ckpt"))
  expected = [float(step(X, Y)) for _ in range(2)]
  fresh = Trainer(OPTIMIZERS["adam"])
  tf.train.Checkpoint(model=fresh).restore(path)   # before the first call
  fresh_step = tf.function(fresh.__call__)
  np.testing.assert_allclose([float(fresh_step(X, Y)) for _ in range(2)],
                             expected, rtol=1e-6)


class EagerTrainer(tf.Module):

  def __init__(self, callable_loss):
    super().__init__()
    self._callable = callable_loss

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, y):
    def loss():
      return tf.reduce_mean(tf.square(net(x) - y))
    step = v1.train.get_or_create_global_step()
    optimizer = v1.train.AdamOptimizer(0.1)
    optimizer.minimize(loss if self._callable else loss(), global_step=step)


def test_eagerly_a_callable_loss_trains_as_graph_mode():
  _, want = _graph_run(OPTIMIZERS["adam"], 3)
  trainer = EagerTrainer(callable_loss=True)
  for _ in range(3):
    trainer(X, Y)
  # The loss (and so the model) is built inside minimize, after the step.
  _assert_variables_match(trainer, want, ordered=False)


def test_eagerly_a_loss_tensor_raises_tensorflows_error():
  with pytest.raises(RuntimeError, match="should be a function when eager"):
    EagerTrainer(callable_loss=False)(X, Y)


def partitioned_train_step(x, y, make_optimizer):
  """A partitioned model trained inside its own variable scope (as TF1's canned DNN does)."""
  with v1.variable_scope("model", partitioner=v1.fixed_size_partitioner(2)):
    w = v1.get_variable("w", [3, 1], initializer=v1.constant_initializer(0.5))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    step = v1.train.get_or_create_global_step()
    train_op = make_optimizer().minimize(loss, global_step=step)
  with tf.control_dependencies([train_op]):
    return tf.identity(loss)


class PartitionedTrainer(Trainer):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, y):
    return partitioned_train_step(x, y, self._make)


@pytest.mark.parametrize("name", ["adam", "adagrad", "ftrl"])
def test_slots_of_partitioned_variables_match_graph_mode(name, tmp_path):
  """Slot shards are named after their primary's graph node: the names, values and checkpoint of graph mode."""
  with tf.Graph().as_default():
    loss = partitioned_train_step(tf.constant(X), tf.constant(Y), OPTIMIZERS[name])
    with v1.Session() as session:
      session.run(v1.global_variables_initializer())
      want_losses = [session.run(loss) for _ in range(2)]
      want = {v.name[:-2]: (session.run(v), v.trainable) for v in v1.global_variables()}
      path = v1.train.Saver().save(session, str(tmp_path / "graph"))
  trainer = PartitionedTrainer(OPTIMIZERS[name])
  step = tf.function(trainer.__call__)
  np.testing.assert_allclose([float(step(X, Y)) for _ in range(2)], want_losses,
                             rtol=1e-5)
  _assert_variables_match(trainer, want, ordered=False)
  ours = tf1scope.save_tf1_checkpoint(trainer, str(tmp_path / "ours"))
  assert (sorted(n for n, _ in tf.train.list_variables(ours)) ==
          sorted(n for n, _ in tf.train.list_variables(path)))
