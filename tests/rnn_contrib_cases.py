"""tf.contrib.rnn's own cells run twice: by TensorFlow 1.15's contrib code and by ``tf1scope.rnn_cell_contrib``.

``make_rnn_contrib_fixture.py`` runs every case here in TF1 graph mode with
TF 1.15's ``tf.contrib.rnn`` (its Python, from the TF 1.15 wheel, over
TensorFlow's fused RNN kernels) and TF1's core cells, and stores what TF1
gives; ``test_rnn_cell_contrib.py`` runs the same functions with
``tf1scope.compat.contrib.rnn`` (passed in as ``R``) and compares. The RNN
functions (``dynamic_rnn``, ``static_rnn``, ...) are TensorFlow's own.
"""

import tensorflow as tf

from layer_cases import Input
from layer_cases import case_registry
from layer_cases import program_registry
from layer_cases import describe  # noqa: F401  (used by the fixture writer)
from layer_cases import flat_outputs  # noqa: F401
from layer_cases import input_values  # noqa: F401
from layer_cases import weight_values  # noqa: F401

v1 = tf.compat.v1
nn = v1.nn

NUMERIC_CASES, case = case_registry()
NAME_PROGRAMS, SYMBOLIC_ONLY, program = program_registry()

SEQ = (2, 5, 3)   # batch, time, depth
LENGTHS = Input((2,), "int32", value=(5, 3))


def _run(cell, x, lengths=None, **kwargs):
  outputs, state = nn.dynamic_rnn(cell, x, sequence_length=lengths,
                                  dtype=tf.float32, **kwargs)
  return {"outputs": outputs, "state": state}


def _cell_case(name, make, inputs=(SEQ, LENGTHS), **options):
  def build(R, x, lengths=None):
    return _run(make(R), x, lengths)
  case(name, list(inputs), build, **options)


_cell_case("layer_norm_basic_lstm", lambda R: R.LayerNormBasicLSTMCell(4))
_cell_case("layer_norm_basic_lstm_gain_shift_no_norm_branch",
           lambda R: R.LayerNormBasicLSTMCell(4, forget_bias=0.5,
                                              norm_gain=1.5, norm_shift=0.2))
_cell_case("layer_norm_basic_lstm_without_norm",
           lambda R: R.LayerNormBasicLSTMCell(3, layer_norm=False,
                                              activation=tf.nn.relu))


def _dropout(R, x):
  cell = R.LayerNormBasicLSTMCell(4, dropout_keep_prob=0.7,
                                  dropout_prob_seed=5)
  return _run(cell, x, parallel_iterations=1)


# Seeded dropout in the loop: only parallel_iterations=1 has one TF1 answer.
case("layer_norm_basic_lstm_dropout_seeded", [SEQ], _dropout, graph_seed=3)

_cell_case("lstm_block_cell", lambda R: R.LSTMBlockCell(4))
_cell_case("lstm_block_cell_peephole_clip",
           lambda R: R.LSTMBlockCell(4, forget_bias=0.3, cell_clip=0.5,
                                     use_peephole=True))
_cell_case("gru_block_cell", lambda R: R.GRUBlockCell(4))
_cell_case("gru_block_cell_v2", lambda R: R.GRUBlockCellV2(3))
_cell_case("gru_block_cell_by_cell_size", lambda R: R.GRUBlockCell(
    cell_size=3))
_cell_case("coupled_input_forget_gate",
           lambda R: R.CoupledInputForgetGateLSTMCell(4))
_cell_case("coupled_input_forget_gate_peepholes_projection_shards",
           lambda R: R.CoupledInputForgetGateLSTMCell(
               5, use_peepholes=True, num_proj=3, proj_clip=0.4,
               num_unit_shards=2, num_proj_shards=2))
_cell_case("coupled_input_forget_gate_layer_norm_concatenated_state",
           lambda R: R.CoupledInputForgetGateLSTMCell(
               4, layer_norm=True, state_is_tuple=False, forget_bias=0.2))
_cell_case("layer_norm_lstm", lambda R: R.LayerNormLSTMCell(4))
_cell_case("layer_norm_lstm_normalized_peepholes_projection",
           lambda R: R.LayerNormLSTMCell(
               5, use_peepholes=True, cell_clip=0.6, num_proj=3,
               proj_clip=0.5, layer_norm=True, norm_gain=1.2,
               norm_shift=-0.1))
_cell_case("nas", lambda R: R.NASCell(4))
_cell_case("nas_projection_bias", lambda R: R.NASCell(4, num_proj=2,
                                                      use_bias=True))
