"""Convolutions: ``conv1d/2d/3d``, ``separable_conv1d/2d``, ``conv2d/3d_transpose``.

Variables are ``<scope>/kernel`` (``kernel_size + (in_channels, filters)``;
``kernel_size + (filters, in_channels)`` for the transposed ones),
``<scope>/depthwise_kernel`` and ``<scope>/pointwise_kernel`` for the
separable ones, and ``<scope>/bias``. ``data_format="channels_first"`` is
computed as TF1 computes it on a CPU (pooling and transposed convolutions go
through NHWC, which gives the same numbers).
"""

import tensorflow as tf

from tf1scope.layers import _args
from tf1scope.layers import base
from tf1scope.layers.input_spec import InputSpec

_ZEROS = tf.compat.v1.zeros_initializer()

# The op tf.nn.convolution runs for an undilated 2-D or 3-D convolution over
# inputs with one batch dimension; eagerly it is called directly (same op,
# same attributes), without tf.nn.convolution's Python shape handling.
_DIRECT_CONV_OPS = {2: tf.raw_ops.Conv2D, 3: tf.raw_ops.Conv3D}


class _Conv(base.Layer):
  """An N-D convolution (N = ``rank``) followed by a bias and an activation."""

  rank = None

  def __init__(self, filters, kernel_size, strides=1, padding="valid",
               data_format="channels_last", dilation_rate=1, activation=None,
               use_bias=True, kernel_initializer=None,
               bias_initializer=_ZEROS, kernel_regularizer=None,
               bias_regularizer=None, activity_regularizer=None,
               kernel_constraint=None, bias_constraint=None, trainable=True,
               name=None, **kwargs):
    super().__init__(trainable=trainable, name=name,
                     activity_regularizer=_args.regularizer(activity_regularizer),
                     **kwargs)
    rank = self.rank
    if isinstance(filters, float):
      filters = int(filters)
    if filters is not None and filters <= 0:
      raise ValueError("Invalid value for argument `filters`. Expected a "
                       f"strictly positive value. Received filters={filters}.")
    self.filters = filters
    self.kernel_size = _args.int_tuple(kernel_size, rank, "kernel_size")
    self.strides = _args.int_tuple(strides, rank, "strides", allow_zero=True)
    self.padding = _args.padding(padding)
    self.data_format = _args.data_format(data_format)
    self.dilation_rate = _args.int_tuple(dilation_rate, rank, "dilation_rate")
    self.activation = _args.activation(activation)
    self.use_bias = use_bias
    self.kernel_initializer = _args.initializer(kernel_initializer)
    self.bias_initializer = _args.initializer(bias_initializer)
    self.kernel_regularizer = _args.regularizer(kernel_regularizer)
    self.bias_regularizer = _args.regularizer(bias_regularizer)
    self.kernel_constraint = _args.constraint(kernel_constraint)
    self.bias_constraint = _args.constraint(bias_constraint)
    self.input_spec = InputSpec(min_ndim=rank + 2)
    self._check_arguments()
    self._tf_format = _args.tf_data_format(self.data_format, rank + 2)
    self.kernel = self.bias = None

  def _check_arguments(self):
    if not all(self.strides):
      raise ValueError("The argument `strides` cannot contains 0(s). "
                       f"Received: {self.strides}")
    if self.padding == "causal" and not self._allows_causal:
      raise ValueError("Causal padding is only supported for `Conv1D`and "
                       "`SeparableConv1D`.")
    if max(self.strides) > 1 and max(self.dilation_rate) > 1:
      raise ValueError(
          "`strides > 1` not supported in conjunction with `dilation_rate > "
          f"1`. Received: strides={self.strides} and "
          f"dilation_rate={self.dilation_rate}")

  _allows_causal = False

  @property
  def _channel_axis(self):
    return -1 - self.rank if self.data_format == "channels_first" else -1

  def _input_channels(self, input_shape, layer_label=""):
    """The channel dimension of the TensorShape ``input_shape``, which must be known."""
    axis = self._channel_axis
    # An unknown rank fails here as in TF1: 'NoneType' is not subscriptable.
    dims = input_shape.as_list() if input_shape.rank is not None else None
    channels = dims[axis]
    if channels is None:
      raise ValueError(
          f"The channel dimension of the inputs{layer_label} should be "
          f"defined. The input_shape received is {input_shape}, where axis "
          f"{axis} (0-based) is the channel dimension, which found to be "
          "`None`.")
    return channels

  def _bias_variable(self):
    if self.use_bias:
      self.bias = self.add_weight(
          name="bias", shape=(self.filters,),
          initializer=self.bias_initializer,
          regularizer=self.bias_regularizer, constraint=self.bias_constraint,
          trainable=True)

  def build(self, input_shape):
    input_shape = _as_shape(input_shape)
    channels = self._input_channels(input_shape)
    self._output_dims(input_shape.as_list())  # raises if a length is negative
    self.kernel = self.add_weight(
        name="kernel", shape=self.kernel_size + (channels, self.filters),
        initializer=self.kernel_initializer,
        regularizer=self.kernel_regularizer,
        constraint=self.kernel_constraint, trainable=True)
    self._bias_variable()
    self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                axes={self._channel_axis: channels})

  def _causal_padding(self, inputs):
    left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
    batch_rank = 1 if inputs.shape.rank is None else inputs.shape.rank - 2
    if self.data_format == "channels_last":
      return [[0, 0]] * batch_rank + [[left, 0], [0, 0]]
    return [[0, 0]] * batch_rank + [[0, 0], [left, 0]]

  def _add_bias(self, outputs):
    if self.rank == 1 and self.data_format == "channels_first":
      return outputs + tf.reshape(self.bias, (1, self.filters, 1))
    out_rank = outputs.shape.rank
    if out_rank is not None and out_rank > 2 + self.rank:
      # Extra batch dimensions: fold them into one around the bias add.
      shape = tf.shape(outputs)
      inner = shape[-(self.rank + 1):]
      folded = tf.reshape(outputs, tf.concat([[-1], inner], axis=0))
      folded = tf.nn.bias_add(folded, self.bias, data_format=self._tf_format)
      return tf.reshape(folded, shape)
    return tf.nn.bias_add(outputs, self.bias, data_format=self._tf_format)

  def call(self, inputs):
    input_shape = inputs.shape
    if (tf.executing_eagerly() and self.rank in _DIRECT_CONV_OPS and
        input_shape.rank == self.rank + 2 and self.padding != "causal" and
        max(self.dilation_rate) == 1):
      return self._direct_call(inputs)
    if self.padding == "causal":
      inputs = tf.pad(inputs, self._causal_padding(inputs))
    op_padding = "VALID" if self.padding == "causal" else self.padding.upper()
    outputs = tf.nn.convolution(
        inputs, self.kernel, strides=list(self.strides), padding=op_padding,
        dilations=list(self.dilation_rate), data_format=self._tf_format,
        name=type(self).__name__)
    if self.use_bias:
      outputs = self._add_bias(outputs)
    if not tf.executing_eagerly() and input_shape.rank:
      outputs.set_shape(self.compute_output_shape(input_shape))
    if self.activation is not None:
      return self.activation(outputs)
    return outputs

  def _direct_call(self, inputs):
    """``call`` for the case ``_DIRECT_CONV_OPS`` covers, with its ops called directly."""
    if self.data_format == "channels_last":
      strides = (1,) + self.strides + (1,)
      bias_format = "NHWC"
    else:
      strides = (1, 1) + self.strides
      bias_format = "NCHW"
    outputs = _DIRECT_CONV_OPS[self.rank](
        input=inputs, filter=self.kernel, strides=strides,
        padding=self.padding.upper(), data_format=self._tf_format,
        dilations=(1,) * (self.rank + 2), name=type(self).__name__)
    if self.use_bias:
      # tf.nn.bias_add's op: its data_format is NHWC or NCHW at any rank.
      outputs = tf.raw_ops.BiasAdd(value=outputs, bias=self.bias,
                                   data_format=bias_format)
    if self.activation is not None:
      return self.activation(outputs)
    return outputs

  def _spatial_output(self, lengths):
    return [_args.conv_output_length(length, self.kernel_size[i], self.padding,
                                     self.strides[i], self.dilation_rate[i])
            for i, length in enumerate(lengths)]

  def _output_dims(self, dims):
    """The output dimensions (a list) for the input dimensions ``dims``.

    Raises TF1's ValueError when one is negative (no TensorShape holds it).
    """
    batch_rank = len(dims) - self.rank - 1
    if self.data_format == "channels_last":
      out = (dims[:batch_rank] + self._spatial_output(dims[batch_rank:-1]) +
             [self.filters])
    else:
      out = (dims[:batch_rank] + [self.filters] +
             self._spatial_output(dims[batch_rank + 1:]))
    for length in out:
      if length is not None and length < 0:
        raise ValueError(
            "One of the dimensions in the output is <= 0 due to downsampling "
            f"in {self.name}. Consider increasing the input size. Received "
            f"input shape {dims} which would produce output shape with a zero "
            "or negative value in a dimension.")
    return out

  def compute_output_shape(self, input_shape):
    return tf.TensorShape(self._output_dims(
        tf.TensorShape(input_shape).as_list()))


