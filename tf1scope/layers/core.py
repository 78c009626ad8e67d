"""``dense``, ``dropout`` and ``flatten`` with TF1's signatures, names and numbers."""

import functools
import numbers
import operator

import tensorflow as tf

from tf1scope.layers import _args
from tf1scope.layers import base
from tf1scope.layers.input_spec import InputSpec

_ZEROS = tf.compat.v1.zeros_initializer()


class Dense(base.Layer):
  """``outputs = activation(inputs @ kernel + bias)``; variables ``<scope>/kernel``, ``<scope>/bias``."""

  def __init__(self, units, activation=None, use_bias=True,
               kernel_initializer=None, bias_initializer=_ZEROS,
               kernel_regularizer=None, bias_regularizer=None,
               activity_regularizer=None, kernel_constraint=None,
               bias_constraint=None, trainable=True, name=None, **kwargs):
    super().__init__(trainable=trainable, name=name,
                     activity_regularizer=_args.regularizer(activity_regularizer),
                     **kwargs)
    self.units = units if isinstance(units, int) else int(units)
    if self.units < 0:
      raise ValueError("Received an invalid value for `units`, expected a "
                       f"positive integer. Received: units={units}")
    self.activation = _args.activation(activation)
    self.use_bias = use_bias
    self.kernel_initializer = _args.initializer(kernel_initializer)
    self.bias_initializer = _args.initializer(bias_initializer)
    self.kernel_regularizer = _args.regularizer(kernel_regularizer)
    self.bias_regularizer = _args.regularizer(bias_regularizer)
    self.kernel_constraint = _args.constraint(kernel_constraint)
    self.bias_constraint = _args.constraint(bias_constraint)
    self.input_spec = InputSpec(min_ndim=2)
    self.kernel = self.bias = None

  def build(self, input_shape):
    dtype = self._dtype
    if not (dtype.is_floating or dtype.is_complex):
      raise TypeError("A Dense layer can only be built with a floating-point "
                      f"dtype. Received: dtype={dtype}")
    if not isinstance(input_shape, tf.TensorShape):
      input_shape = tf.TensorShape(input_shape)
    last_dim = tf.compat.dimension_value(input_shape[-1])
    if last_dim is None:
      raise ValueError("The last dimension of the inputs to a Dense layer "
                       "should be defined. Found None. Full input shape "
                       f"received: {input_shape}")
    self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
    self.kernel = self.add_weight(
        "kernel", shape=[last_dim, self.units],
        initializer=self.kernel_initializer,
        regularizer=self.kernel_regularizer,
        constraint=self.kernel_constraint, trainable=True)
    if self.use_bias:
      self.bias = self.add_weight(
          "bias", shape=[self.units], initializer=self.bias_initializer,
          regularizer=self.bias_regularizer, constraint=self.bias_constraint,
          trainable=True)

  def compute_output_shape(self, input_shape):
    """``input_shape`` with its last dimension replaced by ``units`` (TF1's checks)."""
    input_shape = tf.TensorShape(input_shape).with_rank_at_least(2)
    if tf.compat.dimension_value(input_shape[-1]) is None:
      raise ValueError(
          "The innermost dimension of input_shape must be defined, but saw: "
          f"{input_shape}")
    return input_shape[:-1].concatenate(self.units)

  def call(self, inputs):
    dtype = inputs.dtype
    if dtype is not self._dtype and dtype.base_dtype != self._dtype:
      inputs = tf.cast(inputs, self._dtype)
    rank = inputs.shape.rank
    if rank == 2 and tf.executing_eagerly():
      # tf.matmul's and tf.nn.bias_add's ops, without their Python.
      outputs = tf.raw_ops.MatMul(a=inputs, b=self.kernel)
      if self.use_bias:
        outputs = tf.raw_ops.BiasAdd(value=outputs, bias=self.bias,
                                     data_format="NHWC")
      if self.activation is not None:
        outputs = self.activation(outputs)
      return outputs
    if rank == 2 or rank is None:
      outputs = tf.matmul(inputs, self.kernel)
    else:
      outputs = tf.tensordot(inputs, self.kernel, [[rank - 1], [0]])
      if not tf.executing_eagerly():
        outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
    if self.use_bias:
      outputs = tf.nn.bias_add(outputs, self.bias)
    if self.activation is not None:
      outputs = self.activation(outputs)
    return outputs