_cell_case("ugrnn", lambda R: R.UGRNNCell(4, forget_bias=0.5))
_cell_case("intersection_rnn_projected",
           lambda R: R.IntersectionRNNCell(4, num_in_proj=4))
_cell_case("intersection_rnn_same_size",
           lambda R: R.IntersectionRNNCell(3, y_activation=tf.tanh))
_cell_case("sru", lambda R: R.SRUCell(4))
_cell_case("ind_rnn", lambda R: R.IndRNNCell(4, activation=tf.nn.relu))
_cell_case("indy_gru", lambda R: R.IndyGRUCell(4))
_cell_case("indy_lstm", lambda R: R.IndyLSTMCell(4, forget_bias=0.5))
_cell_case("attention_cell_wrapper",
           lambda R: R.AttentionCellWrapper(R.LSTMCell(4), 3))
_cell_case("attention_cell_wrapper_sizes_concatenated_state",
           lambda R: R.AttentionCellWrapper(R.GRUCell(4), 2, attn_size=3,
                                            attn_vec_size=5, input_size=2,
                                            state_is_tuple=False))
_cell_case("highway_wrapper", lambda R: R.HighwayWrapper(R.GRUCell(3)))
_cell_case("highway_wrapper_uncoupled",
           lambda R: R.HighwayWrapper(R.LSTMCell(3),
                                      couple_carry_transform_gates=False,
                                      carry_bias_init=0.5))
_cell_case("input_projection_wrapper",
           lambda R: R.InputProjectionWrapper(R.GRUCell(3), 4,
                                              activation=tf.tanh))
_cell_case("output_projection_wrapper",
           lambda R: R.OutputProjectionWrapper(R.LSTMCell(4), 6))
_cell_case("projections_around_a_multi_rnn",
           lambda R: R.OutputProjectionWrapper(R.InputProjectionWrapper(
               R.MultiRNNCell([R.LSTMCell(3), R.GRUCell(2)]), 5), 2,
                                               activation=tf.nn.relu))


def _embedding_wrapper(R, ids, lengths):
  cell = R.EmbeddingWrapper(R.GRUCell(3), embedding_classes=7,
                            embedding_size=4)
  outputs, state = nn.dynamic_rnn(cell, tf.expand_dims(ids, -1),
                                  sequence_length=lengths, dtype=tf.float32)
  return {"outputs": outputs, "state": state}


case("embedding_wrapper",
     [Input((2, 5), "int32", value=((1, 2, 3, 4, 5), (6, 0, 1, 2, 3))),
      LENGTHS], _embedding_wrapper)
_cell_case("highway_in_multi_rnn", lambda R: R.MultiRNNCell(
    [R.HighwayWrapper(R.GRUCell(3)), R.LSTMBlockCell(2)]))


def _fused(peephole, lengths_given, time_major_inputs=True):
  def build(R, x, lengths):
    cell = R.LSTMBlockFusedCell(4, use_peephole=peephole, cell_clip=0.7,
                                forget_bias=0.4)
    inputs = tf.transpose(x, [1, 0, 2])
    if not time_major_inputs:
      inputs = tf.unstack(inputs)
    outputs, state = cell(inputs, dtype=tf.float32,
                          sequence_length=lengths if lengths_given else None)
    if isinstance(outputs, list):
      outputs = tf.stack(outputs)
    return {"outputs": outputs, "state": state}
  return build


case("lstm_block_fused_lengths", [SEQ, LENGTHS], _fused(False, True))
case("lstm_block_fused_peephole", [SEQ, LENGTHS], _fused(True, False))


def _fused_initial_state(R, x, c, h):
  cell = R.LSTMBlockFusedCell(3)
  outputs, state = cell(tf.transpose(x, [1, 0, 2]), initial_state=(c, h))
  return {"outputs": outputs, "state": state}


case("lstm_block_fused_initial_state", [SEQ, (2, 3), (2, 3)],
     _fused_initial_state)


def _conv_lstm(R, x):
  cell = R.Conv2DLSTMCell(input_shape=[4, 4, 2], output_channels=3,
                          kernel_shape=[3, 3])
  return _run(cell, x)


# (skip_connection=True makes TF1's own state grow past its state_size, which
# dynamic_rnn refuses: no case.)
case("conv2d_lstm", [(2, 3, 4, 4, 2)], _conv_lstm)


def _conv1d_lstm(R, x):
  cell = R.Conv1DLSTMCell(input_shape=[5, 2], output_channels=2,
                          kernel_shape=[2], use_bias=False, forget_bias=0.5)
  return _run(cell, x)


case("conv1d_lstm_no_bias", [(2, 3, 5, 2)], _conv1d_lstm)