def _as_shape(shape):
  """``shape`` as a TensorShape (a TensorShape is returned as is)."""
  if isinstance(shape, tf.TensorShape):
    return shape
  return tf.TensorShape(shape)


class Conv1D(_Conv):
  """1-D convolution over ``[batch, width, channels]`` (``padding="causal"`` allowed)."""
  rank = 1
  _allows_causal = True


class Conv2D(_Conv):
  """2-D convolution over ``[batch, height, width, channels]``."""
  rank = 2


class Conv3D(_Conv):
  """3-D convolution over ``[batch, depth, height, width, channels]``."""
  rank = 3


class _SeparableConv(_Conv):
  """A depthwise convolution, then a pointwise (1x1) one, then a bias."""

  def __init__(self, filters, kernel_size, strides=1, padding="valid",
               data_format="channels_last", dilation_rate=1,
               depth_multiplier=1, activation=None, use_bias=True,
               depthwise_initializer=None, pointwise_initializer=None,
               bias_initializer=_ZEROS, depthwise_regularizer=None,
               pointwise_regularizer=None, bias_regularizer=None,
               activity_regularizer=None, depthwise_constraint=None,
               pointwise_constraint=None, bias_constraint=None,
               trainable=True, name=None, **kwargs):
    super().__init__(
        filters=filters, kernel_size=kernel_size, strides=strides,
        padding=padding, data_format=data_format, dilation_rate=dilation_rate,
        activation=activation, use_bias=use_bias,
        bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
        activity_regularizer=activity_regularizer,
        bias_constraint=bias_constraint, trainable=trainable, name=name,
        **kwargs)
    self.depth_multiplier = depth_multiplier
    self.depthwise_initializer = _args.initializer(depthwise_initializer)
    self.pointwise_initializer = _args.initializer(pointwise_initializer)
    self.depthwise_regularizer = _args.regularizer(depthwise_regularizer)
    self.pointwise_regularizer = _args.regularizer(pointwise_regularizer)
    self.depthwise_constraint = _args.constraint(depthwise_constraint)
    self.pointwise_constraint = _args.constraint(pointwise_constraint)
    self.depthwise_kernel = self.pointwise_kernel = None

  def build(self, input_shape):
    input_shape = tf.TensorShape(input_shape)
    channels = self._input_channels(input_shape)
    self.input_spec = InputSpec(ndim=self.rank + 2,
                                axes={self._channel_axis: channels})
    self.depthwise_kernel = self.add_weight(
        name="depthwise_kernel",
        shape=self.kernel_size + (channels, self.depth_multiplier),
        initializer=self.depthwise_initializer,
        regularizer=self.depthwise_regularizer,
        constraint=self.depthwise_constraint, trainable=True)
    self.pointwise_kernel = self.add_weight(
        name="pointwise_kernel",
        shape=(1,) * self.rank + (self.depth_multiplier * channels,
                                  self.filters),
        initializer=self.pointwise_initializer,
        regularizer=self.pointwise_regularizer,
        constraint=self.pointwise_constraint, trainable=True)
    self._bias_variable()


