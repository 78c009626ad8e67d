"""tf1scope.seq2seq against TF1's own ``tf.contrib.seq2seq`` (stored) and TF1 graph mode (live).

* Numbers: each case of ``seq2seq_cases.NUMERIC_CASES`` was run in TF1 graph
  mode by TensorFlow 1.15's ``tf.contrib.seq2seq`` with TF1's cells and
  ``tf.layers`` (``make_seq2seq_fixture.py``); here the same function runs
  with ``tf1scope.seq2seq``, ``tf1scope.rnn_cell`` and ``tf1scope.layers`` in
  a pass, eagerly and in ``tf.function``. Weights are copied over by TF1
  name; then the outputs, the gradients of a probe loss and the variables
  must be TF1's.
* Names and errors: each program of ``seq2seq_cases.NAME_PROGRAMS`` builds
  in a TF1 graph with tf1scope what TF1 built (its variables, or its error),
  and a pass builds what graph mode built.
"""

import types

import numpy as np
import pytest
import tensorflow as tf

import oracle
import seq2seq_cases
import tf1scope
import tf1scope.compat.v1 as tf1
from layers_fixture import Reference
from layers_fixture import assert_matches_tf1
from tf1scope import seq2seq

v1 = tf.compat.v1
NAMESPACE = types.SimpleNamespace(seq2seq=seq2seq, rnn=tf1scope.rnn_cell,
                                  layers=tf1scope.layers)
SEQ2SEQ = Reference("seq2seq_reference", seq2seq_cases, NAMESPACE)
PROGRAMS = seq2seq_cases.NAME_PROGRAMS


@pytest.mark.parametrize("mode", ("eager", "function"))
@pytest.mark.parametrize("name", sorted(SEQ2SEQ.cases))
def test_case_matches_tf1(name, mode):
  assert_matches_tf1(SEQ2SEQ, name, mode)


@pytest.mark.parametrize("name", ["greedy_embedding", "beam_search_attention",
                                  "training_maximum_iterations"])
def test_case_matches_tf1_under_xla(name):
  # As TF1 in an XLA context: bounded decodes, with static-size output arrays.
  assert_matches_tf1(SEQ2SEQ, name, "xla")


def test_an_unbounded_decode_under_xla_raises_tf1s_error():
  def decode():
    cell = tf1scope.rnn_cell.GRUCell(3)
    helper = seq2seq.TrainingHelper(tf.ones([2, 3, 2]), [3, 3])
    return seq2seq.dynamic_decode(seq2seq.BasicDecoder(
        cell, helper, cell.zero_state(2, tf.float32)))[0].rnn_output

  class Owner(tf.Module):
    @tf1scope.track_tf1_style_variables
    def __call__(self):
      return decode()
  with pytest.raises(ValueError, match="^maximum_iterations is required for "
                     "XLA compilation.$"):
    tf.function(Owner().__call__, jit_compile=True, autograph=False)()


def test_every_case_and_program_has_a_tf1_reference():
  assert sorted(SEQ2SEQ.cases) == sorted(SEQ2SEQ.meta["cases"])
  assert sorted(PROGRAMS) == sorted(SEQ2SEQ.meta["programs"])


def test_every_public_name_is_in_a_stored_case():
  """A public name of tf1scope.seq2seq without a TF1 reference fails here."""
  source = "\n".join(
      str(c.build.__code__.co_names) + str(c.build.__code__.co_consts)
      for c in SEQ2SEQ.cases.values())
  code = [fn.__code__ for fn in PROGRAMS.values()]
  for c in SEQ2SEQ.cases.values():
    code.append(c.build.__code__)
    for const in c.build.__code__.co_consts:
      if hasattr(const, "co_names"):
        code.append(const)
  for fn in vars(seq2seq_cases).values():
    if hasattr(fn, "__code__"):
      code.append(fn.__code__)
      code.extend(c for c in fn.__code__.co_consts if hasattr(c, "co_names"))
  source += "\n".join(str(c.co_names) for c in code)
  interfaces = {"AttentionMechanism", "Decoder", "Helper",
                "AttentionWrapperState", "BasicDecoderOutput",
                "BeamSearchDecoderOutput", "BeamSearchDecoderState",
                "FinalBeamSearchDecoderOutput"}
  missing = {n for n in seq2seq.__all__
             if n not in source and n not in interfaces}
  assert not missing, f"no case uses {sorted(missing)}"