def _conv3d_lstm(R, x):
  cell = R.Conv3DLSTMCell(input_shape=[2, 3, 3, 1], output_channels=2,
                          kernel_shape=[2, 2, 2])
  return _run(cell, x)


case("conv3d_lstm", [(1, 2, 2, 3, 3, 1)], _conv3d_lstm)


def _stack_dynamic(R, x, lengths):
  outputs, states_fw, states_bw = R.stack_bidirectional_dynamic_rnn(
      [R.LSTMCell(3), R.GRUBlockCellV2(2)], [R.GRUCell(2), R.LSTMBlockCell(3)],
      x, sequence_length=lengths, dtype=tf.float32)
  return {"outputs": outputs, "fw": states_fw, "bw": states_bw}


case("stack_bidirectional_dynamic", [SEQ, LENGTHS], _stack_dynamic)


def _stack_static(R, x, lengths):
  outputs, states_fw, states_bw = R.stack_bidirectional_rnn(
      [R.GRUCell(2), R.LayerNormBasicLSTMCell(2)],
      [R.GRUCell(3), R.IndRNNCell(2)], tf.unstack(x, axis=1),
      sequence_length=lengths, dtype=tf.float32, scope="stacked")
  return {"outputs": tf.stack(outputs), "fw": states_fw, "bw": states_bw}


case("stack_bidirectional_static", [SEQ, LENGTHS], _stack_static)


# --- Name programs: variables, and TF1's errors --------------------------------------

def _ones(*shape):
  return tf.ones(shape)


@program
def names_two_cells_in_one_scope(R):
  x = _ones(2, 4, 3)
  with v1.variable_scope("enc"):
    nn.dynamic_rnn(R.LayerNormBasicLSTMCell(3), x, dtype=tf.float32,
                   scope="first")
    nn.dynamic_rnn(R.LSTMBlockCell(3), x, dtype=tf.float32, scope="second")
    nn.dynamic_rnn(R.MultiRNNCell([R.NASCell(2), R.SRUCell(2)]), x,
                   dtype=tf.float32)


@program
def error_embedding_sizes(R):
  R.EmbeddingWrapper(R.GRUCell(3), 0, 4)


@program
def error_output_projection_size(R):
  R.OutputProjectionWrapper(R.GRUCell(3), 0)


@program
def error_attention_length(R):
  R.AttentionCellWrapper(R.GRUCell(3), 0)


@program
def error_attention_tuple_state_not_tuple(R):
  R.AttentionCellWrapper(R.LSTMCell(3), 2, state_is_tuple=False)


@program
def error_attention_cell_not_a_cell(R):
  R.AttentionCellWrapper(3, 2)


@program
def error_intersection_sizes(R):
  nn.dynamic_rnn(R.IntersectionRNNCell(4), _ones(2, 3, 3), dtype=tf.float32)


@program
def error_gru_block_both_sizes(R):
  R.GRUBlockCell(num_units=3, cell_size=3)


@program
def error_gru_block_no_size(R):
  R.GRUBlockCell()


@program
def error_conv_lstm_shape(R):
  R.Conv2DLSTMCell(input_shape=[4, 2], output_channels=3, kernel_shape=[3, 3])


@program
def error_too_many_shards(R):
  nn.dynamic_rnn(R.CoupledInputForgetGateLSTMCell(2, num_unit_shards=9),
                 _ones(2, 3, 3), dtype=tf.float32)


@program
def error_fused_needs_dtype_or_state(R):
  R.LSTMBlockFusedCell(3)(_ones(4, 2, 3))


@program
def error_fused_list_inputs(R):
  # TF1's docstring allowed a list of time steps; its input check did not.
  R.LSTMBlockFusedCell(3)(tf.unstack(_ones(4, 2, 3)), dtype=tf.float32)


@program
def error_fused_state_not_a_pair(R):
  R.LSTMBlockFusedCell(3)(_ones(4, 2, 3), initial_state=(_ones(2, 3),))


@program
def error_stack_no_cells(R):
  R.stack_bidirectional_dynamic_rnn([], [R.GRUCell(2)], _ones(2, 3, 3))


@program
def error_stack_not_lists(R):
  R.stack_bidirectional_dynamic_rnn(R.GRUCell(2), R.GRUCell(2), _ones(2, 3, 3))


@program
def error_stack_depths(R):
  R.stack_bidirectional_rnn([R.GRUCell(2)], [R.GRUCell(2), R.GRUCell(2)],
                            [_ones(2, 3)], dtype=tf.float32)


@program
def error_stack_initial_states(R):
  R.stack_bidirectional_dynamic_rnn([R.GRUCell(2)], [R.GRUCell(2)],
                                    _ones(2, 3, 3), initial_states_fw=[1, 2])
