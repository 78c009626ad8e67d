"""A TF1-style CNN built with ``tf.layers``, trained in TF2 under tf.function.

The model code below is TF1 code as it was written for ``tf.Session`` days:
``tf.layers.conv2d``, ``batch_normalization`` with ``training``, ``dropout``,
a kernel regularizer collected from ``REGULARIZATION_LOSSES``. The only
changes are the import (``tf1scope.compat.v1`` is ``tf.compat.v1`` with
``tf.layers`` restored) and one decorator on a ``tf.Module`` method. It learns
to tell horizontal from vertical stripes in synthetic 16x16 images.

Run:  python examples/tf1_cnn.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf2  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.compat.v1 as tf  # noqa: E402  (TF1 names, tf.layers included)


# --- TF1 model code, unchanged ---------------------------------------------------

def cnn(images, training):
  with tf.variable_scope("cnn"):
    x = tf.layers.conv2d(images, 8, 3, padding="same", activation=tf.nn.relu)
    x = tf.layers.batch_normalization(x, momentum=0.9, training=training)
    x = tf.layers.max_pooling2d(x, 2, 2)
    x = tf.layers.conv2d(x, 16, 3, padding="same", activation=tf.nn.relu)
    x = tf.layers.max_pooling2d(x, 2, 2)
    x = tf.layers.flatten(x)
    x = tf.layers.dense(x, 32, activation=tf.nn.relu,
                        kernel_regularizer=lambda w: 1e-4 * tf.nn.l2_loss(w))
    x = tf.layers.dropout(x, rate=0.3, training=training)
    return tf.layers.dense(x, 2)


def model_loss(images, labels, training):
  logits = cnn(images, training)
  loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
  loss += tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
  accuracy = tf.reduce_mean(
      tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32), labels),
              tf.float32))
  return loss, accuracy


# --- The TF2 side ----------------------------------------------------------------

class StripeClassifier(tf2.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, images, labels, training):
    return model_loss(images, labels, training)


def stripes(n, rng):
  """Images of horizontal (label 0) or vertical (label 1) stripes, with noise."""
  labels = rng.integers(0, 2, size=n).astype("int32")
  phase = rng.integers(0, 4, size=n)
  grid = np.arange(16)
  images = np.empty((n, 16, 16, 1), "float32")
  for i in range(n):
    wave = ((grid + phase[i]) // 2 % 2).astype("float32")
    images[i, :, :, 0] = wave[:, None] if labels[i] == 0 else wave[None, :]
  images += rng.normal(scale=0.3, size=images.shape).astype("float32")
  return images, labels


def main(steps=40, batch_size=32):
  rng = np.random.default_rng(0)
  model = StripeClassifier()
  optimizer = tf2.keras.optimizers.Adam(learning_rate=0.01)

  # TF1 graph code needs no autograph (it never had it): turning it off keeps
  # the first trace fast.
  @tf2.function(autograph=False)
  def train_step(images, labels):
    with tf2.GradientTape() as tape:
      loss, accuracy = model(images, labels, training=True)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, accuracy

  evaluate = tf2.function(lambda x, y: model(x, y, training=False),
                          autograph=False)
  losses = []
  for step in range(steps):
    images, labels = stripes(batch_size, rng)
    loss, accuracy = train_step(images, labels)
    losses.append(float(loss))
    if step % 10 == 0 or step == steps - 1:
      print(f"step {step:3d}  loss {float(loss):.4f}  "
            f"batch accuracy {float(accuracy):.2f}")
  test_images, test_labels = stripes(256, rng)
  test_loss, test_accuracy = evaluate(test_images, test_labels)
  print(f"held-out loss {float(test_loss):.4f}  "
        f"accuracy {float(test_accuracy):.2f}")
  print("TF1 variables:")
  for name, var in tf1scope.variables_by_name(model).items():
    print(f"  {name:40s} {var.shape}  trainable={var.trainable}")
  return losses, float(test_accuracy)


if __name__ == "__main__":
  train_losses, held_out_accuracy = main()
  assert train_losses[-1] < train_losses[0] and held_out_accuracy > 0.9, (
      train_losses, held_out_accuracy)
