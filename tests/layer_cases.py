"""Layer programs run twice: by real ``tf.compat.v1.layers`` and by ``tf1scope.layers``.

``make_layers_fixture.py`` runs every case here in TF1 graph mode with
``tf.compat.v1.layers`` (tf_keras, ``TF_USE_LEGACY_KERAS=1``) and stores what
TF1 gives; ``test_layers_numerics.py`` and ``test_layers_names.py`` run the
same functions with ``tf1scope.layers`` (passed in as ``L``) and compare.
Everything here uses TensorFlow core only, so it runs unchanged in both.

* :data:`NUMERIC_CASES`: ``build(L, *inputs)`` returns a dict of outputs; the
  fixture keeps inputs, the weights (seeded values assigned by TF1 name,
  unless ``assign=False``: then the cases' initializers are checked), the
  outputs, the gradients of :func:`probe_loss` with respect to the trainable
  variables and the float inputs, every variable after one run of outputs +
  ``UPDATE_OPS``, and the ``REGULARIZATION_LOSSES`` values.
* :data:`NAME_PROGRAMS`: ``program(L)`` builds layers on constant inputs; the
  fixture keeps the variables (name, shape, dtype, trainable) and the counts
  of ``UPDATE_OPS`` and ``REGULARIZATION_LOSSES``, or TF1's error.
"""

import dataclasses
from typing import Any, Callable, Optional, Tuple

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


# --- Regularizers (plain functions, the same in both processes) ------------------

def l2(w):
  return 0.01 * tf.reduce_sum(tf.square(w))


def l1(w):
  return 0.005 * tf.reduce_sum(tf.abs(w))


def activity_l2(x):
  return 0.02 * tf.reduce_sum(tf.square(x))


# --- Numeric cases --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Input:
  shape: Tuple[int, ...]
  dtype: str = "float32"
  static: Optional[Tuple[Optional[int], ...]] = None  # placeholder shape (None dims)
  value: Any = None                                    # fixed value (bool flags)

  @property
  def placeholder_shape(self):
    return self.static if self.static is not None else self.shape


@dataclasses.dataclass(frozen=True)
class Case:
  name: str
  inputs: Tuple[Input, ...]
  build: Callable
  assign: bool = True            # overwrite the initial weights with seeded values
  graph_seed: Optional[int] = None  # set for cases with seeded random ops
  reg_sum_only: bool = False     # TF1 splits the same total over more entries
  graph_only: str = ""           # why TensorFlow's own code for it fails eagerly


def case_registry():
  """(a list of cases, the ``case(name, inputs, build, **options)`` that fills it)."""
  cases = []

  def case(name, inputs, build, **kwargs):
    inputs = tuple(i if isinstance(i, Input) else Input(tuple(i))
                   for i in inputs)
    cases.append(Case(name, inputs, build, **kwargs))
  return cases, case


NUMERIC_CASES, case = case_registry()


F64 = "float64"
TRUE = Input((), "bool", value=True)
FALSE = Input((), "bool", value=False)

# dense
case("dense_basic", [(4, 5)], lambda L, x: {"y": L.dense(x, 3)})
case("dense_relu_nobias", [(4, 5)],
     lambda L, x: {"y": L.dense(x, 3, activation=tf.nn.relu, use_bias=False)})
case("dense_rank3", [(2, 3, 5)], lambda L, x: {"y": L.dense(x, 4)})
case("dense_unknown_batch", [Input((3, 5), static=(None, 5))],
     lambda L, x: {"y": L.dense(x, 2, activation=tf.tanh)})
case("dense_float64", [Input((4, 5), F64)], lambda L, x: {"y": L.dense(x, 3)})
case("dense_string_activation", [(4, 5)],
     lambda L, x: {"y": L.dense(x, 3, activation="relu")})
case("dense_initializers", [(4, 5)], lambda L, x: {"y": L.dense(
    x, 3, kernel_initializer=v1.truncated_normal_initializer(stddev=0.5, seed=3),
    bias_initializer=v1.constant_initializer(0.25))}, assign=False)
case("dense_regularizers", [(4, 5)], lambda L, x: {"y": L.dense(
    x, 3, kernel_regularizer=l2, bias_regularizer=l1,
    activity_regularizer=activity_l2)})


def _dense_scope_regularizer(L, x):
  with v1.variable_scope("reg", regularizer=l1):
    return {"y": L.dense(x, 3, kernel_regularizer=l2)}


case("dense_scope_regularizer", [(4, 5)], _dense_scope_regularizer,
     reg_sum_only=True)
case("dense_not_trainable", [(4, 5)],
     lambda L, x: {"y": L.dense(x, 3, trainable=False)})


