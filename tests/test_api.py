"""The public functions: variables_by_name, regularization_losses, get_or_create_layer."""

import numpy as np
import pytest
import tensorflow as tf

import tf1scope

v1 = tf.compat.v1


class Block(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    with v1.variable_scope("block"):
      dense = tf1scope.get_or_create_layer(
          "proj", lambda: tf.keras.layers.Dense(2, kernel_initializer="ones"))
      g = v1.get_variable("gain", [2], initializer=v1.ones_initializer(),
                          regularizer=lambda w: tf.reduce_sum(w))
      t = tf.Variable(3.0, name="temperature", trainable=False)
      return dense(x) * g / t, dense


def test_variables_by_name_lists_tf1_names_in_creation_order():
  m = Block()
  m(tf.ones([1, 3]))
  # The Keras layer builds when first called, after gain and temperature; its
  # variables take the TF1 name scope it is called in.
  assert list(tf1scope.variables_by_name(m)) == [
      "block/gain", "block/temperature", "block/dense/kernel", "block/dense/bias"]


def test_get_or_create_layer_makes_one_object_per_scope_path_and_tracks_it():
  m = Block()
  _, first = m(tf.ones([1, 3]))
  _, second = m(tf.ones([1, 3]))
  assert first is second
  assert len(m.variables) == 4  # dense kernel + bias, gain, temperature
  kernel = [v for v in m.variables if v.shape == (3, 2)]
  assert len(kernel) == 1
  np.testing.assert_allclose(kernel[0].numpy(), np.ones([3, 2]))


def test_get_or_create_layer_differs_per_scope():
  class Two(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      made = []
      for scope in ("a", "b", "a"):
        with v1.variable_scope(scope, reuse=v1.AUTO_REUSE):
          made.append(tf1scope.get_or_create_layer("m", tf.Module))
      return made

  a, b, a_again = Two()()
  assert a is a_again and a is not b


def test_get_or_create_layer_outside_a_pass_names_the_decorator():
  with pytest.raises(tf1scope.NotInPassError, match="track_tf1_style_variables"):
    tf1scope.get_or_create_layer("x", tf.Module)


def test_regularization_losses_cover_nested_owners():
  class Outer(tf.Module):

    def __init__(self):
      super().__init__()
      self.inner = Block()

    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      w = v1.get_variable("w", [1], initializer=v1.constant_initializer(2.0),
                          regularizer=lambda w: 10.0 * tf.reduce_sum(w))
      return self.inner(x)[0] * w

  m = Outer()
  m(tf.ones([1, 3]))
  assert sorted(float(l) for l in tf1scope.regularization_losses(m)) == [2.0, 20.0]
  assert [float(l) for l in tf1scope.regularization_losses(m.inner)] == [2.0]


def test_auto_reuse_is_tf1s_object():
  assert tf1scope.AUTO_REUSE is v1.AUTO_REUSE
