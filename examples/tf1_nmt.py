"""A TF1 NMT-tutorial style translator (``tf.contrib.seq2seq`` + ``tf.contrib.rnn``), trained in TF2.

The model code is TF1 code as the NMT tutorial wrote it: an embedding, a
bidirectional encoder of ``tf.contrib.rnn.LayerNormBasicLSTMCell``\\ s, a
decoder ``AttentionWrapper`` over a fused ``tf.contrib.rnn.LSTMBlockCell``
with Bahdanau attention, ``TrainingHelper`` + ``BasicDecoder`` +
``dynamic_decode`` for training, ``sequence_loss``, and greedy and beam-search
decoding (``tile_batch``, ``BeamSearchDecoder``) for inference. The only
changes are the import and one decorator. It learns to reverse sequences of
tokens, then writes a TF1 checkpoint whose names are the tutorial's.

Run:  python examples/tf1_nmt.py
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf2  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.compat.v1 as tf  # noqa: E402  (tf.contrib.seq2seq and tf.contrib.rnn included)

VOCAB, UNITS, STEPS = 12, 32, 6
SOS, EOS = 1, 2            # tokens 3..VOCAB-1 are the words
BEAM = 3


# --- TF1 model code, unchanged ---------------------------------------------------

def translate(source, source_lengths, target_in=None, target_lengths=None,
              mode="train"):
  seq2seq = tf.contrib.seq2seq
  batch = tf.shape(source)[0]
  embedding = tf.get_variable("embedding", [VOCAB, UNITS])
  with tf.variable_scope("encoder"):
    (fw, bw), (state_fw, _) = tf.nn.bidirectional_dynamic_rnn(
        tf.contrib.rnn.LayerNormBasicLSTMCell(UNITS),
        tf.contrib.rnn.LayerNormBasicLSTMCell(UNITS),
        tf.nn.embedding_lookup(embedding, source),
        sequence_length=source_lengths, dtype=tf.float32)
    memory = tf.concat([fw, bw], -1)
  with tf.variable_scope("decoder"):
    projection = tf.layers.Dense(VOCAB, use_bias=False,
                                 name="output_projection")
    width = BEAM if mode == "beam" else 1
    memory = seq2seq.tile_batch(memory, width)
    attention = seq2seq.BahdanauAttention(
        UNITS, memory,
        memory_sequence_length=seq2seq.tile_batch(source_lengths, width))
    cell = seq2seq.AttentionWrapper(
        tf.contrib.rnn.LSTMBlockCell(UNITS), attention,
        attention_layer_size=UNITS, name="attention")
    initial = cell.zero_state(batch * width, tf.float32).clone(
        cell_state=seq2seq.tile_batch(state_fw, width))
    if mode == "train":
      helper = seq2seq.TrainingHelper(
          tf.nn.embedding_lookup(embedding, target_in), target_lengths)
      decoder = seq2seq.BasicDecoder(cell, helper, initial,
                                     output_layer=projection)
      outputs, _, _ = seq2seq.dynamic_decode(decoder)
      return outputs.rnn_output
    start = tf.fill([batch], SOS)
    if mode == "greedy":
      decoder = seq2seq.BasicDecoder(
          cell, seq2seq.GreedyEmbeddingHelper(embedding, start, EOS), initial,
          output_layer=projection)
      outputs, _, _ = seq2seq.dynamic_decode(decoder,
                                             maximum_iterations=STEPS + 1)
      return outputs.sample_id
    decoder = seq2seq.BeamSearchDecoder(
        cell, embedding, start, EOS, initial, BEAM, output_layer=projection,
        length_penalty_weight=0.5)
    outputs, _, _ = seq2seq.dynamic_decode(decoder,
                                           maximum_iterations=STEPS + 1)
    return outputs.predicted_ids[:, :, 0]     # the best beam


# --- TF2 around it -------------------------------------------------------------------

class Translator(tf2.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, *args, mode="train"):
    return translate(*args, mode=mode)


def data(n, seed):
  rng = np.random.default_rng(seed)
  source = rng.integers(3, VOCAB, size=(n, STEPS)).astype("int32")
  target = np.concatenate([source[:, ::-1], np.full((n, 1), EOS)], 1)
  target_in = np.concatenate([np.full((n, 1), SOS), target[:, :-1]], 1)
  lengths = np.full([n], STEPS, "int32")
  return source, lengths, target_in.astype("int32"), target.astype("int32")


def main():
  tf2.random.set_seed(0)
  model = Translator()
  optimizer = tf2.keras.optimizers.Adam(0.01)
  source, lengths, target_in, target = data(2048, seed=0)
  weights = np.ones(target.shape, "float32")
  spec = tf2.TensorSpec([None, None], tf2.int32)
  length_spec = tf2.TensorSpec([None], tf2.int32)

  @tf2.function(input_signature=[spec, length_spec, spec, spec])
  def train_step(src, src_len, tgt_in, tgt):
    with tf2.GradientTape() as tape:
      logits = model(src, src_len, tgt_in, src_len + 1)
      loss = tf.contrib.seq2seq.sequence_loss(logits, tgt, weights[:64])
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  for step in range(200):
    i = (step * 64) % len(source)
    loss = float(train_step(source[i:i + 64], lengths[i:i + 64],
                            target_in[i:i + 64], target[i:i + 64]))
    if step % 50 == 0 or step == 199:
      print(f"step {step:3d}  loss {loss:.4f}")

  test_source, test_lengths, _, test_target = data(64, seed=1)
  greedy = tf2.function(lambda s, n: model(s, n, mode="greedy"))(
      test_source, test_lengths).numpy()
  beam = tf2.function(lambda s, n: model(s, n, mode="beam"))(
      test_source, test_lengths).numpy()
  greedy_accuracy = float(np.mean(greedy[:, :STEPS + 1] == test_target))
  beam_accuracy = float(np.mean(beam[:, :STEPS + 1] == test_target))
  print(f"token accuracy on new sequences: greedy {greedy_accuracy:.3f}, "
        f"beam search {beam_accuracy:.3f}")
  assert greedy_accuracy > 0.9 and beam_accuracy > 0.9

  names = list(tf1scope.variables_by_name(model))
  print(f"{len(names)} TF1 variables, for example:")
  for name in names[:2] + names[-4:]:
    print("  ", name)
  assert "decoder/memory_layer/kernel" in names
  assert ("decoder/decoder/attention/bahdanau_attention/attention_v" in names)
  assert "decoder/decoder/attention/lstm_cell/kernel" in names
  assert ("encoder/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/"
          "state/gamma") in names
  path = tf1scope.save_tf1_checkpoint(
      model, os.path.join(tempfile.mkdtemp(), "translate.ckpt"))
  saved = {name for name, _ in tf2.train.list_variables(path)}
  assert set(names) <= saved
  print("TF1 checkpoint:", path)


if __name__ == "__main__":
  main()
