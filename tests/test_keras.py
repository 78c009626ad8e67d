"""Decorated Keras 3 layers and models: weights, losses, fit, saving, mixed precision."""

import json
import os
import subprocess
import sys
import textwrap
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import tf1scope

v1 = tf.compat.v1


def _l2(scale):
  return lambda w: scale * tf.reduce_sum(tf.square(w))


def mlp(x, units=8):
  """TF1 code, untouched: two dense layers in variable scopes, a regularizer, a counter."""
  with v1.variable_scope("mlp", regularizer=_l2(0.01)):
    for i, n in enumerate([units, 1]):
      with v1.variable_scope("layer%d" % i):
        w = v1.get_variable("kernel", [x.shape[-1], n])
        b = v1.get_variable("bias", [n], initializer=v1.zeros_initializer())
        x = tf.matmul(x, w) + b
        if i == 0:
          x = tf.nn.tanh(x)
    calls = v1.get_variable("calls", [], trainable=False,
                            initializer=v1.zeros_initializer())
  return x, calls


TF1_NAMES = ["mlp/layer0/kernel", "mlp/layer0/bias", "mlp/layer1/kernel",
             "mlp/layer1/bias", "mlp/calls"]


class MLPLayer(keras.layers.Layer):

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    y, _ = mlp(x)
    return y


@keras.saving.register_keras_serializable("tf1scope_tests")
class MLPBlock(tf1scope.VariableScopeLayer):
  """The same TF1 code as a VariableScopeLayer, serializable."""

  def __init__(self, units=8, **kwargs):
    super().__init__(**kwargs)
    self.units = units

  def forward_pass(self, x):
    y, _ = mlp(x, self.units)
    return y

  def get_config(self):
    return {**super().get_config(), "units": self.units}


class MLPModel(keras.Model):

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    y, _ = mlp(x)
    return y


def _data(n=64):
  rng = np.random.default_rng(0)
  x = rng.normal(size=(n, 3)).astype("float32")
  y = (x.sum(axis=1, keepdims=True) * 0.5).astype("float32")
  return x, y


def _functional(layer=None):
  inputs = keras.Input((3,))
  return keras.Model(inputs, (layer or MLPBlock())(inputs))


def _sequential():
  return keras.Sequential([keras.Input((3,)), MLPLayer()])


def _subclassed():
  return MLPModel()


MODELS = {"functional": _functional, "sequential": _sequential,
          "subclassed": _subclassed}


# --- Weights ------------------------------------------------------------------


def test_tf1_variables_are_the_layers_keras_weights():
  layer = MLPLayer(name="net")
  layer(tf.ones([2, 3]))
  assert len(layer.weights) == 5
  assert len(layer.trainable_weights) == 4
  assert [w.path for w in layer.non_trainable_weights] == ["net/mlp/calls"]
  assert all(isinstance(w, keras.Variable) for w in layer.weights)
  # Keras names cannot contain "/": the name is the last part, the path the rest.
  assert [(w.name, w.path) for w in layer.weights[:2]] == [
      ("kernel", "net/mlp/layer0/kernel"), ("bias", "net/mlp/layer0/bias")]
  by_name = tf1scope.variables_by_name(layer)
  assert list(by_name) == TF1_NAMES
  assert [id(v) for v in by_name.values()] == [
      id(w) for w in layer.trainable_weights + layer.non_trainable_weights]


