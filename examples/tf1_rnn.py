"""A TF1-style LSTM classifier (``tf.nn.rnn_cell`` + ``tf.nn.dynamic_rnn``), trained in TF2.

The model code is TF1 code as it was written: a two-layer ``MultiRNNCell`` of
``LSTMCell``s with ``DropoutWrapper``, ``dynamic_rnn`` with
``sequence_length``, a ``tf.layers.dense`` head. The only changes are the
import (``tf1scope.compat.v1`` is ``tf.compat.v1`` with ``tf.layers`` and
``tf.nn.rnn_cell`` restored) and one decorator. On synthetic sequences of
varying length it learns whether the sum of the valid steps is positive.

Run:  python examples/tf1_rnn.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf2  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.compat.v1 as tf  # noqa: E402  (TF1 names, tf.nn.rnn_cell included)


# --- TF1 model code, unchanged ---------------------------------------------------

def classifier(sequences, lengths, keep_prob):
  with tf.variable_scope("classifier"):
    cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(16),
                                           output_keep_prob=keep_prob)
             for _ in range(2)]
    cell = tf.nn.rnn_cell.MultiRNNCell(cells)
    _, state = tf.nn.dynamic_rnn(cell, sequences, sequence_length=lengths,
                                 dtype=tf.float32)
    return tf.squeeze(tf.layers.dense(state[-1].h, 1), -1)


# --- TF2 around it -------------------------------------------------------------------

class Model(tf2.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, sequences, lengths, keep_prob):
    return classifier(sequences, lengths, keep_prob)


def data(n, steps=12, seed=0):
  rng = np.random.default_rng(seed)
  x = rng.normal(size=(n, steps, 1)).astype("float32")
  lengths = rng.integers(3, steps + 1, size=n).astype("int32")
  mask = np.arange(steps)[None, :] < lengths[:, None]
  x *= mask[:, :, None]
  y = (x.sum(axis=(1, 2)) > 0).astype("float32")
  return x, lengths, y


def main():
  model = Model()
  x, lengths, y = data(256)
  optimizer = tf2.keras.optimizers.Adam(0.01)

  @tf2.function
  def train_step(xb, lb, yb):
    with tf2.GradientTape() as tape:
      logits = model(xb, lb, 0.9)
      loss = tf2.reduce_mean(
          tf2.nn.sigmoid_cross_entropy_with_logits(labels=yb, logits=logits))
    variables = model.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss

  losses = []
  for step in range(150):
    i = (step * 32) % 256
    losses.append(float(train_step(x[i:i + 32], lengths[i:i + 32],
                                   y[i:i + 32])))
    if step % 50 == 0 or step == 149:
      print(f"step {step:3d}  loss {losses[-1]:.4f}")
  tx, tl, ty = data(256, seed=1)
  accuracy = float(np.mean((model(tx, tl, 1.0).numpy() > 0) == ty))
  print(f"held-out accuracy {accuracy:.3f}")
  print("TF1 variable names:")
  for name in tf1scope.variables_by_name(model):
    print("  " + name)
  assert np.mean(losses[-10:]) < 0.6 * np.mean(losses[:10]), "loss did not fall"
  assert accuracy > 0.85, accuracy
  assert "classifier/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel" in (
      tf1scope.variables_by_name(model))


if __name__ == "__main__":
  main()
