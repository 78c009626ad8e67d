"""seq2seq programs run twice: by TF1's own ``tf.contrib.seq2seq`` and by ``tf1scope.seq2seq``.

``make_seq2seq_fixture.py`` runs every case here in TF1 graph mode with
TensorFlow 1.15's ``tf.contrib.seq2seq`` (its Python, from the TF 1.15
wheel), TF1's RNN cells and ``tf.layers`` (TensorFlow's frozen copies), and
stores what TF1 gives; ``test_seq2seq.py`` runs the same functions with
``tf1scope.seq2seq``, ``tf1scope.rnn_cell`` and ``tf1scope.layers`` and
compares. A case's ``build(S, *inputs)`` gets ``S.seq2seq``, ``S.rnn`` (the
cells) and ``S.layers`` (``Dense``).

* :data:`NUMERIC_CASES`: outputs, gradients and variables (``layer_cases.Case``).
* :data:`NAME_PROGRAMS`: ``program(S)`` builds on constant inputs; the
  fixture keeps the variables, or TF1's error.
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

NUMERIC_CASES, case = case_registry()
NAME_PROGRAMS, SYMBOLIC_ONLY, program = program_registry()

BATCH, SOURCE, TARGET, VOCAB = 2, 5, 4, 7
MEMORY = (BATCH, SOURCE, 4)                 # encoder outputs
INPUTS = (BATCH, TARGET, 3)                 # decoder inputs (teacher forcing)
SOURCE_LENGTHS = Input((BATCH,), "int32", value=(5, 3))
TARGET_LENGTHS = Input((BATCH,), "int32", value=(4, 2))
TARGETS = Input((BATCH, TARGET), "int32", value=((1, 2, 3, 4), (5, 6, 0, 0)))
START, END, BEAM = 1, 2, 3


def _decoded(outputs, state, lengths, state_key="state"):
  out = {"rnn_output": outputs.rnn_output, "sample_id": outputs.sample_id,
         "lengths": lengths}
  if state is not None:
    out[state_key] = state
  return out


def _embedding():
  return v1.get_variable("embedding", [VOCAB, 3])


# --- sequence_loss -------------------------------------------------------------

_LOSS_OPTIONS = {
    "loss_mean": {},
    "loss_sum": dict(average_across_timesteps=False, average_across_batch=False,
                     sum_over_timesteps=True, sum_over_batch=True),
    "loss_per_step": dict(average_across_timesteps=False,
                          average_across_batch=True),
    "loss_per_sequence": dict(average_across_timesteps=True,
                              average_across_batch=False),
    "loss_sum_per_step": dict(average_across_timesteps=False,
                              average_across_batch=False,
                              sum_over_batch=True),
    "loss_sum_per_sequence": dict(average_across_timesteps=False,
                                  average_across_batch=False,
                                  sum_over_timesteps=True),
    "loss_unreduced": dict(average_across_timesteps=False,
                           average_across_batch=False),
}


def _loss_case(options):
  def build(S, logits, targets, lengths):
    weights = tf.sequence_mask(lengths, TARGET, dtype=tf.float32)
    return {"loss": S.seq2seq.sequence_loss(logits, targets, weights,
                                            **options)}
  return build


for _name, _options in _LOSS_OPTIONS.items():
  case(_name, [(BATCH, TARGET, VOCAB), TARGETS, TARGET_LENGTHS],
       _loss_case(_options))


def _custom_loss(S, logits, targets, lengths):
  weights = tf.sequence_mask(lengths, TARGET, dtype=tf.float32)

  def smoothed(labels, logits):
    return tf.compat.v1.losses.softmax_cross_entropy(
        tf.one_hot(labels, VOCAB), logits, label_smoothing=0.1,
        reduction=tf.compat.v1.losses.Reduction.NONE)
  return {"loss": S.seq2seq.sequence_loss(logits, targets, weights,
                                          softmax_loss_function=smoothed)}


case("loss_custom_softmax", [(BATCH, TARGET, VOCAB), TARGETS, TARGET_LENGTHS],
     _custom_loss)


# --- BasicDecoder with the training helpers -------------------------------------

def _training(cell_fn, impute=False, time_major=False, maximum_iterations=None,
              output_layer=True):
  def build(S, inputs, lengths):
    cell = cell_fn(S)
    if time_major:
      inputs = tf.transpose(inputs, [1, 0, 2])
    helper = S.seq2seq.TrainingHelper(inputs, lengths, time_major=time_major)
    layer = S.layers.Dense(VOCAB, name="projection") if output_layer else None
    decoder = S.seq2seq.BasicDecoder(cell, helper,
                                     cell.zero_state(BATCH, tf.float32),
                                     output_layer=layer)
    outputs, state, final_lengths = S.seq2seq.dynamic_decode(
        decoder, output_time_major=time_major, impute_finished=impute,
        maximum_iterations=maximum_iterations)
    return _decoded(outputs, state, final_lengths)
  return build


case("training_lstm", [INPUTS, TARGET_LENGTHS],
     _training(lambda S: S.rnn.LSTMCell(5)))
case("training_gru_impute_finished", [INPUTS, TARGET_LENGTHS],
     _training(lambda S: S.rnn.GRUCell(5), impute=True))
case("training_time_major_no_layer", [INPUTS, TARGET_LENGTHS],
     _training(lambda S: S.rnn.BasicLSTMCell(4), time_major=True,
               output_layer=False))
case("training_maximum_iterations", [INPUTS, TARGET_LENGTHS],
     _training(lambda S: S.rnn.LSTMCell(5), maximum_iterations=3))
case("training_multi_rnn", [INPUTS, TARGET_LENGTHS],
     _training(lambda S: S.rnn.MultiRNNCell([S.rnn.LSTMCell(4),
                                             S.rnn.GRUCell(3)]), impute=True))


def _scoped_decode(S, inputs, lengths):
  with v1.variable_scope("decoder_scope"):
    cell = S.rnn.LSTMCell(4)
    helper = S.seq2seq.TrainingHelper(inputs, lengths)
    decoder = S.seq2seq.BasicDecoder(cell, helper,
                                     cell.zero_state(BATCH, tf.float32))
    outputs, _, final_lengths = S.seq2seq.dynamic_decode(decoder,
                                                         scope="my_decoder")
    again, _, _ = S.seq2seq.dynamic_decode(
        S.seq2seq.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32)),
        scope="my_decoder")
  return {"first": outputs.rnn_output, "second": again.rnn_output,
          "lengths": final_lengths}


case("decode_twice_in_a_scope", [INPUTS, TARGET_LENGTHS], _scoped_decode)


def _greedy(sample=False, temperature=None):
  def build(S, unused_inputs):
    del unused_inputs
    embedding = _embedding()
    cell = S.rnn.GRUCell(5)
    if sample:
      helper = S.seq2seq.SampleEmbeddingHelper(
          embedding, tf.fill([BATCH], START), END,
          softmax_temperature=temperature, seed=7)
    else:
      helper = S.seq2seq.GreedyEmbeddingHelper(embedding,
                                               tf.fill([BATCH], START), END)
    decoder = S.seq2seq.BasicDecoder(
        cell, helper, cell.zero_state(BATCH, tf.float32),
        output_layer=S.layers.Dense(VOCAB, name="projection"))
    outputs, state, lengths = S.seq2seq.dynamic_decode(decoder,
                                                       maximum_iterations=6)
    return _decoded(outputs, state, lengths)
  return build


case("greedy_embedding", [(1,)], _greedy())
case("sample_embedding_seeded", [(1,)], _greedy(sample=True, temperature=0.5),
     graph_seed=5)


def _callable_embedding(S, unused_inputs):
  del unused_inputs
  embedding = _embedding()
  cell = S.rnn.LSTMCell(4)
  helper = S.seq2seq.GreedyEmbeddingHelper(
      lambda ids: tf.nn.embedding_lookup(embedding, ids) * 2.0,
      tf.constant([START, 3]), 5)
  decoder = S.seq2seq.BasicDecoder(
      cell, helper, cell.zero_state(BATCH, tf.float32),
      output_layer=S.layers.Dense(VOCAB, use_bias=False))
  outputs, _, lengths = S.seq2seq.dynamic_decode(decoder, maximum_iterations=5,
                                                 impute_finished=True)
  return _decoded(outputs, None, lengths)


case("greedy_callable_embedding_impute", [(1,)], _callable_embedding)


def _scheduled_embedding(S, inputs, lengths):
  cell = S.rnn.LSTMCell(3)
  embedding = _embedding()
  helper = S.seq2seq.ScheduledEmbeddingTrainingHelper(
      inputs, lengths, embedding, sampling_probability=0.5, seed=3,
      scheduling_seed=4)
  decoder = S.seq2seq.BasicDecoder(
      cell, helper, cell.zero_state(BATCH, tf.float32),
      output_layer=S.layers.Dense(VOCAB))
  outputs, state, final_lengths = S.seq2seq.dynamic_decode(decoder)
  return _decoded(outputs, state, final_lengths)


case("scheduled_embedding_seeded", [INPUTS, TARGET_LENGTHS],
     _scheduled_embedding, graph_seed=9)


def _scheduled_output(auxiliary, next_inputs_fn):
  def build(S, inputs, lengths, extra):
    cell = S.rnn.GRUCell(1 if auxiliary else 3)
    helper = S.seq2seq.ScheduledOutputTrainingHelper(
        inputs, lengths, sampling_probability=0.6, seed=5,
        auxiliary_inputs=extra if auxiliary else None,
        next_inputs_fn=(lambda x: x * 0.5) if next_inputs_fn else None)
    decoder = S.seq2seq.BasicDecoder(cell, helper,
                                     cell.zero_state(BATCH, tf.float32))
    outputs, state, final_lengths = S.seq2seq.dynamic_decode(decoder)
    return _decoded(outputs, state, final_lengths)
  return build


case("scheduled_output_seeded", [INPUTS, TARGET_LENGTHS, (BATCH, TARGET, 2)],
     _scheduled_output(False, False), graph_seed=2)
case("scheduled_output_auxiliary_next_inputs_fn",
     [(BATCH, TARGET, 1), TARGET_LENGTHS, (BATCH, TARGET, 2)],
     _scheduled_output(True, True), graph_seed=6)


def _inference_helper(S, start):
  cell = S.rnn.BasicRNNCell(3)
  helper = S.seq2seq.InferenceHelper(
      sample_fn=lambda outputs: outputs * 2.0, sample_shape=[3],
      sample_dtype=tf.float32, start_inputs=start,
      end_fn=lambda sample_ids: tf.reduce_sum(sample_ids, -1) > 1.5)
  decoder = S.seq2seq.BasicDecoder(cell, helper,
                                   cell.zero_state(BATCH, tf.float32))
  outputs, state, lengths = S.seq2seq.dynamic_decode(decoder,
                                                     maximum_iterations=5)
  return _decoded(outputs, state, lengths)


case("inference_helper", [(BATCH, 3)], _inference_helper)


def _custom_helper(S, start):
  def initialize():
    return tf.constant([False, False]), start

  def sample(time, outputs, state):
    del time, state
    return tf.argmax(outputs, -1, output_type=tf.int32)

  def next_inputs(time, outputs, state, sample_ids):
    del sample_ids
    return time >= 2, outputs * 0.5, state

  cell = S.rnn.GRUCell(3)
  helper = S.seq2seq.CustomHelper(initialize, sample, next_inputs)
  decoder = S.seq2seq.BasicDecoder(cell, helper,
                                   cell.zero_state(BATCH, tf.float32))
  outputs, state, lengths = S.seq2seq.dynamic_decode(decoder)
  return _decoded(outputs, state, lengths)


case("custom_helper", [(BATCH, 3)], _custom_helper)


# --- attention ------------------------------------------------------------------------

def _attention(make_mechanisms, layer_size=4, history=False,
               output_attention=True, initial_from_encoder=False,
               cell_input_fn=None, attention_layer=False,
               parallel_iterations=32):
  def build(S, memory, memory_lengths, inputs, lengths):
    mechanisms = make_mechanisms(S, memory, memory_lengths)
    kwargs = {}
    if attention_layer:
      count = len(mechanisms) if isinstance(mechanisms, list) else 1
      layers = [S.layers.Dense(3, activation=tf.tanh, name=f"mix_{i}")
                for i in range(count)]
      kwargs["attention_layer"] = layers if count > 1 else layers[0]
    else:
      kwargs["attention_layer_size"] = layer_size
    cell = S.seq2seq.AttentionWrapper(
        S.rnn.LSTMCell(5), mechanisms, alignment_history=history,
        output_attention=output_attention, cell_input_fn=cell_input_fn,
        **kwargs)
    initial = cell.zero_state(BATCH, tf.float32)
    if initial_from_encoder:
      encoder_state = S.rnn.LSTMStateTuple(
          tf.reduce_mean(memory, 1) @ tf.ones([4, 5]),
          tf.reduce_max(memory, 1) @ tf.ones([4, 5]))
      initial = initial.clone(cell_state=encoder_state)
    helper = S.seq2seq.TrainingHelper(inputs, lengths)
    decoder = S.seq2seq.BasicDecoder(
        cell, helper, initial, output_layer=S.layers.Dense(VOCAB,
                                                           name="projection"))
    outputs, state, final_lengths = S.seq2seq.dynamic_decode(
        decoder, parallel_iterations=parallel_iterations)
    out = _decoded(outputs, None, final_lengths)
    out["cell_state"] = state.cell_state
    out["attention"] = state.attention
    out["alignments"] = state.alignments
    out["time"] = state.time
    if history:
      histories = state.alignment_history
      if isinstance(histories, tuple):
        for i, h in enumerate(histories):
          out[f"history_{i}"] = h.stack()
      else:
        out["history"] = histories.stack()
    return out
  return build


_ATTENTION_INPUTS = [MEMORY, SOURCE_LENGTHS, INPUTS, TARGET_LENGTHS]


def _luong(scale=False, lengths=True, probability_fn=None):
  return lambda S, memory, memory_lengths: S.seq2seq.LuongAttention(
      5, memory, memory_sequence_length=memory_lengths if lengths else None,
      scale=scale, probability_fn=probability_fn)


def _bahdanau(normalize=False, units=3):
  return lambda S, memory, memory_lengths: S.seq2seq.BahdanauAttention(
      units, memory, memory_sequence_length=memory_lengths,
      normalize=normalize)


case("attention_luong", _ATTENTION_INPUTS, _attention(_luong()))
case("attention_luong_scaled_history", _ATTENTION_INPUTS,
     _attention(_luong(scale=True), history=True))
case("attention_luong_unmasked_hardmax", _ATTENTION_INPUTS,
     _attention(_luong(lengths=False,
                       probability_fn=lambda score: tf.nn.softmax(score * 2.0))))
case("attention_bahdanau", _ATTENTION_INPUTS, _attention(_bahdanau()))
case("attention_bahdanau_normalized_no_output_attention", _ATTENTION_INPUTS,
     _attention(_bahdanau(normalize=True), output_attention=False))
case("attention_initial_cell_state_clone", _ATTENTION_INPUTS,
     _attention(_luong(), initial_from_encoder=True))
case("attention_no_layer_custom_input_fn", _ATTENTION_INPUTS,
     _attention(_bahdanau(units=4), layer_size=None,
                cell_input_fn=lambda inputs, attention: inputs + attention[:, :3]))
case("attention_given_layer", _ATTENTION_INPUTS,
     _attention(_luong(), attention_layer=True))


def _two_mechanisms(S, memory, memory_lengths):
  return [S.seq2seq.LuongAttention(5, memory, memory_lengths),
          S.seq2seq.BahdanauAttention(3, memory, memory_lengths,
                                      normalize=True)]


case("attention_two_mechanisms_history", _ATTENTION_INPUTS,
     _attention(_two_mechanisms, layer_size=[4, 2], history=True))
case("attention_two_mechanisms_given_layers", _ATTENTION_INPUTS,
     _attention(_two_mechanisms, attention_layer=True))


def _monotonic(kind, mode, **kwargs):
  def make(S, memory, memory_lengths):
    cls = (S.seq2seq.LuongMonotonicAttention if kind == "luong"
           else S.seq2seq.BahdanauMonotonicAttention)
    return cls(5 if kind == "luong" else 4, memory,
               memory_sequence_length=memory_lengths, mode=mode, **kwargs)
  return make


case("attention_luong_monotonic_parallel", _ATTENTION_INPUTS,
     _attention(_monotonic("luong", "parallel", scale=True,
                           score_bias_init=-1.0)))
case("attention_bahdanau_monotonic_recursive", _ATTENTION_INPUTS,
     _attention(_monotonic("bahdanau", "recursive", normalize=True)))
case("attention_bahdanau_monotonic_hard", _ATTENTION_INPUTS,
     _attention(_monotonic("bahdanau", "hard")))
# Seeded noise in the loop: as for dropout in rnn_cases, only
# parallel_iterations=1 has one TF1 answer (the noise's shape is static, so
# TF1 runs the iterations' draws in whatever order they happen to run).
case("attention_luong_monotonic_noise_seeded", _ATTENTION_INPUTS,
     _attention(_monotonic("luong", "parallel", sigmoid_noise=1.0,
                           sigmoid_noise_seed=3), parallel_iterations=1),
     graph_seed=4)


def _functions(S, logits, previous, p_choose):
  probs = tf.sigmoid(p_choose)
  attention = tf.nn.softmax(previous)
  return {"hardmax": S.seq2seq.hardmax(logits),
          "safe_cumprod": S.seq2seq.safe_cumprod(probs, axis=1,
                                                 exclusive=True),
          "recursive": S.seq2seq.monotonic_attention(probs, attention,
                                                     "recursive"),
          "parallel": S.seq2seq.monotonic_attention(probs, attention,
                                                    "parallel"),
          "hard": S.seq2seq.monotonic_attention(tf.cast(p_choose > 0,
                                                        tf.float32),
                                                attention, "hard"),
          "tiled": S.seq2seq.tile_batch((logits, [previous]), 3)}


case("attention_functions", [(BATCH, SOURCE), (BATCH, SOURCE), (BATCH, SOURCE)],
     _functions)


# --- beam search ---------------------------------------------------------------------

def _beam(attention=True, length_penalty=0.0, coverage_penalty=0.0,
          multi=False, reorder=True, history=False):
  def build(S, memory, memory_lengths):
    embedding = _embedding()
    tiled_memory = S.seq2seq.tile_batch(memory, BEAM)
    tiled_lengths = S.seq2seq.tile_batch(memory_lengths, BEAM)
    if attention:
      cell = S.seq2seq.AttentionWrapper(
          S.rnn.LSTMCell(5),
          S.seq2seq.LuongAttention(5, tiled_memory, tiled_lengths, scale=True),
          attention_layer_size=4, alignment_history=history)
      if multi:
        cell = S.rnn.MultiRNNCell([cell, S.rnn.GRUCell(3)])
      initial = cell.zero_state(BATCH * BEAM, tf.float32)
    else:
      cell = S.rnn.GRUCell(5)
      initial = S.seq2seq.tile_batch(tf.reduce_mean(memory, 1) @ tf.ones([4, 5]),
                                     BEAM)
    decoder = S.seq2seq.BeamSearchDecoder(
        cell, embedding, tf.fill([BATCH], START), END, initial, BEAM,
        output_layer=S.layers.Dense(VOCAB, name="projection"),
        length_penalty_weight=length_penalty,
        coverage_penalty_weight=coverage_penalty,
        reorder_tensor_arrays=reorder)
    outputs, state, lengths = S.seq2seq.dynamic_decode(decoder,
                                                       maximum_iterations=6)
    steps = outputs.beam_search_decoder_output
    out = {"predicted_ids": outputs.predicted_ids, "scores": steps.scores,
           "step_ids": steps.predicted_ids, "parent_ids": steps.parent_ids,
           "lengths": lengths, "beam_lengths": state.lengths,
           "log_probs": state.log_probs, "finished": state.finished}
    if history:
      out["history"] = state.cell_state.alignment_history.stack()
    return out
  return build


_BEAM_INPUTS = [MEMORY, SOURCE_LENGTHS]
case("beam_search_attention", _BEAM_INPUTS, _beam())
case("beam_search_length_penalty_history", _BEAM_INPUTS,
     _beam(length_penalty=0.8, history=True))
case("beam_search_history_not_reordered", _BEAM_INPUTS,
     _beam(history=True, reorder=False))
case("beam_search_coverage_penalty", _BEAM_INPUTS,
     _beam(coverage_penalty=0.5, length_penalty=0.2))
case("beam_search_multi_cell_coverage", _BEAM_INPUTS,
     _beam(multi=True, coverage_penalty=0.3))
case("beam_search_plain_cell", _BEAM_INPUTS, _beam(attention=False))


_STEP_IDS = (((1, 2, 3), (4, 5, 6)),
             ((7, 2, 9), (2, 8, 1)),
             ((3, 4, 2), (5, 6, 7)),
             ((6, 7, 8), (9, 2, 3)))
_PARENT_IDS = (((0, 0, 0), (0, 0, 0)),
               ((2, 0, 1), (1, 1, 0)),
               ((0, 2, 1), (2, 0, 1)),
               ((1, 0, 2), (0, 2, 1)))

# gather_tree inputs whose followed paths meet an invalid parent: TF1's CPU
# kernel fails with "Saw invalid parent id ..." (the fixture keeps its message).
GATHER_TREE_ERRORS = {
    "parent_above_beam_width": (_STEP_IDS, (((0, 0, 0), (0, 0, 0)),
                                            ((2, 0, 1), (1, 1, 0)),
                                            ((0, 2, 1), (2, 0, 1)),
                                            ((1, 0, 2), (0, 4, 1))), (4, 3)),
    "negative_parent_deeper": (_STEP_IDS, (((0, 0, 0), (0, 0, 0)),
                                           ((2, -1, 1), (1, 1, 0)),
                                           ((0, 1, 1), (2, 0, 1)),
                                           ((1, 0, 2), (0, 2, 1))), (4, 4)),
    "invalid_parent_past_the_length": (_STEP_IDS, (((0, 0, 0), (0, 0, 0)),
                                                   ((2, 0, 1), (1, 1, 0)),
                                                   ((0, 2, 1), (2, 0, 1)),
                                                   ((7, 7, 7), (0, 2, 1))),
                                       (3, 4)),
}


def _gather_tree(S, step_ids, parent_ids, lengths):
  return {"beams": S.seq2seq.gather_tree(step_ids, parent_ids, lengths,
                                         end_token=END)}


case("gather_tree_ends_and_bad_parents",
     [Input((4, 2, 3), "int32", value=_STEP_IDS),
      Input((4, 2, 3), "int32", value=_PARENT_IDS),
      Input((2,), "int32", value=(4, 3))], _gather_tree)
case("gather_tree_short_and_zero_lengths",
     [Input((4, 2, 3), "int32", value=_STEP_IDS),
      Input((4, 2, 3), "int32", value=_PARENT_IDS),
      Input((2,), "int32", value=(0, 9))], _gather_tree)


# --- Name programs: variables, and TF1's errors ------------------------------------------

def _ones(*shape):
  return tf.ones(shape)


def _decode_with(S, cell, helper=None, layer=None, batch=BATCH):
  helper = helper or S.seq2seq.TrainingHelper(_ones(batch, 3, 2),
                                              tf.fill([batch], 3))
  decoder = S.seq2seq.BasicDecoder(cell, helper, cell.zero_state(batch,
                                                                 tf.float32),
                                   output_layer=layer)
  return S.seq2seq.dynamic_decode(decoder)


@program
def names_two_attention_decoders(S):
  memory = _ones(BATCH, SOURCE, 4)
  with v1.variable_scope("encoder"):
    first = S.seq2seq.BahdanauAttention(3, memory)
    second = S.seq2seq.BahdanauAttention(3, memory)
  cell = S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3), [first, second],
                                    attention_layer_size=[2, 2])
  _decode_with(S, cell, layer=S.layers.Dense(VOCAB))
  with v1.variable_scope("again"):
    _decode_with(S, cell)


@program
def names_luong_monotonic_in_multi_cell(S):
  memory = _ones(BATCH, SOURCE, 4)
  attention = S.seq2seq.LuongMonotonicAttention(4, memory, scale=True)
  cell = S.rnn.MultiRNNCell([
      S.seq2seq.AttentionWrapper(S.rnn.LSTMCell(4), attention, name="att"),
      S.rnn.LSTMCell(3)])
  _decode_with(S, cell)


@program
def error_decoder_not_a_decoder(S):
  S.seq2seq.dynamic_decode(object())


@program
def error_helper_not_a_helper(S):
  S.seq2seq.BasicDecoder(S.rnn.GRUCell(3), object(), None)


@program
def error_output_layer_not_a_layer(S):
  cell = S.rnn.GRUCell(3)
  S.seq2seq.BasicDecoder(cell, S.seq2seq.TrainingHelper(_ones(2, 3, 2), [3, 3]),
                         None, output_layer=lambda x: x)


@program
def error_cell_not_a_cell(S):
  S.seq2seq.BasicDecoder(3, S.seq2seq.TrainingHelper(_ones(2, 3, 2), [3, 3]),
                         None)


@program
def error_sequence_length_not_a_vector(S):
  S.seq2seq.TrainingHelper(_ones(2, 3, 2), 3)


@program
def error_start_tokens_not_a_vector(S):
  S.seq2seq.GreedyEmbeddingHelper(_ones(4, 2), 1, 2)


@program
def error_end_token_not_a_scalar(S):
  S.seq2seq.GreedyEmbeddingHelper(_ones(4, 2), [1, 1], [2])


@program
def error_sampling_probability_matrix(S):
  S.seq2seq.ScheduledOutputTrainingHelper(_ones(2, 3, 2), [3, 3], _ones(2, 2))


@program
def error_maximum_iterations_not_scalar(S):
  cell = S.rnn.GRUCell(3)
  helper = S.seq2seq.TrainingHelper(_ones(2, 3, 2), [3, 3])
  S.seq2seq.dynamic_decode(
      S.seq2seq.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)),
      maximum_iterations=[3])


@program
def error_loss_ranks(S):
  S.seq2seq.sequence_loss(_ones(2, 3), tf.zeros([2, 3], tf.int32), _ones(2, 3))


@program
def error_loss_both_reductions(S):
  S.seq2seq.sequence_loss(_ones(2, 3, 4), tf.zeros([2, 3], tf.int32),
                          _ones(2, 3), sum_over_timesteps=True)


@program
def error_attention_mechanism_type(S):
  S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3), object())


@program
def error_attention_layer_size_count(S):
  memory = _ones(BATCH, SOURCE, 4)
  S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3),
                             [S.seq2seq.LuongAttention(3, memory)],
                             attention_layer_size=[2, 2])


@program
def error_attention_layer_and_size(S):
  memory = _ones(BATCH, SOURCE, 4)
  S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3), S.seq2seq.LuongAttention(3, memory),
                             attention_layer_size=2,
                             attention_layer=S.layers.Dense(2))


@program
def error_luong_units_mismatch(S):
  memory = _ones(BATCH, SOURCE, 4)
  cell = S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3),
                                    S.seq2seq.LuongAttention(5, memory))
  _decode_with(S, cell)


@program
def error_state_not_attention_state(S):
  memory = _ones(BATCH, SOURCE, 4)
  cell = S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3),
                                    S.seq2seq.LuongAttention(3, memory))
  cell(_ones(2, 2), _ones(2, 3))


@program
def error_clone_with_another_shape(S):
  memory = _ones(BATCH, SOURCE, 4)
  cell = S.seq2seq.AttentionWrapper(S.rnn.GRUCell(3),
                                    S.seq2seq.LuongAttention(3, memory))
  cell.zero_state(BATCH, tf.float32).clone(cell_state=_ones(2, 4))


@program
def error_monotonic_mode(S):
  S.seq2seq.monotonic_attention(_ones(2, 3), _ones(2, 3), "sideways")


@program
def error_beam_not_tiled(S):
  cell = S.rnn.GRUCell(3)
  S.seq2seq.BeamSearchDecoder(cell, _ones(VOCAB, 2), [1, 1], 2,
                              cell.zero_state(2, tf.float32), BEAM)


@program
def error_coverage_penalty_without_attention(S):
  cell = S.rnn.GRUCell(3)
  S.seq2seq.BeamSearchDecoder(cell, _ones(VOCAB, 2), [1, 1], 2,
                              cell.zero_state(2 * BEAM, tf.float32), BEAM,
                              coverage_penalty_weight=0.5)


@program
def error_tile_unknown_rank(S):
  S.seq2seq.tile_batch(3.0, 2)