def test_tf1_code_sees_tf_variables_with_tf1_names():
  seen = {}

  class Probe(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      with v1.variable_scope("probe"):
        w = v1.get_variable("w", [3, 1])
        step = tf.Variable(0, name="step", trainable=False)
        seen["w"] = (type(w), w.name, w.dtype)
        seen["collection"] = [v.name for v in v1.global_variables()]
        seen["step"] = step.name
      return tf.matmul(x, w)

  layer = Probe()
  layer(tf.ones([1, 3]))
  assert seen["w"][0] is not keras.Variable and seen["w"][1:] == ("probe/w:0", tf.float32)
  assert isinstance(tf1scope.variables_by_name(layer)["probe/w"], keras.Variable)
  assert seen["collection"] == ["probe/w:0", "probe/step:0"]
  assert seen["step"] == "probe/step:0"
  assert [w.path for w in layer.weights] == ["probe/probe/w", "probe/probe/step"]
  assert [w.trainable for w in layer.weights] == [True, False]


def test_keras_weights_share_the_tf1_variables_storage():
  layer = MLPLayer()
  x = tf.ones([2, 3])
  before = layer(x)
  layer.trainable_weights[2].assign(tf.zeros([8, 1]))
  np.testing.assert_allclose(layer(x).numpy(), np.zeros([2, 1]))
  assert not np.allclose(before.numpy(), 0.0)
  by_name = tf1scope.variables_by_name(layer)
  np.testing.assert_allclose(by_name["mlp/layer1/kernel"].numpy(), np.zeros([8, 1]))


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_models_build_each_weight_once(kind):
  model = MODELS[kind]()
  x, _ = _data(8)
  model(x)
  model.predict(x, verbose=0)
  assert len(model.weights) == 5
  assert len({id(w) for w in model.weights}) == 5
  assert len(model.trainable_weights) == 4 and len(model.non_trainable_weights) == 1
  assert sorted(tf1scope.variables_by_name(model)) == sorted(TF1_NAMES)


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_fit_drives_the_loss_down_and_changes_every_tf1_weight(kind):
  model = MODELS[kind]()
  x, y = _data()
  model.compile(keras.optimizers.Adam(0.05), "mse")
  model(x[:1])  # builds a subclassed model (the others are built)
  initial = {n: v.numpy() for n, v in tf1scope.variables_by_name(model).items()}
  first = float(np.mean((model(x).numpy() - y) ** 2))
  history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
  assert history.history["loss"][-1] < first / 2
  assert model.evaluate(x, y, verbose=0) < first / 2
  for name, var in tf1scope.variables_by_name(model).items():
    if name == "mlp/calls":  # non-trainable: the optimizer leaves it alone
      np.testing.assert_array_equal(var.numpy(), initial[name])
    else:
      assert not np.allclose(var.numpy(), initial[name]), name
  assert len(model.weights) == 5


def test_fit_with_jit_compile():
  model = _functional()
  x, y = _data()
  model.compile(keras.optimizers.Adam(0.05), "mse", jit_compile=True)
  initial = [w.numpy() for w in model.trainable_weights]
  history = model.fit(x, y, epochs=4, batch_size=32, verbose=0).history["loss"]
  assert history[-1] < history[0]
  for weight, before in zip(model.trainable_weights, initial):
    assert not np.allclose(weight.numpy(), before), weight.path
  assert len(model.weights) == 5


def test_keras_optimizers_apply_tf1_constraints():

  class Clipped(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      w = v1.get_variable("w", [3], initializer=v1.zeros_initializer(),
                          constraint=lambda w: tf.clip_by_value(w, -1.0, 1.0))
      return x * w

  layer = Clipped()
  layer(tf.ones([3]))
  keras.optimizers.SGD(10.0).apply([tf.constant([-1.0, 0.0, 1.0])],
                                   layer.trainable_weights)
  np.testing.assert_allclose(layer.weights[0].numpy(), [1.0, 0.0, -1.0])


def test_summary_counts_the_tf1_parameters():
  model = _functional(MLPBlock(8, name="block"))
  lines = []
  model.summary(print_fn=lines.append)
  text = "\n".join(lines)
  # 3*8 + 8 + 8*1 + 1 trainable, and the non-trainable counter.
  assert "41" in text and "Trainable params: 41" in text
  assert "Non-trainable params: 1" in text


def test_a_decorated_method_other_than_call():

  class Encoder(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def encode(self, x):
      with v1.variable_scope("enc"):
        return tf.matmul(x, v1.get_variable("w", [3, 2]))

    @tf1scope.track_tf1_style_variables
    def decode(self, z):
      with v1.variable_scope("dec"):
        return tf.matmul(z, v1.get_variable("w", [2, 3]))

    def call(self, x):
      return self.decode(self.encode(x))

  layer = Encoder()
  inputs = keras.Input((3,))
  model = keras.Model(inputs, layer(inputs))
  assert [w.path for w in layer.weights] == ["encoder/enc/w", "encoder/dec/w"]
  model.compile("sgd", "mse")
  model.fit(*_data(8), verbose=0)
  assert len(model.weights) == 2


def test_nested_decorated_layers_own_their_variables():

  class Outer(keras.Model):

    def __init__(self):
      super().__init__()
      self.first = MLPBlock(4, name="first")
      self.second = MLPBlock(4, name="second")

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      # One pass: the two blocks' variables are named as in one TF1 graph.
      with v1.variable_scope("outer"):
        gain = v1.get_variable("gain", [], initializer=v1.ones_initializer())
        with v1.variable_scope("a"):
          y = self.first(x)
        with v1.variable_scope("b"):
          return self.second(tf.concat([y, y, y], 1)) * gain

  model = Outer()
  model(tf.ones([2, 3]))
  model(tf.ones([2, 3]))
  assert len(model.weights) == 11
  assert len({id(w) for w in model.weights}) == 11
  assert list(tf1scope.variables_by_name(model.first)) == [
      "outer/a/" + n for n in TF1_NAMES]
  assert list(tf1scope.variables_by_name(model))[:2] == [
      "outer/gain", "outer/a/mlp/layer0/kernel"]
  assert len(tf1scope.variables_by_name(model)) == 11
  assert [w.path for w in model.first.weights][0] == "outer/first/outer/a/mlp/layer0/kernel"


# --- Losses -------------------------------------------------------------------


def test_regularizer_losses_are_layer_and_model_losses():
  layer = MLPLayer()
  model = keras.Sequential([keras.Input((3,)), layer])
  tf1_losses = [float(l) for l in tf1scope.regularization_losses(layer)]
  # TF1 also regularizes the non-trainable counter; Keras counts the
  # regularizers of trainable weights only, and so does layer.losses.
  assert len(tf1_losses) == 5 and tf1_losses[4] == 0.0
  expected = tf1_losses[:4]
  assert expected[0] > 0 and expected[1] == 0.0
  np.testing.assert_allclose([float(l) for l in layer.losses], expected, rtol=1e-6)
  np.testing.assert_allclose(sorted(float(l) for l in model.losses),
                             sorted(expected), rtol=1e-6)


def test_fit_adds_the_regularizer_losses_to_the_training_loss():
  model = _functional()
  x, y = _data(16)
  model.compile(keras.optimizers.SGD(0.0), "mse")
  regularization = sum(float(l) for l in model.losses)
  mse = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
  loss = model.fit(x, y, epochs=1, batch_size=16, verbose=0).history["loss"][0]
  assert regularization > 1e-3
  np.testing.assert_allclose(loss, mse + regularization, rtol=1e-4)


def regularized(x):
  """TF1 code with every kind of regularization loss TF1 collects."""
  with v1.variable_scope("net", regularizer=lambda w: 0.1 * tf.reduce_sum(w)):
    h = tf1scope.layers.dense(
        x, 4, kernel_initializer=v1.constant_initializer(0.5),
        activity_regularizer=lambda a: 0.01 * tf.reduce_sum(a))
    w = v1.get_variable("w", [4, 1], initializer=v1.ones_initializer())
    v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES,
                         0.001 * tf.reduce_sum(tf.square(w)))
    return tf.matmul(h, w)


def _tf1_regularization_losses(x):
  with tf.Graph().as_default():
    regularized(tf.constant(x))
    with v1.Session() as session:
      session.run(v1.global_variables_initializer())
      return session.run(v1.losses.get_regularization_losses())


class Regularized(keras.layers.Layer):

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    return regularized(x)


@pytest.mark.parametrize("mode", ["eager", "tf.function"])
def test_layer_losses_are_tf1s_regularization_losses(mode):
  x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
  layer = Regularized()
  if mode == "eager":
    layer(x)
    losses = [float(l) for l in layer.losses]
  else:
    @tf.function
    def call(x):
      layer(x)
      return layer.losses
    losses = [float(l) for l in call(tf.constant(x))]
  expected = _tf1_regularization_losses(x)
  # kernel, bias and w from their regularizers; the activity loss and the
  # hand-added weight decay from the collection.
  assert len(expected) == 5
  np.testing.assert_allclose(sorted(losses), sorted(expected), rtol=1e-6)


def test_activity_losses_are_the_last_calls_only():
  layer = Regularized()
  layer(np.ones((2, 3), "float32"))
  layer(np.ones((2, 3), "float32"))
  assert len(layer.losses) == 5
  # A decorated method called outside a Keras call adds to the pass's
  # collection only: nothing would clear such losses.
  class Direct(keras.layers.Layer):
    @tf1scope.track_tf1_style_variables
    def encode(self, x):
      h = regularized(x)
      assert len(v1.losses.get_regularization_losses()) == 5
      return h
  direct = Direct()
  for _ in range(3):
    direct.encode(tf.ones((2, 3)))
  assert len(direct.losses) == 3  # the weights' regularizers


def test_fit_adds_activity_losses_to_the_training_loss():
  inputs = keras.Input((3,))
  model = keras.Model(inputs, Regularized()(inputs))
  x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
  y = np.zeros((4, 1), "float32")
  model.compile(keras.optimizers.SGD(0.0), "mse")
  loss = model.fit(x, y, epochs=1, batch_size=4, verbose=0).history["loss"][0]
  mse = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
  expected = sum(_tf1_regularization_losses(x))
  np.testing.assert_allclose(loss, mse + expected, rtol=1e-5)


def test_a_nested_module_s_activity_losses_reach_the_keras_layer():
  class Block(tf.Module):
    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      return tf1scope.layers.dense(
          x, 2, activity_regularizer=lambda a: tf.reduce_sum(a) * 0.0 + 1.0)

  class Outer(keras.layers.Layer):
    def __init__(self):
      super().__init__()
      self.block = Block()

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      return self.block(x)

  outer = Outer()
  outer(tf.ones((2, 3)))
  assert [float(l) for l in outer.losses] == [0.5]  # 1.0 / batch size, as TF1


# --- get_or_create_layer ------------------------------------------------------


class WithDense(keras.layers.Layer):

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    with v1.variable_scope("head"):
      dense = tf1scope.get_or_create_layer(
          "proj", lambda: keras.layers.Dense(2, kernel_regularizer="l2"))
      scale = v1.get_variable("scale", [2], initializer=v1.ones_initializer())
      return dense(x) * scale


@pytest.mark.parametrize("build", ["eager", "symbolic"])
def test_get_or_create_layer_tracks_keras_sublayers(build):
  layer = WithDense()
  if build == "eager":
    layer(tf.ones([1, 3]))
  else:
    inputs = keras.Input((3,))
    keras.Model(inputs, layer(inputs))
  layer(tf.ones([1, 3]))
  assert sorted(w.path.split("/")[-1] for w in layer.weights) == [
      "bias", "kernel", "scale"]
  assert len(layer.trainable_weights) == 3
  assert len(layer.losses) == 1  # the Dense kernel's l2
  # Only TF1-style variables have TF1 names; the Dense's weights are its own.
  assert list(tf1scope.variables_by_name(layer)) == ["head/scale"]


# --- VariableScopeLayer and training ----------------------------------------------


class Noisy(tf1scope.VariableScopeLayer):
  """Doubles its output in training: the value of `training` is visible."""

  def forward_pass(self, x, training=None):
    self.seen = training
    w = v1.get_variable("w", [x.shape[-1], 1], initializer=v1.ones_initializer())
    y = tf.matmul(x, w)
    return y * 2.0 if training else y


def test_variable_scope_layer_gets_training_as_keras_passes_it():
  layer = Noisy()
  inputs = keras.Input((3,))
  model = keras.Model(inputs, layer(inputs))
  x = np.ones((4, 3), "float32")
  layer(x)
  assert layer.seen is None  # the signature's default
  np.testing.assert_allclose(layer(x, training=True).numpy(), np.full((4, 1), 6.0))
  np.testing.assert_allclose(model(x, training=True).numpy(), np.full((4, 1), 6.0))
  np.testing.assert_allclose(model.predict(x, verbose=0), np.full((4, 1), 3.0))
  assert layer.seen is False
  model.compile(keras.optimizers.SGD(0.0), "mse")
  model.fit(x, np.zeros((4, 1)), verbose=0)
  assert layer.seen is True
  model.evaluate(x, np.zeros((4, 1)), verbose=0)
  assert layer.seen is False


def test_variable_scope_layer_without_training_argument_is_not_passed_one():

  class Plain(tf1scope.VariableScopeLayer):

    def forward_pass(self, x):
      return x * v1.get_variable("w", [], initializer=v1.ones_initializer())

  layer = Plain()
  model = keras.Sequential([keras.Input((2,)), layer])
  model.compile("sgd", "mse")
  model.fit(np.ones((2, 2)), np.ones((2, 2)), verbose=0)
  assert [w.path for w in layer.weights] == [model.name + "/plain/w"]


def test_variable_scope_layer_without_forward_pass_says_so():

  class Empty(tf1scope.VariableScopeLayer):
    pass

  with pytest.raises(NotImplementedError, match="forward_pass"):
    Empty().forward_pass(tf.ones([1]))


def test_tf1_layers_train_in_fit_with_their_update_ops():
  import tf1scope.layers as layers  # pylint: disable=g-import-not-at-top

  class Net(tf1scope.VariableScopeLayer):

    def forward_pass(self, x, training=False):
      h = layers.dense(x, 8, activation=tf.nn.relu)
      h = layers.batch_normalization(h, training=training)
      return layers.dense(layers.dropout(h, 0.1, training=training), 1)

  net = Net()
  inputs = keras.Input((3,))
  model = keras.Model(inputs, net(inputs))
  names = list(tf1scope.variables_by_name(net))
  assert names[:4] == ["dense/kernel", "dense/bias", "batch_normalization/gamma",
                       "batch_normalization/beta"]
  assert [w.name for w in net.non_trainable_weights] == ["moving_mean",
                                                         "moving_variance"]
  moving_mean = tf1scope.variables_by_name(net)["batch_normalization/moving_mean"]
  before = moving_mean.numpy()
  model.compile(keras.optimizers.Adam(0.01), "mse")
  x, y = _data(64)
  history = model.fit(x, y, epochs=3, batch_size=32, verbose=0).history["loss"]
  assert history[-1] < history[0]
  assert not np.allclose(moving_mean.numpy(), before)  # UPDATE_OPS ran in fit
  after = moving_mean.numpy()
  model.predict(x, verbose=0)  # training=False: the moving statistics stay
  np.testing.assert_array_equal(moving_mean.numpy(), after)


# --- Saving -------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
  """A functional model holding a VariableScopeLayer, trained a little."""
  model = _functional(MLPBlock(8, name="block"))
  x, y = _data(16)
  model.compile(keras.optimizers.Adam(0.05), "mse")
  model.fit(x, y, epochs=2, verbose=0)
  return model, x


def test_keras_file_round_trip_gives_the_same_predictions(tmp_path, trained):
  model, x = trained
  path = str(tmp_path / "m.keras")
  model.save(path)
  loaded = keras.models.load_model(path)
  np.testing.assert_array_equal(loaded.predict(x, verbose=0),
                                model.predict(x, verbose=0))
  assert sorted(tf1scope.variables_by_name(loaded)) == sorted(TF1_NAMES)
  for name, var in tf1scope.variables_by_name(model).items():
    np.testing.assert_array_equal(
        tf1scope.variables_by_name(loaded)[name].numpy(), var.numpy())


@keras.saving.register_keras_serializable("tf1scope_tests")
class SubclassedWithBlock(keras.Model):
  """A subclassed model holding a decorated layer and a Keras layer."""

  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.block = MLPBlock(4)
    self.head = keras.layers.Dense(2)

  def call(self, x):
    return self.head(self.block(x))


@pytest.mark.parametrize("make", [
    lambda: keras.Sequential([keras.Input((3,)), MLPBlock(4)]),
    SubclassedWithBlock,
    lambda: keras.saving.register_keras_serializable("tf1scope_tests")(MLPModel)(),
], ids=["sequential", "subclassed_holding_a_block", "decorated_subclassed_model"])
def test_keras_file_round_trip_of_other_models(tmp_path, make):
  model = make()
  x, _ = _data(8)
  model(x)
  path = str(tmp_path / "m.keras")
  model.save(path)
  loaded = keras.models.load_model(path)
  np.testing.assert_array_equal(loaded.predict(x, verbose=0),
                                model.predict(x, verbose=0))
  assert len(loaded.weights) == len(model.weights)


def test_keras_file_round_trip_with_a_keras_sublayer(tmp_path):
  inputs = keras.Input((3,))
  model = keras.Model(inputs, WithDense()(inputs))
  x = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
  model.layers[1].weights[0].assign(tf.fill([2], 3.0))  # not the initial value
  path = str(tmp_path / "m.keras")
  keras.saving.register_keras_serializable("tf1scope_tests")(WithDense)
  model.save(path)
  loaded = keras.models.load_model(path)
  np.testing.assert_array_equal(loaded.predict(x, verbose=0),
                                model.predict(x, verbose=0))


# Keras weights files (.weights.h5): load_weights after the first call works;
# before it, the TF1-style variables do not exist yet and loading is refused.

_WEIGHTS_MODELS = {
    "subclassed_holding_a_block": SubclassedWithBlock,
    "decorated_subclassed_model": MLPModel,
    "sequential": lambda: keras.Sequential([keras.Input((3,)), MLPBlock(4)]),
}


@pytest.mark.parametrize("make", list(_WEIGHTS_MODELS.values()),
                         ids=list(_WEIGHTS_MODELS))
def test_weights_file_round_trip_after_the_first_call(tmp_path, make):
  x, _ = _data(8)
  model = make()
  model(x)
  for var in model.weights:  # not the initial values
    var.assign(var + 0.5)
  path = str(tmp_path / "m.weights.h5")
  model.save_weights(path)
  fresh = make()
  fresh(x)
  assert not np.allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
  fresh.load_weights(path)
  np.testing.assert_array_equal(fresh.predict(x, verbose=0),
                                model.predict(x, verbose=0))


def _saved_and_built_only(tmp_path, make):
  """(model called once, its weights file, a fresh model built with build() alone)."""
  x, _ = _data(8)
  model = make()
  model(x)
  path = str(tmp_path / "m.weights.h5")
  model.save_weights(path)
  fresh = make()
  with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Keras: "unbuilt state" (a sublayer)
    fresh.build((None, 3))  # runs no TF1 code
  return model, path, fresh


@pytest.mark.parametrize("make", [SubclassedWithBlock, MLPModel],
                         ids=["subclassed_holding_a_block",
                              "decorated_subclassed_model"])
def test_weights_file_before_the_first_call_is_refused_and_loads_later(
    tmp_path, make):
  model, path, fresh = _saved_and_built_only(tmp_path, make)
  x, _ = _data(8)
  assert not fresh.weights
  with pytest.raises(ValueError) as info:
    fresh.load_weights(path)
  message = str(info.value)
  owner = fresh.block if make is SubclassedWithBlock else fresh
  assert (f"Layer '{owner.name}' has not created its TF1-style variables yet, "
          f"so the {len(TF1_NAMES)} weights the file holds for it cannot be loaded.") in message
  assert (f"first call of {type(owner).__name__}."
          f"{'forward_pass' if make is SubclassedWithBlock else 'call'} "
          "(build() alone runs no TF1 code)") in message
  # Nothing was lost: call the model, and the same file loads.
  fresh(x)
  fresh.load_weights(path)
  np.testing.assert_array_equal(fresh.predict(x, verbose=0),
                                model.predict(x, verbose=0))


def test_weights_file_before_the_first_call_with_skip_mismatch_warns(tmp_path):
  _, path, fresh = _saved_and_built_only(tmp_path, SubclassedWithBlock)
  with pytest.warns(UserWarning, match="has not created its TF1-style variables"):
    fresh.load_weights(path, skip_mismatch=True)  # Keras: warn, do not raise


class ScaledDense(keras.layers.Dense):
  """A Keras Dense (which saves its own fixed list of weights) with TF1 code in call."""

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    scale = v1.get_variable("scale", [], initializer=v1.constant_initializer(2.0))
    return super().call(x) * scale


def test_a_keras_dense_subclass_built_only_refuses_weights_too(tmp_path):
  model = keras.Sequential([keras.Input((3,)), ScaledDense(2, name="sd")])
  model(np.ones((1, 3), "float32"))
  path = str(tmp_path / "m.weights.h5")
  model.save_weights(path)
  fresh = keras.Sequential([ScaledDense(2, name="sd")])
  fresh.build((None, 3))       # Dense's build: kernel and bias, no TF1 code
  with pytest.raises(ValueError, match="Layer 'sd' has not created its "
                     "TF1-style variables yet"):
    fresh.load_weights(path)
  # Dense writes only kernel and bias: after a call, Keras itself names the
  # TF1 variable the file lacks.
  fresh(np.ones((1, 3), "float32"))
  with pytest.raises(ValueError, match=r"Expected: \['kernel', 'bias', 'scale'\]"):
    fresh.load_weights(path)


class NoVariables(keras.layers.Layer):

  @tf1scope.track_tf1_style_variables
  def call(self, x):
    with v1.variable_scope("double"):
      return 2.0 * x


class HoldsNoVariables(keras.Model):

  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.double = NoVariables()

  def call(self, x):
    return self.double(x)


def test_a_decorated_layer_without_variables_loads_before_its_first_call(tmp_path):
  _, path, fresh = _saved_and_built_only(tmp_path, HoldsNoVariables)
  x, _ = _data(4)
  fresh.load_weights(path)  # nothing in the file for it: nothing refused
  np.testing.assert_array_equal(fresh(x).numpy(), 2.0 * x)


def test_checkpoint_round_trip(tmp_path, trained):
  model, x = trained
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  fresh = _functional(MLPBlock(8))
  assert not np.allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
  tf.train.Checkpoint(model=fresh).restore(path).assert_existing_objects_matched()
  np.testing.assert_array_equal(fresh.predict(x, verbose=0),
                                model.predict(x, verbose=0))


def test_saved_model_round_trip(tmp_path, trained):
  model, x = trained
  tf.saved_model.save(model, str(tmp_path / "sm"))
  loaded = tf.saved_model.load(str(tmp_path / "sm"))
  serve = loaded.signatures["serving_default"]
  out = list(serve(tf.constant(x)).values())[0]
  np.testing.assert_allclose(out.numpy(), model.predict(x, verbose=0),
                             rtol=1e-6, atol=1e-6)


# --- Mixed precision ------------------------------------------------------------


@pytest.mark.parametrize("policy,compute", [("mixed_float16", "float16"),
                                            ("mixed_bfloat16", "bfloat16")])
def test_mixed_precision_keeps_float32_variables_and_computes_in_the_compute_dtype(
    policy, compute):
  seen = {}

  class Dense(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      seen["x"] = x.dtype
      w = v1.get_variable("w", [3, 2], initializer=v1.ones_initializer())
      return tf.matmul(x, w)

  layer = Dense(dtype=policy)
  model = keras.Sequential([keras.Input((3,)), layer])
  y = model(np.ones((1, 3), "float32"))
  assert y.dtype == compute and seen["x"] == compute
  assert [w.dtype for w in layer.weights] == ["float32"]
  assert tf1scope.variables_by_name(layer)["w"].dtype == "float32"
  np.testing.assert_allclose(np.asarray(y, "float32"), [[3.0, 3.0]])
  model.compile(keras.optimizers.SGD(0.1), "mse")
  model.fit(np.ones((4, 3)), np.zeros((4, 2)), verbose=0)
  assert layer.weights[0].dtype == "float32"
  assert not np.allclose(layer.weights[0].numpy(), 1.0)


def test_a_non_mixed_policy_sets_the_default_variable_dtype():

  class Dense(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      self.scope_dtype = v1.get_variable_scope().dtype
      return tf.matmul(x, v1.get_variable("w", [3, 1]))

  layer = Dense(dtype="float64")
  y = layer(np.ones((2, 3)))
  assert y.dtype == tf.float64 and layer.scope_dtype == tf.float64
  assert [w.dtype for w in layer.weights] == ["float64"]
  default = Dense()
  default(np.ones((2, 3)))
  assert default.scope_dtype == tf.float32


def test_tf1_float32_master_weights_under_a_custom_getter():
  """TF1's own mixed precision: float16 get_variable, float32 storage."""

  def float32_storage(getter, name, shape=None, dtype=None, *args, **kwargs):
    variable = getter(name, shape, tf.float32, *args, **kwargs)
    return tf.cast(variable, dtype) if dtype != tf.float32 else variable

  class Half(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      with v1.variable_scope("fp16", custom_getter=float32_storage):
        w = v1.get_variable("w", [3, 2], dtype=tf.float16,
                            initializer=v1.ones_initializer())
        return tf.matmul(tf.cast(x, tf.float16), w)

  layer = Half()
  y = layer(tf.ones([1, 3]))
  assert y.dtype == tf.float16
  assert [w.dtype for w in layer.weights] == ["float32"]
  assert list(tf1scope.variables_by_name(layer)) == ["fp16/w"]


# --- Errors -------------------------------------------------------------------


def test_owner_type_error_names_keras_layers():

  class Plain:

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      return x

  with pytest.raises(tf1scope.OwnerTypeError) as info:
    Plain().call(1)
  for part in ("@tf1scope.track_tf1_style_variables", "Plain.call", "tf.Module",
               "keras.layers.Layer", "keras.Model"):
    assert part in str(info.value)


class Grows(keras.layers.Layer):

  @tf1scope.track_tf1_style_variables
  def call(self, x, training=None):
    w = v1.get_variable("w", [3, 1], initializer=v1.ones_initializer())
    y = tf.matmul(x, w)
    if training:
      y += v1.get_variable("noise", [1])
    return y


def test_a_new_variable_after_the_build_is_refused_by_name():
  layer = Grows()
  inputs = keras.Input((3,))
  model = keras.Model(inputs, layer(inputs))
  model.compile("sgd", "mse")
  with pytest.raises(tf1scope.StateAfterBuildError) as info:
    model.fit(np.ones((2, 3)), np.ones((2, 1)), verbose=0)
  message = str(info.value)
  for part in ("Grows.call", "'noise'", "'grows", "built", "first call",
               "training"):
    assert part in message
  assert [w.path for w in layer.weights] == [layer.name + "/w"]  # "grows" unless one was made before
  assert list(tf1scope.variables_by_name(layer)) == ["w"]


def test_a_new_layer_after_the_build_is_refused_by_name():

  class LateDense(keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x, wide=False):
      if wide:
        x = tf1scope.get_or_create_layer("wide", lambda: keras.layers.Dense(3))(x)
      return x

  layer = LateDense()
  layer(tf.ones([1, 3]))
  with pytest.raises(tf1scope.StateAfterBuildError, match="'wide'"):
    layer(tf.ones([1, 3]), wide=True)
  assert layer.weights == []


def test_a_failed_first_call_can_be_retried():

  class Flaky(keras.layers.Layer):
    fail = True

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      w = v1.get_variable("w", [3, 1], initializer=v1.ones_initializer())
      if self.fail:
        raise RuntimeError("boom")
      return tf.matmul(x, w) + v1.get_variable("b", [1])

  layer = Flaky()
  with pytest.raises(RuntimeError, match="boom"):
    layer(tf.ones([1, 3]))
  layer.fail = False
  layer(tf.ones([1, 3]))
  assert [w.path for w in layer.weights] == ["flaky/w", "flaky/b"]


# --- Docs and example -------------------------------------------------------------


@pytest.mark.parametrize("obj", [tf1scope.VariableScopeLayer,
                                 tf1scope.StateAfterBuildError],
                         ids=lambda o: o.__name__)
def test_docstring_examples_run_as_shown(obj):
  import doctest  # pylint: disable=g-import-not-at-top
  finder = doctest.DocTestFinder(recurse=False)
  runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
  tests = finder.find(obj, obj.__name__, globs={})
  assert tests and tests[0].examples
  for test in tests:
    runner.run(test)
  assert runner.summarize(verbose=False).failed == 0


def test_the_keras_example_trains_saves_and_reloads():
  import importlib.util  # pylint: disable=g-import-not-at-top
  path = os.path.join(os.path.dirname(__file__), "..", "examples", "keras_layer.py")
  spec = importlib.util.spec_from_file_location("keras_layer_example", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  first, last = module.main(epochs=8)
  assert last < first / 2


# --- tf_keras -----------------------------------------------------------------

_TF_KERAS = textwrap.dedent("""
    import json, os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow as tf
    import tf1scope
    import tf_keras
    assert tf.keras.layers.Layer is tf_keras.layers.Layer
    v1 = tf.compat.v1
    tf.random.set_seed(0)
    {layer}
    layer = Layer()
    out = layer(tf.ones([2, 3]))
    class Grows(tf.keras.layers.Layer):
      @tf1scope.track_tf1_style_variables
      def call(self, x, extra=False):
        y = x * v1.get_variable("w", [1])
        return y * v1.get_variable("extra", [1]) if extra else y
    grows = Grows()
    grows(tf.ones([1]))
    try:
      grows(tf.ones([1]), extra=True)
      refused = None
    except tf1scope.StateAfterBuildError as e:
      refused = str(e)
    print(json.dumps({{
        "refused": refused,
        "weights": sorted(w.name.split(":")[0] for w in layer.weights),
        "trainable": len(layer.trainable_weights),
        "non_trainable": len(layer.non_trainable_weights),
        "tf1_names": list(tf1scope.variables_by_name(layer)),
        "losses": sorted(round(float(l), 5) for l in layer.losses),
        "out": out.numpy().tolist(),
    }}))
    """)

_LAYER = textwrap.dedent("""
    class Layer(tf.keras.layers.Layer):
      @tf1scope.track_tf1_style_variables
      def call(self, x):
        with v1.variable_scope("block", regularizer=lambda w: tf.reduce_sum(w)):
          w = v1.get_variable("w", [3, 2], initializer=v1.constant_initializer(0.5))
          b = v1.get_variable("b", [2], initializer=v1.ones_initializer())
          steps = tf.Variable(2.0, trainable=False, name="steps")
          dense = tf1scope.get_or_create_layer(
              "proj", lambda: tf.keras.layers.Dense(
                  2, kernel_initializer="ones", kernel_regularizer="l2"))
          h = tf.matmul(x, w) + b
          # An activity loss: in the layer's losses under both Kerases.
          h = tf1scope.layers.Flatten(
              activity_regularizer=lambda a: 0.25 * tf.reduce_sum(a))(h)
        return dense(h) * steps
    """)


def _keras3_result():
  namespace = {"tf": tf, "v1": v1, "tf1scope": tf1scope}
  exec(_LAYER, namespace)  # pylint: disable=exec-used
  layer = namespace["Layer"]()
  out = layer(tf.ones([2, 3]))
  # Keras 3 names a weight by its last part; the TF1 names are the paths.
  return {
      "weights": sorted(w.path.split("/", 1)[1] for w in layer.weights),
      "trainable": len(layer.trainable_weights),
      "non_trainable": len(layer.non_trainable_weights),
      "tf1_names": list(tf1scope.variables_by_name(layer)),
      "losses": sorted(round(float(l), 5) for l in layer.losses),
      "out": out.numpy().tolist(),
  }


def _has_tf_keras():
  try:
    import tf_keras  # noqa: F401  pylint: disable=g-import-not-at-top,unused-import
  except ImportError:
    return False
  return True


@pytest.mark.skipif(not _has_tf_keras(), reason="tf_keras is not installed")
def test_a_tf_keras_layer_gets_the_same_weights_and_losses():
  env = dict(os.environ, TF_USE_LEGACY_KERAS="1")
  out = subprocess.run(
      [sys.executable, "-c", _TF_KERAS.format(layer=_LAYER)], env=env,
      check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
  legacy = json.loads(out)
  assert "'extra'" in legacy["refused"] and "Grows.call" in legacy["refused"]
  current = _keras3_result()
  assert legacy["tf1_names"] == current["tf1_names"] == [
      "block/w", "block/b", "block/steps"]
  assert (legacy["trainable"], legacy["non_trainable"]) == (4, 1)
  assert (current["trainable"], current["non_trainable"]) == (4, 1)
  assert legacy["losses"] == current["losses"]
  assert len(current["losses"]) == 4
  np.testing.assert_allclose(legacy["out"], current["out"], rtol=1e-6)
  # tf_keras names the Dense weights after its own scope; TF1 ones agree.
  assert {"block/w", "block/b", "block/steps"} <= set(legacy["weights"])
  assert {"block/w", "block/b", "block/steps"} <= set(current["weights"])