def _dense_shared(L, x, z):
  a = L.dense(x, 3, name="fc")
  b = L.dense(z, 3, name="fc", reuse=True)
  return {"a": a, "b": b}


case("dense_shared_by_reuse", [(4, 5), (2, 5)], _dense_shared)


def _dense_class(L, x, z):
  layer = L.Dense(3, activation=tf.nn.sigmoid)
  return {"a": layer(x), "b": layer(z)}


case("dense_class_called_twice", [(4, 5), (2, 5)], _dense_class)

# convolutions
case("conv1d_basic", [(2, 9, 3)], lambda L, x: {"y": L.conv1d(x, 4, 3)})
case("conv1d_same_strided", [(2, 9, 3)], lambda L, x: {"y": L.conv1d(
    x, 4, 3, strides=2, padding="same", activation=tf.nn.relu)})
case("conv1d_dilated_causal", [(2, 9, 3)], lambda L, x: {"y": L.conv1d(
    x, 2, 3, dilation_rate=2, padding="causal")})
case("conv1d_channels_first", [(2, 3, 9)], lambda L, x: {"y": L.conv1d(
    x, 4, 2, data_format="channels_first")})
case("conv2d_basic", [(2, 7, 7, 3)], lambda L, x: {"y": L.conv2d(x, 4, 3)})
case("conv2d_strided_same_nobias", [(2, 7, 7, 3)], lambda L, x: {"y": L.conv2d(
    x, 5, (3, 2), strides=(2, 1), padding="same", use_bias=False)})
case("conv2d_dilated", [(2, 7, 7, 3)], lambda L, x: {"y": L.conv2d(
    x, 4, 3, dilation_rate=(2, 2))})
case("conv2d_channels_first", [(2, 3, 7, 7)], lambda L, x: {"y": L.conv2d(
    x, 4, 3, strides=2, data_format="channels_first", activation=tf.nn.relu)})
case("conv2d_unknown_spatial", [Input((2, 6, 5, 3), static=(None, None, None, 3))],
     lambda L, x: {"y": L.conv2d(x, 4, 3, padding="same")})
case("conv2d_regularizers", [(2, 6, 6, 3)], lambda L, x: {"y": L.conv2d(
    x, 4, 3, kernel_regularizer=l2, bias_regularizer=l1,
    activity_regularizer=activity_l2)})
case("conv2d_initializers", [(2, 6, 6, 3)], lambda L, x: {"y": L.conv2d(
    x, 4, 3, kernel_initializer=v1.glorot_normal_initializer(seed=4),
    bias_initializer=v1.constant_initializer(-0.5))}, assign=False)
case("conv3d_basic", [(1, 5, 5, 5, 2)], lambda L, x: {"y": L.conv3d(x, 3, 2)})
case("conv3d_dilated_nobias", [(1, 5, 5, 5, 2)], lambda L, x: {"y": L.conv3d(
    x, 2, 2, dilation_rate=2, use_bias=False, activation=tf.nn.relu)})
case("conv3d_channels_first_strided", [(1, 2, 6, 6, 6)], lambda L, x: {
    "y": L.conv3d(x, 3, 3, strides=2, padding="same",
                  data_format="channels_first")})
case("conv2d_transpose_basic", [(2, 4, 4, 3)],
     lambda L, x: {"y": L.conv2d_transpose(x, 2, 3)})
case("conv2d_transpose_nobias_regularized", [(2, 3, 3, 2)], lambda L, x: {
    "y": L.conv2d_transpose(x, 2, (2, 3), strides=(1, 2), use_bias=False,
                            activation=tf.tanh, kernel_regularizer=l2,
                            activity_regularizer=activity_l2)})
case("conv2d_transpose_same_strided", [(2, 4, 4, 3)], lambda L, x: {
    "y": L.conv2d_transpose(x, 2, 3, strides=2, padding="same",
                            activation=tf.nn.relu)})
case("conv2d_transpose_channels_first", [(2, 3, 4, 4)], lambda L, x: {
    "y": L.conv2d_transpose(x, 2, 3, strides=2, data_format="channels_first")})
case("conv2d_transpose_dynamic", [Input((2, 3, 4, 3), static=(None, None, None, 3))],
     lambda L, x: {"y": L.conv2d_transpose(x, 2, (2, 3), strides=2)})
case("conv3d_transpose_basic", [(1, 3, 3, 3, 2)],
     lambda L, x: {"y": L.conv3d_transpose(x, 3, 2)})
