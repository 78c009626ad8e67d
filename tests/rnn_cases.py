"""RNN cell programs run twice: by real ``tf.compat.v1.nn.rnn_cell`` and by ``tf1scope.rnn_cell``.

``make_layers_fixture.py`` runs every case here in TF1 graph mode with TF1's
cells (tf_keras, ``TF_USE_LEGACY_KERAS=1``) and stores what TF1 gives;
``test_rnn_cell.py`` runs the same functions with ``tf1scope.rnn_cell``
(passed in as ``R``) and compares. The RNN functions (``dynamic_rnn``,
``static_rnn``, ``bidirectional_dynamic_rnn``) are TensorFlow's own in both.

* :data:`NUMERIC_CASES` (``layer_cases.Case``): ``build(R, *inputs)`` returns
  a dict of outputs (final states are nested: stored leaf by leaf).
* :data:`NAME_PROGRAMS`: ``program(R)`` builds cells on constant inputs; the
  fixture keeps the variables (name, shape, dtype, trainable), the names of
  the cells' own ``weights`` lists a program returns, or TF1's error.
"""

import tensorflow as tf

from layer_cases import Input
from layer_cases import case_registry
from layer_cases import program_registry
from layer_cases import flat_outputs  # noqa: F401  (used by the fixture writer)
from layer_cases import input_values  # noqa: F401  (used by the fixture writer)
from layer_cases import weight_values  # noqa: F401

v1 = tf.compat.v1
nn = v1.nn

NUMERIC_CASES, case = case_registry()


SEQ = (2, 5, 3)   # batch, time, depth
LENGTHS = Input((2,), "int32", value=(5, 3))


def _run(cell, x, **kwargs):
  outputs, state = nn.dynamic_rnn(cell, x, dtype=tf.float32, **kwargs)
  return {"outputs": outputs, "state": state}


case("basic_rnn", [SEQ], lambda R, x: _run(R.BasicRNNCell(4), x))
case("basic_rnn_relu_by_name", [SEQ],
     lambda R, x: _run(R.BasicRNNCell(4, activation="relu"), x))
case("gru", [SEQ], lambda R, x: _run(R.GRUCell(4), x))
case("gru_initial_values", [SEQ], lambda R, x: _run(R.GRUCell(
    3, kernel_initializer=v1.truncated_normal_initializer(stddev=0.5, seed=3)),
    x), assign=False)
case("gru_bias_initializer", [SEQ], lambda R, x: _run(R.GRUCell(
    3, kernel_initializer=v1.constant_initializer(0.1),
    bias_initializer=v1.constant_initializer(-0.5)), x), assign=False)
case("basic_lstm", [SEQ],
     lambda R, x: _run(R.BasicLSTMCell(4, forget_bias=0.5), x))
case("basic_lstm_concatenated_state", [SEQ],
     lambda R, x: _run(R.BasicLSTMCell(4, state_is_tuple=False), x))
case("lstm", [SEQ], lambda R, x: _run(R.LSTMCell(4), x))
case("lstm_peepholes_clip_projection", [SEQ], lambda R, x: _run(R.LSTMCell(
    5, use_peepholes=True, cell_clip=0.5, num_proj=3, proj_clip=0.4), x))
case("lstm_shards", [SEQ], lambda R, x: _run(R.LSTMCell(
    4, num_proj=3, num_unit_shards=2, num_proj_shards=3), x))
case("lstm_concatenated_state_projection", [SEQ], lambda R, x: _run(R.LSTMCell(
    4, num_proj=2, state_is_tuple=False), x))
case("lstm_float64", [Input(SEQ, "float64")], lambda R, x: {
    "outputs": nn.dynamic_rnn(R.LSTMCell(3), x, dtype=tf.float64)[0]})
case("lstm_initial_values", [SEQ], lambda R, x: _run(R.LSTMCell(
    3, use_peepholes=True, num_proj=2,
    initializer=v1.random_uniform_initializer(-0.3, 0.3, seed=7)), x),
     assign=False)


def _lengths(R, x, lengths):
  return _run(R.MultiRNNCell([R.LSTMCell(4), R.GRUCell(3)]), x,
              sequence_length=lengths)


