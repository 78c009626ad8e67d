"""A TF-Slim ResNet (``tf_slim.nets.resnet_v1``), trained in TF2 with its slim code unchanged.

The model function is slim code as it was written for TF1: ``arg_scope``
with ``resnet_arg_scope`` (batch normalization, weight decay) around
``resnet_v1``. The only changes are the import (``tf1scope.compat.slim``
instead of ``tf_slim``, which TensorFlow 2.21 breaks) and one decorator.
It trains under ``tf.function`` with a Keras optimizer on synthetic images,
then writes a TF1 checkpoint that a TF1 graph restores with ``Saver``.

Needs ``pip install tf-slim``.  Run:  python examples/tf1_slim.py
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.compat.slim as slim  # noqa: E402
from tf_slim.nets import resnet_v1  # noqa: E402


# --- TF1 slim model code, unchanged ------------------------------------------------

def resnet(images, is_training):
  blocks = [resnet_v1.resnet_v1_block("block1", base_depth=4, num_units=2,
                                      stride=2),
            resnet_v1.resnet_v1_block("block2", base_depth=8, num_units=2,
                                      stride=1)]
  with slim.arg_scope(resnet_v1.resnet_arg_scope(weight_decay=1e-4,
                                                 batch_norm_decay=0.9)):
    logits, _ = resnet_v1.resnet_v1(images, blocks, num_classes=3,
                                    is_training=is_training, scope="resnet")
  return tf.squeeze(logits, [1, 2])


# --- TF2 around it -------------------------------------------------------------------

class Classifier(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, images, is_training):
    return resnet(images, is_training)


def images(n, seed):
  """Noise with a bright square in one of three places: the label."""
  rng = np.random.default_rng(seed)
  labels = rng.integers(0, 3, size=n)
  x = rng.normal(scale=0.3, size=(n, 16, 16, 3)).astype("float32")
  for i, label in enumerate(labels):
    x[i, 2 + 4 * label:6 + 4 * label, 2 + 4 * label:6 + 4 * label] += 1.5
  return x, labels.astype("int32")


def main():
  model = Classifier()
  x, y = images(256, seed=0)
  test_x, test_y = images(128, seed=1)
  optimizer = tf.keras.optimizers.Adam(0.01)

  @tf.function(autograph=False)
  def train_step(x, y):
    with tf.GradientTape() as tape:
      logits = model(x, True)
      loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
          labels=y, logits=logits))
      loss += tf.add_n(tf1scope.regularization_losses(model))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  predict = tf.function(lambda x: model(x, False), autograph=False)
  for epoch in range(4):
    for start in range(0, 256, 32):
      loss = train_step(x[start:start + 32], y[start:start + 32])
    print(f"epoch {epoch}: loss {float(loss):.3f}")
  test_logits = predict(test_x).numpy()
  accuracy = float(np.mean(test_logits.argmax(-1) == test_y))
  names = list(tf1scope.variables_by_name(model))
  print(f"{len(names)} TF1 variables, e.g. {names[1]}; "
        f"held-out accuracy {accuracy:.3f}")
  assert "resnet/block1/unit_1/bottleneck_v1/conv1/BatchNorm/moving_mean" in names
  assert accuracy > 0.9, accuracy

  checkpoint = os.path.join(tempfile.mkdtemp(), "resnet.ckpt")
  tf1scope.save_tf1_checkpoint(model, checkpoint)
  with tf.Graph().as_default():                 # TF1 itself, from the checkpoint
    logits = resnet(tf.constant(test_x), is_training=False)
    with tf.compat.v1.Session() as session:
      tf.compat.v1.train.Saver().restore(session, checkpoint)
      graph_logits = session.run(logits)
  np.testing.assert_allclose(graph_logits, test_logits, rtol=1e-4, atol=1e-4)
  print("a TF1 graph restored from the checkpoint gives the same logits")


if __name__ == "__main__":
  main()