case("conv3d_transpose_channels_first", [(1, 2, 3, 3, 3)], lambda L, x: {
    "y": L.conv3d_transpose(x, 3, 3, strides=2, padding="same",
                            data_format="channels_first")})
case("separable_conv1d_basic", [(2, 9, 3)],
     lambda L, x: {"y": L.separable_conv1d(x, 4, 3)})
case("separable_conv1d_multiplier_strided", [(2, 9, 3)], lambda L, x: {
    "y": L.separable_conv1d(x, 4, 3, strides=2, padding="same",
                            depth_multiplier=2)})
case("separable_conv1d_channels_first_dilated", [(2, 3, 9)], lambda L, x: {
    "y": L.separable_conv1d(x, 4, 3, dilation_rate=2,
                            data_format="channels_first")})
case("separable_conv1d_causal", [(2, 9, 3)], lambda L, x: {
    "y": L.separable_conv1d(x, 2, 3, padding="causal", activation=tf.nn.elu)})
case("separable_conv2d_basic", [(2, 7, 7, 3)],
     lambda L, x: {"y": L.separable_conv2d(x, 4, 3)})
case("separable_conv2d_multiplier_dilated", [(2, 7, 7, 3)], lambda L, x: {
    "y": L.separable_conv2d(x, 4, 3, depth_multiplier=2, dilation_rate=2,
                            activation=tf.nn.relu)})
case("separable_conv2d_channels_first", [(2, 3, 7, 7)], lambda L, x: {
    "y": L.separable_conv2d(x, 4, 3, strides=2, padding="same",
                            data_format="channels_first")})
case("separable_conv2d_initializers_regularizers", [(2, 6, 6, 3)], lambda L, x: {
    "y": L.separable_conv2d(
        x, 4, 3, depthwise_initializer=v1.random_uniform_initializer(-1, 1, seed=5),
        pointwise_initializer=v1.random_normal_initializer(seed=6),
        bias_initializer=v1.constant_initializer(0.5),
        depthwise_regularizer=l2, pointwise_regularizer=l1)}, assign=False)

# batch normalization
X4 = (4, 3, 3, 2)
case("bn_fused_training", [X4],
     lambda L, x: {"y": L.batch_normalization(x, training=True)})
case("bn_fused_inference", [X4],
     lambda L, x: {"y": L.batch_normalization(x, training=False)})
case("bn_fused_channels_first_training", [(4, 2, 3, 3)], lambda L, x: {
    "y": L.batch_normalization(x, axis=1, momentum=0.9, epsilon=1e-2,
                               training=True)})
case("bn_dense_input_training", [(6, 3)], lambda L, x: {
    "y": L.batch_normalization(x, momentum=0.8, epsilon=1e-2, training=True)})
case("bn_unfused_training", [X4], lambda L, x: {
    "y": L.batch_normalization(x, fused=False, training=True)})
case("bn_unfused_axis1_training", [(4, 3, 5)], lambda L, x: {
    "y": L.batch_normalization(x, axis=1, training=True)})
case("bn_no_center_no_scale_fused", [X4], lambda L, x: {
    "y": L.batch_normalization(x, center=False, scale=False, training=True)})
case("bn_no_center_no_scale_unfused", [(6, 3)], lambda L, x: {
    "y": L.batch_normalization(x, center=False, scale=False, training=True)})
for _fused in (True, False):
  for _flag in (TRUE, FALSE):
    case(f"bn_training_tensor_{_flag.value}_{'fused' if _fused else 'unfused'}",
         [X4, _flag], lambda L, x, t, _fused=_fused: {
             "y": L.batch_normalization(x, fused=_fused, training=t)})
case("bn_not_trainable_training", [X4], lambda L, x: {
    "y": L.batch_normalization(x, trainable=False, training=True)})
case("bn_float64_training", [Input(X4, F64)], lambda L, x: {
    "y": L.batch_normalization(x, training=True)})
case("bn_5d_fused_training", [(2, 2, 2, 2, 3)], lambda L, x: {
    "y": L.batch_normalization(x, training=True)})
case("bn_multi_axis_training", [(4, 2, 3, 2)], lambda L, x: {
    "y": L.batch_normalization(x, axis=[1, 3], training=True)})
case("bn_initializers_regularizers", [X4], lambda L, x: {
    "y": L.batch_normalization(
        x, beta_initializer=v1.constant_initializer(0.1),
        gamma_initializer=v1.constant_initializer(2.0),
        moving_mean_initializer=v1.constant_initializer(0.5),
        moving_variance_initializer=v1.constant_initializer(3.0),
        gamma_regularizer=l2, beta_regularizer=l1, training=False)},
     assign=False)