case("multi_rnn_sequence_length", [SEQ, LENGTHS], _lengths)
case("multi_rnn_concatenated_state", [SEQ], lambda R, x: _run(R.MultiRNNCell(
    [R.BasicRNNCell(3), R.BasicRNNCell(2)], state_is_tuple=False), x))


def _time_major(R, x):
  cell = R.GRUCell(3)
  initial = cell.zero_state(2, tf.float32)
  outputs, state = nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]),
                                  initial_state=initial, time_major=True)
  return {"outputs": outputs, "state": state}


case("gru_time_major_initial_state", [SEQ], _time_major)


def _static(R, x):
  outputs, state = nn.static_rnn(R.BasicLSTMCell(3), tf.unstack(x, axis=1),
                                 dtype=tf.float32)
  return {"outputs": tf.stack(outputs), "state": state}


case("static_rnn", [SEQ], _static)


def _bidirectional(R, x, lengths):
  outputs, states = nn.bidirectional_dynamic_rnn(
      R.LSTMCell(3), R.GRUCell(2), x, sequence_length=lengths,
      dtype=tf.float32)
  return {"outputs": outputs, "states": states}


case("bidirectional", [SEQ, LENGTHS], _bidirectional)
case("residual_wrapper", [SEQ],
     lambda R, x: _run(R.ResidualWrapper(R.GRUCell(3)), x))
# Seeded dropout inside dynamic_rnn's while loop: with parallel_iterations > 1
# TF1 itself hands the draws of the input dropout to the time steps in the
# order the iterations happen to run, so only parallel_iterations=1 has one
# TF1 answer (and it is what eager calls and tf.function give).
case("dropout_wrapper_seeded", [SEQ], lambda R, x: _run(R.DropoutWrapper(
    R.LSTMCell(4), input_keep_prob=0.8, output_keep_prob=0.7,
    state_keep_prob=0.6, seed=5), x, parallel_iterations=1), graph_seed=11)
case("dropout_wrapper_variational", [SEQ], lambda R, x: _run(R.DropoutWrapper(
    R.GRUCell(4), input_keep_prob=0.8, output_keep_prob=0.7,
    state_keep_prob=0.6, variational_recurrent=True, input_size=3,
    dtype=tf.float32, seed=9), x), graph_seed=3)


def _custom_cell_class(R):
  """An old-style cell: variables from get_variable in ``call``, no ``build``."""

  class CustomCell(R.RNNCell):

    def __init__(self, units):
      super().__init__()
      self._units = units

    @property
    def state_size(self):
      return self._units

    @property
    def output_size(self):
      return self._units

    def call(self, inputs, state):
      w = v1.get_variable("w", [inputs.shape[-1] + self._units, self._units])
      b = v1.get_variable("b", [self._units],
                          initializer=v1.constant_initializer(0.1))
      out = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w) + b)
      return out, out

  return CustomCell


case("custom_cell", [SEQ], lambda R, x: _run(_custom_cell_class(R)(3), x))


def _cell_step(R, x, h):
  cell = R.GRUCell(3)
  out, state = cell(x, h)
  out2, _ = cell(out, state)   # the second call reuses the variables
  return {"out": out, "out2": out2}


case("cell_called_directly", [(2, 3), (2, 3)], _cell_step)


# --- Name programs ----------------------------------------------------------------

NAME_PROGRAMS, SYMBOLIC_ONLY, program = program_registry()


def _seq(*shape):
  return tf.ones(shape or SEQ)


@program
def default_names(R):
  nn.dynamic_rnn(R.BasicLSTMCell(3), _seq(), dtype=tf.float32)
  nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32, scope="a")
  nn.dynamic_rnn(R.GRUCell(3), _seq(), dtype=tf.float32, scope="enc")
  nn.dynamic_rnn(R.BasicRNNCell(3), _seq(), dtype=tf.float32, scope="enc")
  with v1.variable_scope("block"):
    nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32)
    nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32, scope="rnn_b")


@program
def error_second_default_cell_in_a_reopened_rnn_scope(R):
  # Leaving "rnn" resets the default-name counts below it: "lstm_cell" again.
  nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32)
  nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32)


@program
def explicit_cell_names(R):
  nn.dynamic_rnn(R.LSTMCell(3, name="encoder_lstm"), _seq(), dtype=tf.float32)
  with v1.variable_scope("outer"):
    nn.dynamic_rnn(R.GRUCell(2, name="g"), _seq(), dtype=tf.float32)


