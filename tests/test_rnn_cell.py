"""tf1scope.rnn_cell against TF1's real RNN cells (stored) and TF1 graph mode (live).

* Numbers: each case of ``rnn_cases.NUMERIC_CASES`` was run by TF1 in graph
  mode with ``tf.compat.v1.nn.rnn_cell`` (``make_layers_fixture.py``); here
  the same function runs with ``tf1scope.rnn_cell`` in a pass. The weights
  are copied over by TF1 name (or, for the cases that check initializers,
  compared with TF1's initial values), then one call must give TF1's
  outputs and final states.
* Names and errors: each program of ``rnn_cases.NAME_PROGRAMS`` builds in a
  TF1 graph with ``tf1scope.rnn_cell`` what TF1's cells built (variables,
  the cells' ``weights`` lists, or TF1's error), and a pass (eagerly and in
  ``tf.function``, two calls each) builds what graph mode built.
"""

import json

import numpy as np
import pytest
import tensorflow as tf

import oracle
import rnn_cases
import tf1scope
import two_cpus
import tf1scope.compat.v1
from layers_fixture import RNN
from layers_fixture import TOLERANCE
from layers_fixture import assert_matches_tf1
from tf1scope import rnn_cell

v1 = tf.compat.v1
PROGRAMS = rnn_cases.NAME_PROGRAMS


@pytest.mark.parametrize("mode", ("eager", "function"))
@pytest.mark.parametrize("name", sorted(RNN.cases))
def test_cell_matches_tf1(name, mode):
  assert_matches_tf1(RNN, name, mode)


@pytest.mark.parametrize("name,mode", [
    ("lstm_peepholes_clip_projection", "autograph"),
    ("multi_rnn_sequence_length", "autograph"),
    ("bidirectional", "xla"),
    ("gru", "xla"),
])
def test_cell_matches_tf1_with_autograph_and_xla(name, mode):
  assert_matches_tf1(RNN, name, mode)


def test_every_case_and_program_has_a_tf1_reference():
  assert sorted(RNN.cases) == sorted(RNN.meta["cases"])
  assert sorted(PROGRAMS) == sorted(RNN.meta["programs"])


def test_every_cell_class_is_in_a_stored_case():
  """A new public cell without a TF1 reference fails here."""
  source = "\n".join(
      str(c.build.__code__.co_names) + str(c.build.__code__.co_consts)
      for c in RNN.cases.values()) + "\n".join(
          str(fn.__code__.co_names) for fn in PROGRAMS.values())
  missing = {n for n in rnn_cell.__all__
             if n not in source and n not in ("LSTMStateTuple", "RNNCell")}
  assert not missing, f"no case uses {sorted(missing)}"


def _program(name):
  fn = PROGRAMS[name]
  return lambda: rnn_cases.describe(fn, rnn_cell)


def _modes(name):
  return ("function",) if name in rnn_cases.SYMBOLIC_ONLY else (
      "eager", "function")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_mode_builds_what_tf1_cells_built(name):
  RNN.assert_program_matches(name, _program(name))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  oracle.assert_matches_graph(_program(name), modes=_modes(name),
                              with_values=False)


# --- Targeted behaviours -----------------------------------------------------------


class Seq2Seq(tf.Module):
  """TF1 encoder-decoder code, unchanged, through ``import tf1scope.compat.v1 as tf``."""

  @tf1scope.track_tf1_style_variables
  def __call__(self, source, target):
    tf1 = tf1scope.compat.v1
    with tf1.variable_scope("encoder"):
      cell = tf1.nn.rnn_cell.MultiRNNCell(
          [tf1.nn.rnn_cell.LSTMCell(8) for _ in range(2)])
      _, state = tf1.nn.dynamic_rnn(cell, source, dtype=tf1.float32)
    with tf1.variable_scope("decoder"):
      cell = tf1.nn.rnn_cell.MultiRNNCell(
          [tf1.nn.rnn_cell.LSTMCell(8) for _ in range(2)])
      outputs, _ = tf1.nn.dynamic_rnn(cell, target, initial_state=state)
      return tf1.layers.dense(outputs, 1)


def _sequences(n=16, steps=6):
  rng = np.random.default_rng(0)
  source = rng.normal(size=(n, steps, 2)).astype("float32")
  target = np.cumsum(source, axis=1)[:, :, :1].astype("float32")
  return source, target


def test_a_seq2seq_model_trains_with_a_tf2_optimizer_in_tf_function():
  model = Seq2Seq()
  source, target = _sequences()
  optimizer = tf.keras.optimizers.Adam(0.02)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      loss = tf.reduce_mean(tf.square(model(source, target) - target))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  losses = [float(step()) for _ in range(60)]
  assert losses[-1] < 0.5 * losses[0]
  names = sorted(tf1scope.variables_by_name(model))
  assert names[:2] == ["decoder/dense/bias", "decoder/dense/kernel"]
  assert "encoder/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel" in names
  assert len(names) == 10
  with tf.GradientTape() as tape:
    loss = tf.reduce_mean(model(source, target))
  grads = tape.gradient(loss, model.trainable_variables)
  assert len(grads) == 10 and all(g is not None for g in grads)


def test_a_cell_made_in_init_is_reused_by_every_pass():
  class Tagger(tf.Module):

    def __init__(self):
      super().__init__()
      self.cell = rnn_cell.GRUCell(3)   # made once, outside any pass

    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      outputs, _ = v1.nn.dynamic_rnn(self.cell, x, dtype=tf.float32)
      return outputs

  tagger = Tagger()
  x = tf.ones([2, 4, 5])
  first = tagger(x)
  second = tf.function(tagger.__call__)(x)
  np.testing.assert_allclose(first.numpy(), second.numpy(), **TOLERANCE)
  assert sorted(tf1scope.variables_by_name(tagger)) == [
      "rnn/gru_cell/candidate/bias", "rnn/gru_cell/candidate/kernel",
      "rnn/gru_cell/gates/bias", "rnn/gru_cell/gates/kernel"]
  assert len(tagger.variables) == 4