case("bn_class_training", [X4], lambda L, x: {
    "y": L.BatchNormalization(momentum=0.5)(x, training=True)})


def _adjust(shape):
  """A deterministic ``adjustment``: per-channel scale and bias from the input shape."""
  channels = tf.cast(tf.range(shape[-1]), tf.float32)
  return 1.0 + 0.1 * channels, 0.05 * channels - 0.1


# batch renormalization, ghost batches and adjustment (always unfused)
_CLIP = {"rmin": 0.8, "rmax": 1.2, "dmax": 0.1}
case("bn_renorm_training", [X4], lambda L, x: {
    "y": L.batch_normalization(x, renorm=True, training=True)})
case("bn_renorm_clipping", [X4], lambda L, x: {
    "y": L.batch_normalization(x, renorm=True, renorm_clipping=_CLIP,
                               renorm_momentum=0.9, momentum=0.8,
                               training=True)})
case("bn_renorm_inference", [X4], lambda L, x: {
    "y": L.batch_normalization(x, renorm=True, training=False)})
for _flag in (TRUE, FALSE):
  case(f"bn_renorm_training_tensor_{_flag.value}", [X4, _flag],
       lambda L, x, t: {"y": L.batch_normalization(
           x, renorm=True, renorm_clipping=_CLIP, training=t)})
case("bn_renorm_not_trainable", [X4], lambda L, x: {
    "y": L.batch_normalization(x, renorm=True, trainable=False,
                               training=True)})
case("bn_renorm_dense_input_initializers", [(6, 3)], lambda L, x: {
    "y": L.batch_normalization(
        x, renorm=True, moving_mean_initializer=v1.constant_initializer(0.5),
        moving_variance_initializer=v1.constant_initializer(4.0),
        training=False)}, assign=False)  # the stddevs start at sqrt(4)
case("bn_renorm_channels_first", [(4, 2, 3, 3)], lambda L, x: {
    "y": L.batch_normalization(x, axis=1, renorm=True, training=True)})
case("bn_virtual_batch_training", [X4], lambda L, x: {
    "y": L.batch_normalization(x, virtual_batch_size=2, training=True)})
case("bn_virtual_batch_dense_input", [(8, 3)], lambda L, x: {
    "y": L.batch_normalization(x, virtual_batch_size=4, momentum=0.5,
                               training=True)})
case("bn_virtual_batch_inference", [X4], lambda L, x: {
    "y": L.batch_normalization(x, virtual_batch_size=2, training=False)})
case("bn_virtual_batch_training_tensor", [X4, TRUE], lambda L, x, t: {
    "y": L.batch_normalization(x, virtual_batch_size=2, training=t)})
case("bn_virtual_batch_renorm", [X4], lambda L, x: {
    "y": L.batch_normalization(x, virtual_batch_size=2, renorm=True,
                               training=True)})
case("bn_virtual_batch_unknown_batch", [Input((4, 3), static=(None, 3))],
     lambda L, x: {"y": L.batch_normalization(x, virtual_batch_size=2,
                                              training=True)})
case("bn_adjustment_training", [X4], lambda L, x: {
    "y": L.batch_normalization(x, adjustment=_adjust, training=True)})
for _flag in (TRUE, FALSE):
  case(f"bn_adjustment_training_tensor_{_flag.value}", [X4, _flag],
       lambda L, x, t: {"y": L.batch_normalization(
           x, adjustment=_adjust, training=t)})
case("bn_adjustment_no_scale_renorm", [(6, 3)], lambda L, x: {
    "y": L.batch_normalization(x, scale=False, adjustment=_adjust,
                               renorm=True, training=True)})

def _scaled_dense_class(L):
  """A user's TF1 layer: ``tf.layers.Layer`` with build, add_weight, add_loss, add_update."""

  class ScaledDense(L.Layer):

    def __init__(self, units, **kwargs):
      super().__init__(**kwargs)
      self.units = units

    def build(self, input_shape):
      self.kernel = self.add_weight(
          "kernel", [int(input_shape[-1]), self.units], regularizer=l2)
      self.offset = self.add_variable(
          "offset", [self.units], initializer=v1.zeros_initializer())
      self.calls = self.add_weight("calls", [], trainable=False,
                                   initializer=v1.zeros_initializer())
      self.add_loss(lambda: 0.5 * tf.reduce_sum(self.offset))
      super().build(input_shape)

    def call(self, inputs, scale=1.0):
      self.add_update(v1.assign_add(self.calls, 1.0))
      y = tf.matmul(inputs, self.kernel) + self.offset
      self.add_loss(0.1 * tf.reduce_sum(tf.abs(y)))
      return y * scale
  return ScaledDense


