"""TF1 model code inside Keras 3: a Functional model trained by fit, saved and reloaded.

The TF1 functions below (get_variable, variable_scope, a scope regularizer,
tf1scope.layers for tf.compat.v1.layers) are unchanged. A
``tf1scope.VariableScopeLayer`` subclass calls them in ``forward_pass``; its
variables become the layer's Keras weights (with their TF1 names available
through ``tf1scope.variables_by_name``), its regularizers Keras losses, and the
model trains with ``compile``/``fit``, saves to a ``.keras`` file and reloads.

Run:  python examples/keras_layer.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tempfile  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import tf1scope  # noqa: E402
import tf1scope.layers as tf1_layers  # noqa: E402  (tf.compat.v1.layers)

v1 = tf.compat.v1


def tower(x, sizes, training):
  """A TF1 model function, as it was written for tf.Session days."""
  with v1.variable_scope("tower", regularizer=lambda w: 1e-4 * tf.nn.l2_loss(w)):
    for i, size in enumerate(sizes):
      with v1.variable_scope("layer%d" % i):
        w = v1.get_variable("weights", [x.shape[-1], size])
        b = v1.get_variable("biases", [size], initializer=v1.zeros_initializer())
        x = tf.nn.relu(tf.matmul(x, w) + b)
    x = tf1_layers.batch_normalization(x, training=training)
  return x


@keras.saving.register_keras_serializable("examples")
class Tower(tf1scope.VariableScopeLayer):
  """A Keras layer whose forward pass is the TF1 function above."""

  def __init__(self, sizes=(32, 32), **kwargs):
    super().__init__(**kwargs)
    self.sizes = tuple(sizes)

  def forward_pass(self, x, training=False):  # Keras passes `training` as to call
    return tower(x, self.sizes, training)

  def get_config(self):
    return {**super().get_config(), "sizes": list(self.sizes)}


def main(epochs=20):
  rng = np.random.default_rng(0)
  x = rng.normal(size=(512, 4)).astype("float32")
  y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32") + 0.1).astype("float32")

  inputs = keras.Input((4,))
  tower_layer = Tower(name="tower")
  outputs = keras.layers.Dense(1)(tower_layer(inputs))  # Keras and TF1 layers mix
  model = keras.Model(inputs, outputs)
  model.compile(keras.optimizers.Adam(0.01), "mse")
  model.summary()

  print("TF1 names of the tower's weights:")
  for name, weight in tf1scope.variables_by_name(tower_layer).items():
    print(f"  {name:42s} {str(weight.shape):10s} trainable={weight.trainable}")
  print(f"regularization losses in model.losses: {len(model.losses)}")

  history = model.fit(x, y, epochs=epochs, batch_size=64, verbose=0)
  losses = history.history["loss"]
  print(f"loss: epoch 1 {losses[0]:.4f}  ->  epoch {epochs} {losses[-1]:.4f}")

  path = os.path.join(tempfile.mkdtemp(), "tower.keras")
  model.save(path)
  reloaded = keras.models.load_model(path)
  same = np.array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
  print(f"saved to {path}; the reloaded model predicts the same: {same}")
  assert losses[-1] < losses[0] / 2, "training did not reduce the loss"
  assert same
  return losses[0], losses[-1]


if __name__ == "__main__":
  main()