@base.entry_point
def dense(inputs, units, activation=None, use_bias=True,
          kernel_initializer=None, bias_initializer=_ZEROS,
          kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.dense``: a fully connected layer in ``variable_scope(name or "dense")``.

  >>> import tensorflow as tf, tf1scope, tf1scope.layers
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self, x):
  ...     h = tf1scope.layers.dense(x, 4, activation=tf.nn.relu)
  ...     return tf1scope.layers.dense(h, 2)
  >>> m = M(); m(tf.ones([1, 3])).shape
  TensorShape([1, 2])
  >>> list(tf1scope.variables_by_name(m))
  ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']
  """
  return base.make_and_call(
      Dense, "dense", inputs, {}, units=units, activation=activation,
      use_bias=use_bias, kernel_initializer=kernel_initializer,
      bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
      bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


class Dropout(base.Layer):
  """Zeroes a fraction ``rate`` of the inputs and scales the rest by ``1 / (1 - rate)``."""

  def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None,
               **kwargs):
    super().__init__(name=name, **kwargs)
    if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
      raise ValueError(f"Invalid value {rate} received for `rate`, expected "
                       "a value between 0 and 1.")
    self.rate = rate
    self.noise_shape = noise_shape
    self.seed = seed

  def _noise_shape(self, inputs):
    if self.noise_shape is None:
      return None
    dynamic = tf.shape(inputs)
    return tf.convert_to_tensor(
        [dynamic[i] if value is None else value
         for i, value in enumerate(self.noise_shape)])

  def _next_seed(self):
    """TF1 gives each call of a seeded layer the next seed: seed, seed + 1, ..."""
    if self.seed is None:
      return None
    state = self._call_state()
    offset = state.get("seed_offset", 0)
    state["seed_offset"] = offset + 1
    return self.seed + offset

  def call(self, inputs, training=False):
    if isinstance(self.rate, numbers.Real) and self.rate == 0:
      return tf.identity(inputs)

    def dropped():
      return tf.nn.dropout(inputs, rate=self.rate,
                           noise_shape=self._noise_shape(inputs),
                           seed=self._next_seed())
    return base.smart_cond(training, dropped, lambda: tf.identity(inputs))


@base.entry_point
def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False,
            name=None):
  """``tf.compat.v1.layers.dropout``: identity unless ``training`` (a bool or a bool tensor)."""
  return base.make_and_call(
      Dropout, "dropout", inputs, {"training": training}, rate=rate,
      noise_shape=noise_shape, seed=seed, name=name)


class Flatten(base.Layer):
  """Reshapes ``[batch, d1, d2, ...]`` to ``[batch, d1 * d2 * ...]``."""

  def __init__(self, data_format="channels_last", name=None, **kwargs):
    super().__init__(name=name, **kwargs)
    self.data_format = _args.data_format(data_format)
    self.input_spec = InputSpec(min_ndim=1)

  def call(self, inputs):
    rank = inputs.shape.rank
    if self.data_format == "channels_first" and rank and rank > 1:
      inputs = tf.transpose(inputs, perm=[0] + list(range(2, rank)) + [1])
    if tf.executing_eagerly():
      return tf.reshape(inputs, tf.constant([inputs.shape[0], -1]))
    shape = inputs.shape
    if shape.rank == 1:
      return tf.expand_dims(inputs, axis=1)
    rest = shape[1:]
    if rest.is_fully_defined():
      size = int(functools.reduce(operator.mul, rest.as_list(), 1))
      return tf.reshape(inputs, tf.constant([-1, size]))
    batch = tf.compat.dimension_value(shape[0])
    if batch is not None:
      return tf.reshape(inputs, tf.constant([int(batch), -1]))
    return tf.reshape(inputs, [tf.shape(inputs)[0], -1])


@base.entry_point
def flatten(inputs, name=None, data_format="channels_last"):
  """``tf.compat.v1.layers.flatten``."""
  return base.make_and_call(Flatten, "flatten", inputs, {}, name=name,
                            data_format=data_format)


FullyConnected = Dense
fully_connected = dense