def _custom_layer(L, x):
  layer = _scaled_dense_class(L)(3)
  y1 = layer(x)
  y2 = layer(x, scale=2.0)
  with v1.variable_scope("outer"):
    y3 = _scaled_dense_class(L)(2, name="second")(y1)
  return {"y1": y1, "y2": y2, "y3": y3,
          "n_losses": tf.constant(len(layer.losses)),
          "n_updates": tf.constant(len(layer.updates)),
          "params": tf.constant(layer.count_params())}


case("custom_layer_subclass", [(4, 5)], _custom_layer)

# dropout
case("dropout_inference", [(4, 6)],
     lambda L, x: {"y": L.dropout(x, rate=0.5, training=False)})
case("dropout_training_seeded", [(4, 6)], lambda L, x: {
    "y": L.dropout(x, rate=0.3, seed=5, training=True)}, graph_seed=11)
case("dropout_noise_shape", [(4, 6)], lambda L, x: {
    "y": L.dropout(x, rate=0.5, noise_shape=[4, 1], seed=7, training=True)},
     graph_seed=11)
case("dropout_noise_shape_unknown_dim", [Input((4, 6), static=(None, 6))],
     lambda L, x: {"y": L.dropout(x, rate=0.5, noise_shape=[None, 1], seed=8,
                                  training=True)}, graph_seed=11)
case("dropout_training_tensor", [(4, 6), TRUE], lambda L, x, t: {
    "y": L.dropout(x, rate=0.4, seed=9, training=t)}, graph_seed=12)
case("dropout_rate_zero", [(4, 6)],
     lambda L, x: {"y": L.dropout(x, rate=0.0, training=True)})


def _dropout_class_twice(L, x):
  layer = L.Dropout(0.5, seed=3)
  return {"a": layer(x, training=True), "b": layer(x, training=True)}


case("dropout_class_seed_per_call", [(4, 6)], _dropout_class_twice,
     graph_seed=13)

# flatten
case("flatten_4d", [(2, 3, 4, 2)], lambda L, x: {"y": L.flatten(x)})
case("flatten_channels_first", [(2, 3, 4, 2)],
     lambda L, x: {"y": L.flatten(x, data_format="channels_first")})
case("flatten_unknown_batch", [Input((2, 3, 4), static=(None, 3, 4))],
     lambda L, x: {"y": L.flatten(x)})

# pooling
for _mode in ("max", "average"):
  case(f"{_mode}_pooling1d", [(2, 8, 3)], lambda L, x, m=_mode: {
      "y": getattr(L, f"{m}_pooling1d")(x, 2, 2)})
  case(f"{_mode}_pooling1d_same_channels_first", [(2, 3, 8)],
       lambda L, x, m=_mode: {"y": getattr(L, f"{m}_pooling1d")(
           x, 3, 2, padding="same", data_format="channels_first")})
  case(f"{_mode}_pooling2d", [(2, 6, 6, 3)], lambda L, x, m=_mode: {
      "y": getattr(L, f"{m}_pooling2d")(x, 2, 2)})
  case(f"{_mode}_pooling2d_same", [(2, 5, 5, 3)], lambda L, x, m=_mode: {
      "y": getattr(L, f"{m}_pooling2d")(x, 3, (2, 1), padding="same")})
  case(f"{_mode}_pooling2d_channels_first", [(2, 3, 6, 6)],
       lambda L, x, m=_mode: {"y": getattr(L, f"{m}_pooling2d")(
           x, (2, 3), 2, data_format="channels_first")})
  case(f"{_mode}_pooling3d", [(1, 4, 4, 4, 2)], lambda L, x, m=_mode: {
      "y": getattr(L, f"{m}_pooling3d")(x, 2, 2)})
  case(f"{_mode}_pooling3d_same_channels_first", [(1, 2, 5, 4, 4)],
       lambda L, x, m=_mode: {"y": getattr(L, f"{m}_pooling3d")(
           x, 3, 2, padding="same", data_format="channels_first")})


def _small_cnn(L, images, training):
  x = L.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu)
  x = L.batch_normalization(x, training=training)
  x = L.max_pooling2d(x, 2, 2)
  x = L.separable_conv2d(x, 6, 2, activation=tf.nn.relu)
  x = L.flatten(x)
  x = L.dense(x, 8, activation=tf.nn.relu, kernel_regularizer=l2)
  x = L.dropout(x, rate=0.5, training=False)
  return {"logits": L.dense(x, 3)}


case("small_cnn_training", [(2, 8, 8, 1), TRUE], _small_cnn)
case("small_cnn_inference", [(2, 8, 8, 1), FALSE], _small_cnn)


