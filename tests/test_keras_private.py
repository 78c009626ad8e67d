"""Pins every Keras 3 internal tf1scope relies on (all used in tf1scope/_keras_private.py only).

If a Keras upgrade changes one of these behaviours, the failure is here, with
the name of the internal, rather than somewhere in the Keras tests.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tf1scope import _keras_private as private


class _Built(keras.layers.Layer):

  def build(self, input_shape):
    self.w = self.add_weight(shape=(1,), initializer="ones", name="w")

  def call(self, x):
    return x * self.w


def test_a_built_layer_refuses_new_state_and_state_unlocked_lifts_it():
  layer = _Built()
  layer(tf.ones([1]))
  with pytest.raises(ValueError, match="already built"):
    layer.add_weight(shape=(1,), name="late")
  with private.state_unlocked(layer):
    late = layer.add_weight(shape=(1,), name="late")
  assert late in layer.weights
  # The lock, and its message, are back.
  with pytest.raises(ValueError, match="already built"):
    layer.add_weight(shape=(1,), name="later")


def test_state_unlocked_leaves_an_unlocked_layer_unlocked():
  layer = _Built()
  with private.state_unlocked(layer):
    pass
  layer.add_weight(shape=(1,), name="free")  # not built yet: no lock


def test_keras_variable_wraps_a_tf_variable_without_copying():
  tf_var = tf.Variable([1.0, 2.0], name="scope/w")
  keras_var = keras.Variable(initializer=tf_var, dtype="float32", name="w")
  assert private.backing_variable(keras_var) is tf_var
  keras_var.assign([3.0, 4.0])
  np.testing.assert_allclose(tf_var.numpy(), [3.0, 4.0])
  tf_var.assign([5.0, 6.0])
  np.testing.assert_allclose(keras_var.numpy(), [5.0, 6.0])
  assert keras_var.handle is tf_var.handle


def test_a_stateless_scope_refuses_wrapping_and_outside_stateless_scope_allows_it():
  tf_var = tf.Variable([1.0])
  with keras.StatelessScope():
    with pytest.raises(ValueError, match="stateless scope"):
      keras.Variable(initializer=tf_var, dtype="float32", name="w")
    with private.outside_stateless_scope():
      keras_var = keras.Variable(initializer=tf_var, dtype="float32", name="w")
    # The scope is back: creating from a value is refused again.
    with pytest.raises(ValueError, match="stateless scope"):
      keras.Variable(initializer=tf_var, dtype="float32", name="w2")
  assert private.backing_variable(keras_var) is tf_var


def test_a_deferred_variable_has_no_backing_variable_yet():
  with keras.StatelessScope():
    deferred = keras.Variable(initializer="ones", shape=(2,), name="d")
    assert private.backing_variable(deferred) is None
  assert private.backing_variable(deferred) is not None  # initialized on exit


def test_track_variable_adds_a_weight_as_add_weight_does():
  layer = keras.layers.Layer()
  trainable = keras.Variable(initializer=tf.Variable([1.0]), name="a")
  frozen = keras.Variable(initializer=tf.Variable([1.0], trainable=False),
                          trainable=False, name="b")
  private.track_variable(layer, trainable)
  private.track_variable(layer, frozen)
  assert layer.weights == [trainable, frozen]
  assert layer.trainable_weights == [trainable]
  assert layer.non_trainable_weights == [frozen]


def test_sublayers_lists_nested_layers_without_the_layer():
  inner = keras.layers.Dense(1)
  middle = keras.Sequential([inner])
  outer = keras.layers.Layer()
  outer.middle = middle
  found = private.sublayers(outer)
  assert outer not in found
  assert middle in found and inner in found
