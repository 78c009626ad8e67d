"""tf.contrib.rnn's own cells against TF1's (stored) and TF1 graph mode (live).

* Numbers: each case of ``rnn_contrib_cases.NUMERIC_CASES`` was run in TF1
  graph mode by TensorFlow 1.15's ``tf.contrib.rnn`` (its Python from the
  TF 1.15 wheel, over TensorFlow's fused RNN kernels;
  ``make_rnn_contrib_fixture.py``); here the same function runs with
  ``tf1scope.compat.contrib.rnn`` in a pass, eagerly and in ``tf.function``.
  Weights are copied over by TF1 name; the outputs, gradients and variables
  must be TF1's.
* Names and errors: each program of ``rnn_contrib_cases.NAME_PROGRAMS``
  builds in a TF1 graph with tf1scope what TF1 built (or TF1's error), and a
  pass builds what graph mode built.
"""

import numpy as np
import pytest
import tensorflow as tf

import oracle
import rnn_contrib_cases
import tf1scope
import tf1scope.compat.v1 as tf1
from layers_fixture import Reference
from layers_fixture import assert_matches_tf1
from tf1scope import rnn_cell_contrib

R = tf1.contrib.rnn
CONTRIB = Reference("rnn_contrib_reference", rnn_contrib_cases, R)
PROGRAMS = rnn_contrib_cases.NAME_PROGRAMS


@pytest.mark.parametrize("mode", ("eager", "function"))
@pytest.mark.parametrize("name", sorted(CONTRIB.cases))
def test_cell_matches_tf1(name, mode):
  assert_matches_tf1(CONTRIB, name, mode)


def test_every_case_and_program_has_a_tf1_reference():
  assert sorted(CONTRIB.cases) == sorted(CONTRIB.meta["cases"])
  assert sorted(PROGRAMS) == sorted(CONTRIB.meta["programs"])


def test_every_contrib_name_is_in_a_stored_case():
  """A public name of tf1scope.rnn_cell_contrib without a TF1 reference fails here."""
  with open(rnn_contrib_cases.__file__) as f:
    source = f.read()
  missing = {n for n in rnn_cell_contrib.__all__
             if f"R.{n}(" not in source and n != "ConvLSTMCell"}
  assert not missing, f"no case uses {sorted(missing)}"


def _program(name):
  fn = PROGRAMS[name]
  return lambda: rnn_contrib_cases.describe(fn, R)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_mode_builds_what_tf1s_contrib_cells_built(name):
  CONTRIB.assert_program_matches(name, _program(name))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  oracle.assert_matches_graph(_program(name), modes=("eager", "function"),
                              with_values=False)


def test_contrib_rnn_has_the_core_and_the_contrib_cells():
  assert R.LSTMCell is tf1scope.rnn_cell.LSTMCell
  assert R.LayerNormBasicLSTMCell is rnn_cell_contrib.LayerNormBasicLSTMCell
  with pytest.raises(AttributeError, match="tf.contrib.rnn.GridLSTMCell was "
                     "removed in TensorFlow 2.0 with tf.contrib"):
    R.GridLSTMCell  # pylint: disable=pointless-statement


class _Tagger(tf.Module):
  """A bidirectional LayerNorm-LSTM tagger written against tf.contrib.rnn."""

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, lengths):
    outputs, _, _ = tf1.contrib.rnn.stack_bidirectional_dynamic_rnn(
        [tf1.contrib.rnn.LayerNormBasicLSTMCell(6),
         tf1.contrib.rnn.LSTMBlockCell(6)],
        [tf1.contrib.rnn.LayerNormBasicLSTMCell(6),
         tf1.contrib.rnn.GRUBlockCellV2(6)],
        x, sequence_length=lengths, dtype=tf.float32)
    return tf1.layers.dense(outputs, 1)


def test_contrib_cells_train_with_a_tf2_optimizer_in_tf_function():
  tf.random.set_seed(0)   # the initial values, so the run is the same every time
  model = _Tagger()
  rng = np.random.default_rng(0)
  x = rng.normal(size=(16, 6, 2)).astype("float32")
  y = np.cumsum(x[:, :, :1], axis=1).astype("float32")
  lengths = np.full([16], 6, "int32")
  optimizer = tf.keras.optimizers.Adam(0.02)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      loss = tf.reduce_mean(tf.square(model(x, lengths) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  losses = [float(step()) for _ in range(60)]
  assert losses[-1] < 0.5 * losses[0], losses[::10]
  names = list(tf1scope.variables_by_name(model))
  assert "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/lstm_cell/kernel" in names
  assert ("stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/"
          "gates/kernel") in names
  assert ("stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/"
          "layer_norm_basic_lstm_cell/state/gamma") in names