def flat_outputs(outputs):
  """A case's outputs as ``{key: tensor}``; a nested value (an RNN state) gets ``key/<i>`` keys."""
  flat = {}
  for key, value in outputs.items():
    if not tf.nest.is_nested(value):
      flat[key] = value
      continue
    for i, leaf in enumerate(tf.nest.flatten(value)):
      flat[f"{key}/{i}"] = leaf
  return flat


def probe_loss(flat):
  """A scalar of a case's float outputs whose gradients exercise every output element.

  ``sum(y * wave)`` with a fixed wave per output (a plain sum would give
  batch normalization's inputs a zero gradient).
  """
  total = []
  for key in sorted(flat):
    y = flat[key]
    if not y.dtype.is_floating:
      continue
    n = tf.cast(tf.range(tf.size(y)), y.dtype)
    wave = tf.reshape(tf.sin(n * 0.7 + 0.3), tf.shape(y))
    total.append(tf.reduce_sum(y * wave))
  return tf.add_n(total) if total else None


def weight_values(case_name, variables):
  """Seeded values for ``[(name, shape, dtype)]``: variances and stddevs positive."""
  rng = np.random.RandomState(_seed(case_name) + 1)
  out = {}
  for name, shape, dtype in variables:
    if name.endswith(("moving_variance", "stddev")):
      value = rng.uniform(0.5, 1.5, size=shape)
    else:
      value = rng.uniform(-1.0, 1.0, size=shape)
    out[name] = value.astype(dtype)
  return out


def input_values(c):
  rng = np.random.RandomState(_seed(c.name))
  values = []
  for spec in c.inputs:
    if spec.value is not None:
      values.append(np.asarray(spec.value, dtype=spec.dtype))
    else:
      values.append(rng.normal(size=spec.shape).astype(spec.dtype))
  return values


def _seed(name):
  import zlib  # pylint: disable=g-import-not-at-top
  return zlib.crc32(name.encode()) % (1 << 30)


# --- Name programs ----------------------------------------------------------------

def program_registry():
  """(programs by name, the names of symbolic-only ones, the ``@program`` decorator).

  ``@program(symbolic_only=True)`` marks a program whose inputs have unknown
  dimensions: there is no eager equivalent. ``name=`` registers it under
  another name than its function's.
  """
  programs, symbolic = {}, set()

  def program(fn=None, symbolic_only=False, name=None):
    def register(f):
      key = name or f.__name__
      programs[key] = f
      if symbolic_only:
        symbolic.add(key)
      return f
    return register(fn) if fn is not None else register
  return programs, symbolic, program


NAME_PROGRAMS, SYMBOLIC_ONLY, program = program_registry()


def _x(*shape):
  return tf.ones(shape)


@program
def auto_names(L):
  x = _x(2, 6, 6, 3)
  L.dense(_x(2, 3), 4)
  L.dense(_x(2, 3), 4)
  y = L.conv2d(x, 2, 3)
  L.conv2d(y, 2, 3)
  L.batch_normalization(y, training=True)
  L.dropout(y)
  L.max_pooling2d(y, 2, 2)
  L.flatten(y)
  L.separable_conv2d(x, 2, 3)
  L.conv2d_transpose(x, 2, 3)
  L.conv1d(_x(2, 5, 3), 2, 2)
  L.conv3d(_x(1, 3, 3, 3, 2), 2, 2)
  L.dense(_x(2, 3), 4)


@program
def nested_scopes(L):
  x = _x(2, 3)
  with v1.variable_scope("a"):
    L.dense(x, 2)
    L.dense(x, 2)
  with v1.variable_scope("b"):
    L.dense(x, 2)
    with v1.variable_scope("c"):
      L.dense(x, 2)
  with v1.variable_scope("a", reuse=True):
    L.dense(x, 2)
    L.dense(x, 2)
  with tf.name_scope("ns"):
    L.dense(x, 2)


@program
def error_reopened_scope_auto_name(L):
  x = _x(2, 3)
  with v1.variable_scope("a"):
    L.dense(x, 2)
  with v1.variable_scope("a"):
    L.dense(x, 2)


@program
def explicit_names(L):
  x = _x(2, 3)
  L.dense(x, 2, name="fc")
  L.dense(x, 2, name="fc", reuse=True)
  L.conv1d(_x(2, 4, 3), 2, 2, name="fc2")
  with v1.variable_scope("s"):
    L.dense(x, 2, name="fc")
  L.dense(x, 2)