class SeparableConv1D(_SeparableConv):
  """Separable 1-D convolution, computed as a 2-D one over a unit height."""
  rank = 1
  _allows_causal = True

  def call(self, inputs):
    if self.padding == "causal":
      inputs = tf.pad(inputs, self._causal_padding(inputs))
    if self.data_format == "channels_last":
      strides = (1,) + self.strides * 2 + (1,)
      spatial_axis = 1
    else:
      strides = (1, 1) + self.strides * 2
      spatial_axis = 2
    format_2d = _args.tf_data_format(self.data_format, 4)
    inputs = tf.expand_dims(inputs, spatial_axis)
    op_padding = "valid" if self.padding == "causal" else self.padding
    outputs = tf.compat.v1.nn.separable_conv2d(
        inputs, tf.expand_dims(self.depthwise_kernel, 0),
        tf.expand_dims(self.pointwise_kernel, 0), strides=strides,
        padding=op_padding.upper(), rate=(1,) + self.dilation_rate,
        data_format=format_2d)
    if self.use_bias:
      outputs = tf.nn.bias_add(outputs, self.bias, data_format=format_2d)
    outputs = tf.squeeze(outputs, [spatial_axis])
    if self.activation is not None:
      return self.activation(outputs)
    return outputs


class SeparableConv2D(_SeparableConv):
  """Separable 2-D convolution."""
  rank = 2

  def call(self, inputs):
    if self.data_format == "channels_last":
      strides = (1,) + self.strides + (1,)
    else:
      strides = (1, 1) + self.strides
    outputs = tf.nn.separable_conv2d(
        inputs, self.depthwise_kernel, self.pointwise_kernel, strides=strides,
        padding=self.padding.upper(), dilations=self.dilation_rate,
        data_format=self._tf_format)
    if self.use_bias:
      outputs = tf.nn.bias_add(outputs, self.bias, data_format=self._tf_format)
    if self.activation is not None:
      return self.activation(outputs)
    return outputs


