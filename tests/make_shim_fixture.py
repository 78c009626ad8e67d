"""Regenerates tests/fixtures/shim/: checkpoints written by tf_keras's track_tf1_style_variables.

    pip install tf_keras==2.21.0
    python tests/make_shim_fixture.py

Saves, after one SGD step on fixed data: a ``tf.train.Checkpoint`` of one
shim layer (``layer``), one of a tf_keras model holding two (``model``,
at ``model/first`` and ``model/second``), and the model's ``save_weights``
(``weights``, at ``first`` and ``second``); ``values.json`` has every
variable's value by TF1 name, per layer. Re-runs itself with
``TF_USE_LEGACY_KERAS=1``.
"""

import json
import os
import shutil
import sys


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_layers_fixture import with_legacy_keras  # noqa: E402  pylint: disable=g-import-not-at-top,wrong-import-position


def main():
  with_legacy_keras(__file__, generate)


def generate():
  import numpy as np  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import tf_keras  # pylint: disable=g-import-not-at-top
  import shim_model  # pylint: disable=g-import-not-at-top
  v1 = tf.compat.v1
  tf.random.set_seed(0)

  class Shim(tf_keras.layers.Layer):

    @v1.keras.utils.track_tf1_style_variables
    def call(self, x):
      out, calls = shim_model.body(v1.layers, x)
      calls.assign_add(1.0)
      return out

  class Pair(tf_keras.Model):

    def __init__(self):
      super().__init__()
      self.first = Shim()
      self.second = Shim()

    def call(self, x):
      return self.first(x) + self.second(x)

  x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)

  def trained(model):
    model(x)
    optimizer = tf_keras.optimizers.SGD(0.1)
    with tf.GradientTape() as tape:
      loss = tf.reduce_sum(model(x)) + tf.add_n(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return model

  def values(layer):
    return {v.name[:-2]: np.asarray(v.numpy()).tolist() for v in layer.weights}

  out = shim_model.FIXTURE
  shutil.rmtree(out, ignore_errors=True)
  os.makedirs(out)
  layer = trained(Shim())
  tf.train.Checkpoint(model=layer).write(os.path.join(out, "layer"))
  pair = trained(Pair())
  tf.train.Checkpoint(model=pair).write(os.path.join(out, "model"))
  pair.save_weights(os.path.join(out, "weights"), save_format="tf")
  for name in os.listdir(out):
    if name == "checkpoint":
      os.remove(os.path.join(out, name))
  with open(os.path.join(out, "values.json"), "w") as f:
    json.dump({"layer": values(layer), "first": values(pair.first),
               "second": values(pair.second),
               "tf_keras": tf_keras.__version__}, f, indent=1, sort_keys=True)
    f.write("\n")
  print("wrote", sorted(os.listdir(out)))


if __name__ == "__main__":
  main()