@program
def reuse_through_variable_scope(L):
  def net(x):
    h = L.dense(x, 4, name="l1", activation=tf.nn.relu)
    h = L.batch_normalization(h, training=True, name="bn")
    return L.dense(h, 2, name="l2")
  x = _x(2, 3)
  with v1.variable_scope("model"):
    net(x)
  with v1.variable_scope("model", reuse=True):
    net(x)


@program
def reuse_auto_names(L):
  x = _x(2, 3)
  with v1.variable_scope("m"):
    L.dense(x, 2)
    L.conv1d(_x(2, 4, 3), 2, 2)
    L.dense(x, 2)
  with v1.variable_scope("m", reuse=True):
    L.dense(x, 2)
    L.conv1d(_x(2, 4, 3), 2, 2)
    L.dense(x, 2)


@program
def auto_reuse(L):
  x = _x(2, 3)
  for _ in range(2):
    with v1.variable_scope("ar", reuse=v1.AUTO_REUSE):
      L.dense(x, 2, name="d")
      L.dense(x, 2)


@program
def captured_scope_reentry(L):
  x = _x(2, 3)
  with v1.variable_scope("outer") as vs:
    L.dense(x, 2)
  with v1.variable_scope(vs, reuse=True):
    L.dense(x, 2)
  with v1.variable_scope(vs):
    L.dense(x, 2)


@program
def default_name_blocks(L):
  x = _x(2, 5, 5, 2)
  for _ in range(3):
    with v1.variable_scope(None, default_name="block"):
      x = L.conv2d(x, 2, 1)
      x = L.batch_normalization(x, training=True)


@program
def name_counted_by_dropout(L):
  x = _x(2, 3)
  L.dropout(x, name="dense")
  L.dense(x, 2)
  L.max_pooling1d(_x(2, 4, 3), 2, 2, name="dense")
  L.dense(x, 2)


@program
def class_forms(L):
  x = _x(2, 3)
  shared = L.Dense(2)
  shared(x)
  shared(x)
  L.Dense(2, name="named")(x)
  with v1.variable_scope("v"):
    L.Conv2D(2, 3)(_x(1, 4, 4, 1))
    L.BatchNormalization()(_x(2, 3), training=True)
  L.Dense(2)(x, scope="custom")
  L.Dense(2, _reuse=True)(x, scope="custom")


@program
def batch_norm_variants(L):
  x = _x(4, 2, 2, 3)
  L.batch_normalization(x, training=True)
  L.batch_normalization(x, training=False)
  L.batch_normalization(x, training=True, trainable=False)
  L.batch_normalization(x, training=True, center=False, scale=False)
  with v1.variable_scope("bn_scope"):
    L.batch_normalization(x, training=True, name="named")


@program
def regularized_layers(L):
  x = _x(2, 4, 4, 3)
  L.conv2d(x, 2, 3, kernel_regularizer=l2, bias_regularizer=l1)
  L.dense(_x(2, 3), 2, kernel_regularizer=l2, activity_regularizer=activity_l2)
  L.batch_normalization(x, gamma_regularizer=l2, training=True)
  L.dense(_x(2, 3), 2, kernel_regularizer=l2, name="dense", reuse=True)
  with v1.variable_scope("scoped", regularizer=l1):
    L.dense(_x(2, 3), 2)


@program
def partitioned_scope(L):
  with v1.variable_scope("p", partitioner=v1.fixed_size_partitioner(2)):
    y = L.dense(_x(2, 6), 4)
    L.batch_normalization(y, training=True)


@program
def errors_consume_names(L):
  try:
    L.dense(_x(3), 2)
  except ValueError:
    pass
  try:
    L.conv2d(_x(2, 4, 4), 2, 3)
  except ValueError:
    pass
  L.dense(_x(2, 3), 2)
  L.conv2d(_x(1, 4, 4, 1), 2, 3)


@program
def error_dense_rank1(L):
  L.dense(_x(2, 3), 2)
  L.dense(_x(3), 2)


@program
def error_conv_rank3(L):
  L.conv2d(_x(2, 4, 4), 2, 3)


@program
def error_pooling_rank3(L):
  L.max_pooling2d(_x(2, 4, 4), 2, 2)


@program
def error_dense_int_input(L):
  L.dense(tf.ones([2, 3], tf.int32), 2)


@program
def error_name_taken(L):
  L.dense(_x(2, 3), 2, name="fc")
  L.dense(_x(2, 3), 2, name="fc")


@program
def error_reuse_missing(L):
  L.dense(_x(2, 3), 2, name="fc", reuse=True)


@program
def error_reuse_shape_mismatch(L):
  L.dense(_x(2, 5), 3, name="fc")
  L.dense(_x(2, 4), 3, name="fc", reuse=True)


