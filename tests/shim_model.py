"""A TF1-style model as a tf_keras shim layer saved it, and as tf1scope restores it.

``make_shim_fixture.py`` runs :func:`body` in a tf_keras layer decorated
with ``tf.compat.v1.keras.utils.track_tf1_style_variables``, trains it one
step and saves ``tf.train.Checkpoint`` and ``save_weights`` files with the
values in ``fixtures/shim/values.json``; ``test_checkpoints.py`` restores
them into the same body under tf1scope.
"""

import os

import tensorflow as tf

v1 = tf.compat.v1

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "shim")


def body(layers, x):
  """TF1 code: get_variable with a regularizer, tf.layers.dense, a counter."""
  with v1.variable_scope("encoder", regularizer=lambda w: 1e-3 * tf.reduce_sum(w * w)):
    kernel = v1.get_variable("kernel", [3, 4])
    h = tf.nn.relu(tf.matmul(x, kernel))
    out = layers.dense(h, 2, name="head")
  calls = v1.get_variable("calls", [], trainable=False,
                          initializer=v1.zeros_initializer())
  return out, calls