class _ConvTranspose(_Conv):
  """A transposed convolution (the gradient of a convolution), then a bias."""

  def __init__(self, filters, kernel_size, strides=1, padding="valid",
               data_format="channels_last", activation=None, use_bias=True,
               kernel_initializer=None, bias_initializer=_ZEROS,
               kernel_regularizer=None, bias_regularizer=None,
               activity_regularizer=None, kernel_constraint=None,
               bias_constraint=None, trainable=True, name=None, **kwargs):
    super().__init__(
        filters=filters, kernel_size=kernel_size, strides=strides,
        padding=padding, data_format=data_format, activation=activation,
        use_bias=use_bias, kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        activity_regularizer=activity_regularizer,
        kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
        trainable=trainable, name=name, **kwargs)

  def build(self, input_shape):
    input_shape = tf.TensorShape(input_shape)
    ndim = self.rank + 2
    if len(input_shape) != ndim:
      raise ValueError(f"Inputs should have rank {ndim}. Received "
                       f"input_shape={input_shape}.")
    channels = self._input_channels(
        input_shape, f" to `{type(self).__name__}`")
    self.input_spec = InputSpec(ndim=ndim, axes={self._channel_axis: channels})
    self.kernel = self.add_weight(
        name="kernel", shape=self.kernel_size + (self.filters, channels),
        initializer=self.kernel_initializer,
        regularizer=self.kernel_regularizer,
        constraint=self.kernel_constraint, trainable=True)
    self._bias_variable()

  def _spatial_axes(self):
    first = 2 if self.data_format == "channels_first" else 1
    return list(range(first, first + self.rank))

  def compute_output_shape(self, input_shape):
    dims = tf.TensorShape(input_shape).as_list()
    channel = 1 if self.data_format == "channels_first" else self.rank + 1
    dims[channel] = self.filters
    for i, axis in enumerate(self._spatial_axes()):
      dims[axis] = _args.deconv_output_length(
          dims[axis], self.kernel_size[i], self.padding, self.strides[i])
    return tf.TensorShape(dims)

  def _output_shape_tensor(self, inputs, static_lengths):
    dynamic = tf.shape(inputs)
    lengths = []
    for i, axis in enumerate(self._spatial_axes()):
      length = static_lengths[i] if static_lengths else None
      if length is None:
        length = dynamic[axis]
      lengths.append(_args.deconv_output_length(
          length, self.kernel_size[i], self.padding, self.strides[i]))
    if self.data_format == "channels_first":
      return [dynamic[0], self.filters] + lengths
    return [dynamic[0]] + lengths + [self.filters]

  def _finish(self, inputs, outputs, bias_format):
    if not tf.executing_eagerly() and inputs.shape.rank:
      outputs.set_shape(self.compute_output_shape(inputs.shape))
    if self.use_bias:
      outputs = tf.nn.bias_add(outputs, self.bias, data_format=bias_format)
    if self.activation is not None:
      return self.activation(outputs)
    return outputs


