"""A TF1 training script whose model function builds its own train op, run in TF2.

The model function is TF1 code as it was written for a graph and a session:
``tf.layers`` with batch renormalization, ``tf.losses`` with the collected
regularization losses, a global step, ``exponential_decay``, the
``UPDATE_OPS`` dependency and ``AdamOptimizer(...).minimize``. The only
changes are the import and one decorator; the step runs under
``tf.function``. Afterwards the trained model, Adam's slots and the global
step go to a TF1 name-based checkpoint, and a TF1 graph with a ``Saver``
restores it and gets the same loss.

Run:  python examples/tf1_train_op.py
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf2  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.compat.v1 as tf  # noqa: E402  (TF1 names, tf.layers included)


# --- TF1 model code, unchanged ---------------------------------------------------

def model_fn(features, labels, training):
  l2 = lambda w: 1e-4 * tf.nn.l2_loss(w)  # noqa: E731
  net = tf.layers.dense(features, 32, activation=tf.nn.relu,
                        kernel_regularizer=l2, name="hidden")
  net = tf.layers.batch_normalization(net, renorm=True, training=training)
  logits = tf.layers.dense(net, 3, kernel_regularizer=l2, name="logits")
  loss = (tf.losses.sparse_softmax_cross_entropy(labels, logits) +
          tf.losses.get_regularization_loss())
  accuracy = tf.reduce_mean(tf.cast(
      tf.equal(tf.argmax(logits, -1, output_type=tf.int32), labels),
      tf.float32))
  if not training:
    return loss, accuracy
  global_step = tf.train.get_or_create_global_step()
  learning_rate = tf.train.exponential_decay(0.05, global_step, 100, 0.5)
  with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(
        loss, global_step=global_step)
  with tf.control_dependencies([train_op]):
    return tf.identity(loss), accuracy


# --- TF2 around it -------------------------------------------------------------------

class Trainer(tf2.Module):

  @tf1scope.track_tf1_style_variables
  def train(self, features, labels):
    return model_fn(features, labels, training=True)

  @tf1scope.track_tf1_style_variables
  def evaluate(self, features, labels):
    return model_fn(features, labels, training=False)


def blobs(n, seed):
  rng = np.random.default_rng(seed)
  labels = rng.integers(0, 3, size=n).astype("int32")
  centers = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]], "float32")
  features = centers[labels] + rng.normal(scale=0.8, size=(n, 2))
  return features.astype("float32"), labels


def tf1_graph_loss(checkpoint, features, labels):
  """What TF1 itself computes from the checkpoint: a graph, a Saver, a session."""
  with tf2.Graph().as_default():
    loss, _ = model_fn(tf.constant(features), tf.constant(labels),
                       training=False)
    tf.train.get_or_create_global_step()
    with tf.Session() as session:
      tf.train.Saver().restore(session, checkpoint)
      return session.run(loss)


def main():
  trainer = Trainer()
  features, labels = blobs(512, seed=0)
  test_features, test_labels = blobs(256, seed=1)
  train = tf2.function(trainer.train, autograph=False)
  evaluate = tf2.function(trainer.evaluate, autograph=False)
  first_loss = None
  for step in range(300):
    batch = slice((step * 64) % 512, (step * 64) % 512 + 64)
    loss, _ = train(features[batch], labels[batch])
    first_loss = float(loss) if first_loss is None else first_loss
  test_loss, accuracy = evaluate(test_features, test_labels)
  names = list(tf1scope.variables_by_name(trainer))
  print("variables:", ", ".join(names))
  print(f"loss {first_loss:.3f} -> {float(loss):.3f}; "
        f"held-out accuracy {float(accuracy):.3f}")
  step = tf1scope.variables_by_name(trainer)["global_step"]
  assert int(step.numpy()) == 300
  assert "hidden/kernel/Adam" in names and "batch_normalization/renorm_mean" in names
  assert float(accuracy) > 0.9, float(accuracy)

  checkpoint = os.path.join(tempfile.mkdtemp(), "model.ckpt")
  tf1scope.save_tf1_checkpoint(trainer, checkpoint)
  tf1_loss = tf1_graph_loss(checkpoint, test_features, test_labels)
  print(f"held-out loss: {float(test_loss):.5f} here, {tf1_loss:.5f} in a TF1 "
        "graph restored from the checkpoint")
  np.testing.assert_allclose(tf1_loss, float(test_loss), rtol=1e-5)


if __name__ == "__main__":
  main()
