"""Quickstart: an unchanged TF1-style model, trained with a TF2 optimizer under tf.function.

The model below is written the TF1 way (get_variable, variable_scope, reuse,
a regularizer, collections). One decorator makes it a TF2 tf.Module: its
variables are created on the first call and trained by a Keras 3 optimizer.

Run:  python examples/quickstart.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import tf1scope  # noqa: E402

v1 = tf.compat.v1


def mlp(x, sizes, reuse=None):
  """A TF1 model function, as it was written for tf.Session days."""
  with v1.variable_scope("mlp", reuse=reuse, regularizer=lambda w: 1e-4 * tf.nn.l2_loss(w)):
    for i, size in enumerate(sizes):
      with v1.variable_scope("layer%d" % i):
        w = v1.get_variable("weights", [x.shape[-1], size],
                            initializer=v1.glorot_uniform_initializer(seed=i))
        b = v1.get_variable("biases", [size], initializer=v1.zeros_initializer())
        x = tf.matmul(x, w) + b
        if i < len(sizes) - 1:
          x = tf.nn.relu(x)
  return x


class Regressor(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    prediction = mlp(x, [32, 32, 1])
    # TF1 collections are available inside the pass, as in a graph:
    reg = tf.add_n(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES))
    return prediction, reg


def main(steps=200):
  rng = np.random.default_rng(0)
  x = rng.normal(size=(256, 4)).astype("float32")
  y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32") + 0.1).astype("float32")

  model = Regressor()
  optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)

  @tf.function
  def train_step(xb, yb):
    with tf.GradientTape() as tape:
      prediction, reg = model(xb)
      loss = tf.reduce_mean(tf.square(prediction - yb)) + reg
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  first = None
  for step in range(steps):
    loss = float(train_step(x, y))
    first = loss if first is None else first
    if step % 50 == 0 or step == steps - 1:
      print(f"step {step:4d}  loss {loss:.5f}")
  print("TF1 variable names:")
  for name, var in tf1scope.variables_by_name(model).items():
    print(f"  {name:24s} {var.shape}")
  assert loss < first, "training did not reduce the loss"
  return first, loss


if __name__ == "__main__":
  main()