def test_tf1_checkpoint_of_real_tf1_cells_restores_into_the_pass(tmp_path):
  """A checkpoint written by TF1's Saver from the stored case's weights restores by name."""
  name = "multi_rnn_sequence_length"
  case = RNN.cases[name]
  path = str(tmp_path / "tf1.ckpt")
  with tf.Graph().as_default():
    variables = [v1.Variable(RNN.array(name, "weight", n), name=n)
                 for n in RNN.tf1_variables(name)]
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      v1.train.Saver(variables).save(sess, path)
  from layers_fixture import CaseModule  # pylint: disable=g-import-not-at-top
  module = CaseModule(case, rnn_cell)
  inputs = [tf.constant(RNN.array(name, "input", i)) for i in range(2)]
  module(*inputs)
  tf1scope.restore_tf1_checkpoint(module, path)
  outputs, _, _ = module(*inputs)
  np.testing.assert_allclose(outputs["outputs"].numpy(),
                             RNN.array(name, "output", "outputs"), **TOLERANCE)


def test_keras_layer_owner_tracks_the_cell_weights():
  import keras  # pylint: disable=g-import-not-at-top

  class Encoder(tf1scope.VariableScopeLayer):

    def forward_pass(self, x):
      outputs, _ = v1.nn.dynamic_rnn(rnn_cell.LSTMCell(4), x, dtype=tf.float32)
      return outputs[:, -1]

  inputs = keras.Input((5, 3))
  model = keras.Model(inputs, keras.layers.Dense(1)(Encoder()(inputs)))
  x = np.random.default_rng(1).normal(size=(8, 5, 3)).astype("float32")
  y = x.sum(axis=(1, 2))[:, None]
  model.compile(keras.optimizers.Adam(0.01), "mse")
  history = model.fit(x, y, epochs=20, verbose=0)
  assert history.history["loss"][-1] < history.history["loss"][0]
  assert len(model.trainable_weights) == 4   # lstm kernel and bias, dense's two


def test_zero_state_structures_and_cache():
  cell = rnn_cell.MultiRNNCell([rnn_cell.LSTMCell(3, num_proj=2),
                                rnn_cell.GRUCell(4)])
  state = cell.zero_state(5, tf.float32)
  assert isinstance(state[0], rnn_cell.LSTMStateTuple)
  assert [tuple(t.shape) for t in tf.nest.flatten(state)] == [
      (5, 3), (5, 2), (5, 4)]
  single = rnn_cell.GRUCell(2)
  assert single.zero_state(3, tf.float32) is single.zero_state(3, tf.float32)
  from_inputs = single.get_initial_state(inputs=tf.ones([7, 1]))
  assert tuple(from_inputs.shape) == (7, 2)
  with pytest.raises(ValueError, match="batch_size and dtype cannot be None"):
    single.get_initial_state()
  with pytest.raises(TypeError, match="Inconsistent dtypes"):
    _ = rnn_cell.LSTMStateTuple(tf.zeros([1]), tf.zeros([1], tf.float64)).dtype


def test_outside_a_pass_a_cell_call_names_the_decorator():
  cell = rnn_cell.GRUCell(2)
  with pytest.raises(tf1scope.NotInPassError,
                     match=r"^tf1scope\.rnn_cell\.GRUCell creates TF1 variables"):
    cell(tf.ones([1, 2]), cell.zero_state(1, tf.float32))


def test_compat_v1_nn_is_tensorflows_except_rnn_cell():
  nn = tf1scope.compat.v1.nn
  assert nn.rnn_cell is rnn_cell
  assert nn.dynamic_rnn is v1.nn.dynamic_rnn and nn.relu is v1.nn.relu
  assert "rnn_cell" in dir(nn) and "dynamic_rnn" in dir(nn)
  assert "nn" in dir(tf1scope.compat.v1)


_MIRRORED = """
import json
from tf1scope import rnn_cell

class M(tf.Module):
  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    cell = rnn_cell.GRUCell(2, kernel_initializer=v1.ones_initializer())
    outputs, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    return outputs[:, -1]

strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
  model = M()
  opt = tf.keras.optimizers.SGD(0.1)

@tf.function
def step(x):
  def replica(x):
    with tf.GradientTape() as tape:
      loss = tf.reduce_sum(model(x))   # the first pass: inside strategy.run
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss
  return strategy.run(replica, args=(x,))

dist = strategy.experimental_distribute_values_from_function(
    lambda ctx: tf.ones([1, 3, 2]))
step(dist)
kernel = tf1scope.variables_by_name(model)["rnn/gru_cell/gates/kernel"]
replicas = [v.numpy() for v in kernel.values]
print(json.dumps({
    "types": sorted({type(v).__name__ for v in model.variables}),
    "names": sorted(tf1scope.variables_by_name(model)),
    "replicas_equal": bool(np.array_equal(replicas[0], replicas[1])),
    "moved": bool(not np.allclose(replicas[0], 1.0)),
}))
"""


def test_mirrored_strategy_creates_the_cells_variables_in_the_first_replica_pass():
  got = json.loads(two_cpus.run(_MIRRORED)[-1])
  assert got == {
      "types": ["MirroredVariable"],
      "names": ["rnn/gru_cell/candidate/bias", "rnn/gru_cell/candidate/kernel",
                "rnn/gru_cell/gates/bias", "rnn/gru_cell/gates/kernel"],
      "replicas_equal": True, "moved": True}