@program
def error_bad_padding(L):
  L.conv2d(_x(1, 4, 4, 1), 2, 3, padding="full")


@program
def error_kernel_size_length(L):
  L.conv2d(_x(1, 4, 4, 1), 2, (3, 3, 3))


@program
def error_zero_filters(L):
  L.conv2d(_x(1, 4, 4, 1), 0, 3)


@program
def error_strides_and_dilation(L):
  L.conv2d(_x(1, 6, 6, 1), 2, 3, strides=2, dilation_rate=2)


@program
def error_bad_data_format(L):
  L.conv2d(_x(1, 4, 4, 1), 2, 3, data_format="NHWC")


@program
def error_dropout_rate(L):
  L.dropout(_x(2, 3), rate=1.5)


@program
def error_pooling_strides_none(L):
  L.max_pooling2d(_x(1, 4, 4, 1), 2, None)


@program
def error_bn_axis(L):
  L.batch_normalization(_x(2, 3), axis=2)


@program
def batch_renorm_and_ghost_batches(L):
  x = _x(4, 3, 3, 2)
  L.batch_normalization(x, renorm=True, training=True)
  L.batch_normalization(x, virtual_batch_size=2, training=True)
  L.batch_normalization(x, virtual_batch_size=2, renorm=True, training=False)
  L.BatchNormalization(renorm=True, trainable=False, name="frozen")(
      x, training=True)
  L.batch_normalization(_x(6, 3), adjustment=lambda s: (1.0, 0.0),
                        training=True)


@program
def custom_layer_names(L):
  cls = _scaled_dense_class(L)
  x = _x(2, 3)
  first = cls(2)
  first(x)
  first(x)
  cls(2)(x)
  with v1.variable_scope("block", reuse=v1.AUTO_REUSE):
    cls(2, name="shared")(x)
    cls(2, name="shared")(x)
  cls(2, trainable=False)(x)


@program
def error_custom_layer_count_params_before_call(L):
  _scaled_dense_class(L)(2).count_params()


@program
def error_bn_renorm_clipping_keys(L):
  L.batch_normalization(_x(2, 3), renorm=True,
                        renorm_clipping={"rmax": 3.0, "r_max": 3.0})


@program
def error_bn_virtual_batch_size_zero(L):
  L.batch_normalization(_x(4, 3), virtual_batch_size=0)


@program
def error_bn_virtual_batch_axis0(L):
  L.batch_normalization(_x(4, 3), axis=0, virtual_batch_size=2)


@program
def error_bn_virtual_batch_with_adjustment(L):
  L.batch_normalization(_x(4, 3), virtual_batch_size=2,
                        adjustment=lambda s: (1.0, 0.0))


@program
def error_transpose_rank5(L):
  L.conv2d_transpose(_x(1, 2, 2, 2, 1), 2, 2)


@program
def error_conv_output_too_small(L):
  L.conv2d(_x(1, 2, 2, 1), 2, 5)


def _unknown(shape, known):
  """A tensor with static shape ``known`` (None dims) holding ones of ``shape``."""
  return v1.placeholder_with_default(tf.ones(shape), known)


@program(symbolic_only=True)
def error_dense_unknown_last_dim(L):
  L.dense(_unknown([2, 3], [2, None]), 2)


@program(symbolic_only=True)
def error_conv_unknown_channels(L):
  L.conv2d(_unknown([1, 4, 4, 2], [1, 4, 4, None]), 2, 3)


@program(symbolic_only=True)
def error_separable_unknown_channels(L):
  L.separable_conv1d(_unknown([1, 4, 2], [1, 4, None]), 2, 3)


@program(symbolic_only=True)
def error_transpose_unknown_channels(L):
  L.conv2d_transpose(_unknown([1, 4, 4, 2], [1, 4, 4, None]), 2, 3)


@program(symbolic_only=True)
def error_bn_unknown_axis(L):
  L.batch_normalization(_unknown([2, 3], [2, None]))


@program(symbolic_only=True)
def unknown_batch_dims(L):
  L.dense(_unknown([2, 3], [None, 3]), 2)
  L.conv2d(_unknown([2, 4, 4, 1], [None, None, None, 1]), 2, 3)
  L.batch_normalization(_unknown([2, 4, 4, 1], [None, 4, 4, 1]), training=True)


def describe(program_fn, L):
  """What a name program built: variables and collection sizes (run inside a graph or pass)."""
  program_fn(L)
  return {
      "variables": v1.global_variables(),
      "update_ops": len(v1.get_collection(v1.GraphKeys.UPDATE_OPS)),
      "regularization_losses": len(
          v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)),
  }