def _program(name):
  fn = PROGRAMS[name]
  return lambda: seq2seq_cases.describe(fn, NAMESPACE)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_mode_builds_what_tf1s_seq2seq_built(name):
  SEQ2SEQ.assert_program_matches(name, _program(name))


# Programs whose eager error is not graph mode's, and why: eagerly, ops run
# at once and tensors have no names.
EAGER_ERRORS = {
    "error_clone_with_another_shape": (
        ValueError, "The shape of the AttentionWrapperState is expected to be "
        "same as the one to clone.",
        "graph mode names the tensor ('Invalid shape for tensor ones_1:0'); "
        "an eager tensor has no name, so the message is TF1's own eager one"),
    "error_beam_not_tiled": (
        tf.errors.InvalidArgumentError, "Input to reshape is a tensor with 6 "
        "values, but the requested shape has 18",
        "graph mode fails in shape inference (ValueError naming the graph "
        "node); eagerly the Reshape op itself fails"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  modes = ("function",) if name in EAGER_ERRORS else ("eager", "function")
  oracle.assert_matches_graph(_program(name), modes=modes, with_values=False)


@pytest.mark.parametrize("name", sorted(EAGER_ERRORS))
def test_eager_errors_that_cannot_be_graph_modes(name):
  error, message, why = EAGER_ERRORS[name]
  got = oracle.run(_program(name), "eager", with_values=False)
  assert got.error is not None, why
  assert issubclass(got.error[0], error) and message in got.error[1], got.error


@pytest.mark.parametrize("name", sorted(seq2seq_cases.GATHER_TREE_ERRORS))
@pytest.mark.parametrize("mode", ("eager", "function"))
def test_gather_tree_refuses_invalid_parents_as_tf1s_kernel(name, mode):
  ids, parents, lengths = seq2seq_cases.GATHER_TREE_ERRORS[name]
  want = SEQ2SEQ.meta["gather_tree_errors"][name]

  def run():
    return seq2seq.gather_tree(ids, parents, lengths, seq2seq_cases.END)
  if mode == "function":
    run = tf.function(run)
  if "error" in want:
    with pytest.raises(tf.errors.InvalidArgumentError) as raised:
      run()
    if mode == "eager":   # the kernel's message, exactly
      assert raised.value.message == want["error"][1]
    else:   # a graph's assert: "assertion failed: [<the kernel's message>]"
      assert want["error"][1] in raised.value.message, raised.value.message
  else:
    assert run().numpy().tolist() == want["beams"]


# --- Training, through unchanged TF1 code --------------------------------------------


class Translator(tf.Module):
  """An NMT-tutorial style model: ``import tf1scope.compat.v1 as tf``, then TF1 code."""

  def __init__(self, vocab=9, units=8):
    super().__init__()
    self.vocab, self.units = vocab, units

  @tf1scope.track_tf1_style_variables
  def __call__(self, source, source_lengths, target_in, target_lengths):
    tf = tf1   # pylint: disable=redefined-outer-name,invalid-name
    embedding = tf.get_variable("embedding", [self.vocab, self.units])
    with tf.variable_scope("encoder"):
      encoder_outputs, encoder_state = tf.nn.dynamic_rnn(
          tf.nn.rnn_cell.LSTMCell(self.units),
          tf.nn.embedding_lookup(embedding, source),
          sequence_length=source_lengths, dtype=tf.float32)
    with tf.variable_scope("decoder"):
      attention = tf.contrib.seq2seq.BahdanauAttention(
          self.units, encoder_outputs, memory_sequence_length=source_lengths)
      cell = tf.contrib.seq2seq.AttentionWrapper(
          tf.nn.rnn_cell.LSTMCell(self.units), attention,
          attention_layer_size=self.units)
      initial = cell.zero_state(tf.shape(source)[0], tf.float32).clone(
          cell_state=encoder_state)
      helper = tf.contrib.seq2seq.TrainingHelper(
          tf.nn.embedding_lookup(embedding, target_in), target_lengths)
      decoder = tf.contrib.seq2seq.BasicDecoder(
          cell, helper, initial,
          output_layer=tf.layers.Dense(self.vocab, name="output_projection"))
      outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(decoder)
    return outputs.rnn_output


def _copy_task(n=32, steps=5, vocab=9, seed=0):
  """Reverse a sequence of tokens 3..vocab-1 (1 starts the target)."""
  rng = np.random.default_rng(seed)
  source = rng.integers(3, vocab, size=(n, steps)).astype("int32")
  target = source[:, ::-1]
  target_in = np.concatenate([np.ones((n, 1), "int32"), target[:, :-1]], 1)
  lengths = np.full([n], steps, "int32")
  return source, lengths, target_in, target


def test_an_attention_model_trains_with_a_tf2_optimizer_in_tf_function():
  tf.random.set_seed(0)   # the initial values, so the run is the same every time
  model = Translator()
  source, lengths, target_in, target = _copy_task()
  optimizer = tf.keras.optimizers.Adam(0.05)
  weights = tf.ones(target.shape)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      logits = model(source, lengths, target_in, lengths)
      loss = tf1.contrib.seq2seq.sequence_loss(logits, target, weights)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  losses = [float(step()) for _ in range(80)]
  assert losses[-1] < 0.3 * losses[0], losses[::10]
  names = list(tf1scope.variables_by_name(model))
  assert names == [
      "embedding", "encoder/rnn/lstm_cell/kernel", "encoder/rnn/lstm_cell/bias",
      "decoder/memory_layer/kernel",
      "decoder/decoder/attention_wrapper/lstm_cell/kernel",
      "decoder/decoder/attention_wrapper/lstm_cell/bias",
      "decoder/decoder/attention_wrapper/bahdanau_attention/query_layer/kernel",
      "decoder/decoder/attention_wrapper/bahdanau_attention/attention_v",
      "decoder/decoder/attention_wrapper/attention_layer/kernel",
      "decoder/decoder/output_projection/kernel",
      "decoder/decoder/output_projection/bias"]
  # Eager calls use the same variables and give what the function gives.
  eager = model(source[:2], lengths[:2], target_in[:2], lengths[:2])
  traced = tf.function(model.__call__)(source[:2], lengths[:2], target_in[:2],
                                       lengths[:2])
  np.testing.assert_allclose(eager.numpy(), traced.numpy(), rtol=1e-5,
                             atol=1e-5)
  assert len(tf1scope.variables_by_name(model)) == len(names)


def test_tf1_checkpoint_names_are_the_contrib_ones():
  """A checkpoint written by TF1's contrib model loads by name: the names are TF1's."""
  model = Translator()
  source, lengths, target_in, _ = _copy_task(n=2)
  model(source, lengths, target_in, lengths)
  want = [record[1][:-2] for record in
          SEQ2SEQ.meta["cases"]["attention_bahdanau"]["variables"]]
  # TF1's case (no encoder, no outer scope) names them as the model does
  # below "decoder/".
  got = [name[len("decoder/"):] for name in tf1scope.variables_by_name(model)
         if name.startswith("decoder/")]
  assert got[:6] == want[:6] and got[6:] == [
      "decoder/output_projection/kernel", "decoder/output_projection/bias"]
  assert want == [
      "memory_layer/kernel", "decoder/attention_wrapper/lstm_cell/kernel",
      "decoder/attention_wrapper/lstm_cell/bias",
      "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel",
      "decoder/attention_wrapper/bahdanau_attention/attention_v",
      "decoder/attention_wrapper/attention_layer/kernel",
      "decoder/projection/kernel", "decoder/projection/bias"]


def test_contrib_seq2seq_is_tf1scope_seq2seq():
  assert tf1.contrib.seq2seq is seq2seq
  assert tf1.contrib.seq2seq.BeamSearchDecoder is seq2seq.BeamSearchDecoder
