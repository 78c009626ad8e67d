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


class _Lazy(keras.layers.Layer):
  """A Keras layer that makes its weight in its first call."""

  def call(self, x):
    if not self.weights:
      with private.state_unlocked(self):
        self.w = self.add_weight(shape=(1,), initializer="ones", name="w")
    return x * self.w


class _HoldsLazy(keras.Model):

  def __init__(self):
    super().__init__()
    self.lazy = _Lazy()

  def call(self, x):
    return self.lazy(x)


def test_keras_forgives_a_layer_that_loads_nothing_on_a_later_path(tmp_path):
  # Why tf1scope's guard refuses on every path: Keras visits a layer at each
  # attribute that reaches it ("lazy", then "layers"), with that path's part
  # of the file, and a later success erases an earlier failure.
  model = _HoldsLazy()
  model.lazy(tf.ones([1]))
  model.build((None, 1))
  path = str(tmp_path / "m.weights.h5")
  model.save_weights(path)
  fresh = _HoldsLazy()
  with pytest.warns(UserWarning, match="unbuilt state"):
    fresh.build((None, 1))  # the sublayer stays unbuilt, with no weights
  seen = []
  original = keras.layers.Layer.load_own_variables

  def spy(self, store):
    seen.append((self.name, sorted(store.keys())))
    return original(self, store)
  keras.layers.Layer.load_own_variables = spy
  try:
    fresh.load_weights(path)  # Keras reports success
  finally:
    keras.layers.Layer.load_own_variables = original
  lazy_parts = [keys for name, keys in seen if name == fresh.lazy.name]
  assert lazy_parts == [["0"], []]   # the data, then an empty later path
  assert not fresh.lazy.weights       # and the weight in the file was dropped


def test_guard_load_own_variables_checks_first_and_installs_once(tmp_path):
  layer_cls = keras.layers.Layer
  methods = ("load_own_variables", "_check_load_own_variables")
  installed = {m: getattr(layer_cls, m) for m in methods}  # guarded if tf1scope ran
  checked = []
  try:
    for m in methods:
      setattr(layer_cls, m, getattr(installed[m], "__wrapped__", installed[m]))
    private.guard_load_own_variables(lambda layer, store: checked.append(
        (layer.name, sorted(store.keys()))))
    guarded = {m: getattr(layer_cls, m) for m in methods}
    private.guard_load_own_variables(lambda layer, store: None)
    for m in methods:   # not wrapped twice
      assert getattr(layer_cls, m) is guarded[m]
    model = _HoldsLazy()
    model.lazy(tf.ones([1]))
    model.build((None, 1))
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    model.load_weights(path)
    assert (model.lazy.name, ["0"]) in checked   # called with the layer's part
  finally:
    for m in methods:
      setattr(layer_cls, m, installed[m])


def test_kerass_own_overrides_call_the_check_first():
  # Dense (like Conv and Embedding) overrides load_own_variables; it calls
  # Layer._check_load_own_variables first, which the guard wraps too.
  import inspect  # pylint: disable=g-import-not-at-top
  source = inspect.getsource(keras.layers.Dense.load_own_variables)
  first = [line.strip() for line in source.splitlines()[1:] if line.strip()]
  assert first[:2] == ["if not self.lora_enabled:",
                       "self._check_load_own_variables(store)"]


def test_in_call_is_true_inside_a_layer_call_only_and_call_clears_add_loss():
  seen = []

  class Adds(keras.layers.Layer):
    def call(self, x):
      seen.append(private.in_call())
      self.add_loss(tf.reduce_sum(x))
      return x

  layer = Adds()
  assert not private.in_call()
  layer(tf.ones([2]))
  layer(tf.ones([2]))
  assert seen == [True, True] and not private.in_call()
  assert [float(l) for l in layer.losses] == [2.0]  # the last call's only


def test_in_legacy_call_is_true_inside_a_tf_keras_layer_call_only():
  tf_keras = pytest.importorskip("tf_keras", reason="tf_keras is not installed")
  seen = []

  class Probe(tf_keras.layers.Layer):
    def call(self, x):
      seen.append(private.in_legacy_call())
      return x

  assert not private.in_legacy_call()
  Probe()(tf.ones([1]))
  assert seen == [True]