class Conv2DTranspose(_ConvTranspose):
  """Transposed 2-D convolution ("deconvolution")."""
  rank = 2

  def call(self, inputs):
    static = None
    if inputs.shape.rank is not None:
      dims = inputs.shape.as_list()
      static = [dims[a] for a in self._spatial_axes()]
    output_shape = self._output_shape_tensor(inputs, static)
    x = inputs
    if self.data_format == "channels_first":  # TF1 on a CPU: through NHWC
      x = tf.compat.v1.transpose(x, (0, 2, 3, 1))
      output_shape = [output_shape[0], output_shape[2], output_shape[3],
                      output_shape[1]]
    outputs = tf.compat.v1.nn.conv2d_transpose(
        x, self.kernel, tf.stack(output_shape),
        (1,) + self.strides + (1,), padding=self.padding.upper(),
        data_format="NHWC")
    if self.data_format == "channels_first":
      outputs = tf.compat.v1.transpose(outputs, (0, 3, 1, 2))
    return self._finish(inputs, outputs, self._tf_format)


class Conv3DTranspose(_ConvTranspose):
  """Transposed 3-D convolution."""
  rank = 3

  def call(self, inputs):
    output_shape = self._output_shape_tensor(inputs, None)
    if self.data_format == "channels_first":
      strides = (1, 1) + self.strides
    else:
      strides = (1,) + self.strides + (1,)
    outputs = tf.nn.conv3d_transpose(
        inputs, self.kernel, tf.stack(output_shape), strides,
        data_format=self._tf_format, padding=self.padding.upper())
    return self._finish(inputs, outputs,
                        _args.tf_data_format(self.data_format, 4))