@program
def a_cell_reused_across_calls(R):
  cell = R.GRUCell(3)
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32, scope="enc")
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32, scope="enc")
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32, scope="dec")  # still enc's
  return cell.weights


@program
def multi_and_wrappers(R):
  cells = [R.DropoutWrapper(R.LSTMCell(3), output_keep_prob=0.5),
           R.ResidualWrapper(R.GRUCell(3)), R.DeviceWrapper(R.LSTMCell(2),
                                                           "/cpu:0")]
  multi = R.MultiRNNCell(cells)
  nn.dynamic_rnn(multi, _seq(), dtype=tf.float32)
  return multi.weights


@program
def shards_and_peepholes(R):
  cell = R.LSTMCell(4, use_peepholes=True, num_proj=2, num_unit_shards=2,
                    num_proj_shards=2)
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32)
  return cell.trainable_weights


@program
def partitioner_from_the_scope(R):
  with v1.variable_scope("p", partitioner=v1.fixed_size_partitioner(2)):
    nn.dynamic_rnn(R.GRUCell(4), _seq(), dtype=tf.float32)


@program
def custom_cell_weights(R):
  cell = _custom_cell_class(R)(2)
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32)
  return cell.weights


@program
def cell_with_scope_argument(R):
  cell = R.BasicRNNCell(2)
  state = cell.zero_state(2, tf.float32)
  _, state = cell(_seq(2, 3), state, scope="step")
  cell(_seq(2, 3), state, scope="ignored_once_built")
  return cell.weights


@program
def not_trainable_cell(R):
  cell = R.GRUCell(2, trainable=False)
  nn.dynamic_rnn(cell, _seq(), dtype=tf.float32)
  return cell.weights


@program
def reuse_true_shares_a_scope(R):
  with v1.variable_scope("shared"):
    nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32)
  with v1.variable_scope("shared", reuse=True):
    nn.dynamic_rnn(R.LSTMCell(3), _seq(), dtype=tf.float32)


@program
def error_two_cells_in_one_scope_without_reuse(R):
  nn.dynamic_rnn(R.LSTMCell(3, name="same"), _seq(), dtype=tf.float32)
  nn.dynamic_rnn(R.LSTMCell(3, name="same"), _seq(), dtype=tf.float32)


@program
def error_reuse_true_of_nothing(R):
  nn.dynamic_rnn(R.GRUCell(3, reuse=True), _seq(), dtype=tf.float32)


@program
def error_rank3_input_to_a_cell(R):
  cell = R.BasicLSTMCell(2)
  cell(_seq(), cell.zero_state(2, tf.float32))


@program
def error_integer_inputs(R):
  nn.dynamic_rnn(R.GRUCell(2), tf.ones(SEQ, tf.int32), dtype=tf.int32)


@program
def error_integer_dtype_argument(R):
  R.LSTMCell(2, dtype=tf.int32)


@program
def error_empty_multi_rnn_cell(R):
  R.MultiRNNCell([])


@program
def error_tuple_states_not_concatenated(R):
  R.MultiRNNCell([R.LSTMCell(2), R.LSTMCell(2)], state_is_tuple=False)


@program
def error_keep_probability_above_one(R):
  R.DropoutWrapper(R.GRUCell(2), output_keep_prob=1.5)


@program
def error_variational_without_dtype(R):
  R.DropoutWrapper(R.GRUCell(2), variational_recurrent=True)


@program
def error_wrapping_a_non_cell(R):
  R.ResidualWrapper(3)


@program(symbolic_only=True)
def error_unknown_depth(R):
  x = v1.placeholder_with_default(tf.ones(SEQ), [2, 5, None])
  nn.dynamic_rnn(R.GRUCell(2), x, dtype=tf.float32)


def describe(program_fn, R):
  """What a name program built (run inside a graph or pass)."""
  weights = program_fn(R)
  out = {
      "variables": v1.global_variables(),
      "update_ops": len(v1.get_collection(v1.GraphKeys.UPDATE_OPS)),
      "regularization_losses": len(
          v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)),
  }
  if weights is not None:
    out["weights"] = [w.name for w in weights]
  return out