@base.entry_point
def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=_ZEROS,
           kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.conv1d``."""
  return base.make_and_call(
      Conv1D, "conv1d", inputs, {}, filters=filters, kernel_size=kernel_size,
      strides=strides, padding=padding, data_format=data_format,
      dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
      kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


@base.entry_point
def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=_ZEROS,
           kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.conv2d``.

  >>> import tensorflow as tf, tf1scope, tf1scope.layers
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self, x):
  ...     return tf1scope.layers.conv2d(x, 4, 3, padding="same", name="c1")
  >>> m = M(); m(tf.ones([1, 8, 8, 3])).shape
  TensorShape([1, 8, 8, 4])
  >>> {k: v.shape.as_list() for k, v in tf1scope.variables_by_name(m).items()}
  {'c1/kernel': [3, 3, 3, 4], 'c1/bias': [4]}
  """
  return base.make_and_call(
      Conv2D, "conv2d", inputs, {}, filters=filters, kernel_size=kernel_size,
      strides=strides, padding=padding, data_format=data_format,
      dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
      kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


@base.entry_point
def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1, 1),
           activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=_ZEROS, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True,
           name=None, reuse=None):
  """``tf.compat.v1.layers.conv3d``."""
  return base.make_and_call(
      Conv3D, "conv3d", inputs, {}, filters=filters, kernel_size=kernel_size,
      strides=strides, padding=padding, data_format=data_format,
      dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
      kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


@base.entry_point
def separable_conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
                     data_format="channels_last", dilation_rate=1,
                     depth_multiplier=1, activation=None, use_bias=True,
                     depthwise_initializer=None, pointwise_initializer=None,
                     bias_initializer=_ZEROS, depthwise_regularizer=None,
                     pointwise_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None,
                     trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.separable_conv1d``."""
  return base.make_and_call(
      SeparableConv1D, "separable_conv1d", inputs, {}, filters=filters,
      kernel_size=kernel_size, strides=strides, padding=padding,
      data_format=data_format, dilation_rate=dilation_rate,
      depth_multiplier=depth_multiplier, activation=activation,
      use_bias=use_bias, depthwise_initializer=depthwise_initializer,
      pointwise_initializer=pointwise_initializer,
      bias_initializer=bias_initializer,
      depthwise_regularizer=depthwise_regularizer,
      pointwise_regularizer=pointwise_regularizer,
      bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      depthwise_constraint=depthwise_constraint,
      pointwise_constraint=pointwise_constraint,
      bias_constraint=bias_constraint, trainable=trainable, name=name,
      _scope=name, _reuse=reuse)


@base.entry_point
def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1),
                     padding="valid", data_format="channels_last",
                     dilation_rate=(1, 1), depth_multiplier=1, activation=None,
                     use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=_ZEROS,
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None,
                     reuse=None):
  """``tf.compat.v1.layers.separable_conv2d``."""
  return base.make_and_call(
      SeparableConv2D, "separable_conv2d", inputs, {}, filters=filters,
      kernel_size=kernel_size, strides=strides, padding=padding,
      data_format=data_format, dilation_rate=dilation_rate,
      depth_multiplier=depth_multiplier, activation=activation,
      use_bias=use_bias, depthwise_initializer=depthwise_initializer,
      pointwise_initializer=pointwise_initializer,
      bias_initializer=bias_initializer,
      depthwise_regularizer=depthwise_regularizer,
      pointwise_regularizer=pointwise_regularizer,
      bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      depthwise_constraint=depthwise_constraint,
      pointwise_constraint=pointwise_constraint,
      bias_constraint=bias_constraint, trainable=trainable, name=name,
      _scope=name, _reuse=reuse)


@base.entry_point
def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1),
                     padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=_ZEROS, kernel_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None,
                     trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.conv2d_transpose``."""
  return base.make_and_call(
      Conv2DTranspose, "conv2d_transpose", inputs, {}, filters=filters,
      kernel_size=kernel_size, strides=strides, padding=padding,
      data_format=data_format, activation=activation, use_bias=use_bias,
      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
      kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


@base.entry_point
def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1),
                     padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=_ZEROS, kernel_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None,
                     trainable=True, name=None, reuse=None):
  """``tf.compat.v1.layers.conv3d_transpose``."""
  return base.make_and_call(
      Conv3DTranspose, "conv3d_transpose", inputs, {}, filters=filters,
      kernel_size=kernel_size, strides=strides, padding=padding,
      data_format=data_format, activation=activation, use_bias=use_bias,
      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
      kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
      activity_regularizer=activity_regularizer,
      kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
      trainable=trainable, name=name, _scope=name, _reuse=reuse)


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
Convolution2DTranspose = Deconvolution2D = Deconv2D = Conv2DTranspose
Convolution3DTranspose = Deconvolution3D = Deconv3D = Conv3DTranspose
convolution1d = conv1d
convolution2d = conv2d
convolution3d = conv3d
separable_convolution2d = separable_conv2d
convolution2d_transpose = deconvolution2d = deconv2d = conv2d_transpose
convolution3d_transpose = deconvolution3d = deconv3d = conv3d_transpose
