"""Max and average pooling in 1, 2 and 3 dimensions (no variables; a scope each, as in TF1)."""

import tensorflow as tf

from tf1scope.layers import _args
from tf1scope.layers import base
from tf1scope.layers.input_spec import InputSpec


class _Pooling(base.Layer):
  """Pools windows of ``pool_size`` every ``strides`` with ``mode`` "max" or "avg"."""

  rank = None
  mode = None

  def __init__(self, pool_size, strides, padding="valid",
               data_format="channels_last", name=None, **kwargs):
    if strides is None:
      raise ValueError("Argument `strides` must not be None.")
    super().__init__(name=name, **kwargs)
    self.pool_size = _args.int_tuple(pool_size, self.rank, "pool_size")
    self.strides = _args.int_tuple(strides, self.rank, "strides",
                                   allow_zero=True)
    self.padding = _args.padding(padding)
    self.data_format = _args.data_format(data_format)
    self.input_spec = InputSpec(ndim=self.rank + 2)

  def _pool_nhwc(self, x, window, strides):
    """Pools a channels-last 4-D tensor with TF1's 2-D pooling ops."""
    pool = (tf.compat.v1.nn.max_pool if self.mode == "max"
            else tf.compat.v1.nn.avg_pool)
    return pool(x, (1,) + window + (1,), (1,) + strides + (1,),
                padding=self.padding.upper(), data_format="NHWC")


class _Pooling1D(_Pooling):
  rank = 1

  def call(self, inputs):
    # TF1 pools a 1-D signal as an image of width 1 (channels-last on a CPU).
    axis = 2 if self.data_format == "channels_last" else 3
    x = tf.expand_dims(inputs, axis)
    if self.data_format == "channels_first":
      x = tf.compat.v1.transpose(x, (0, 2, 3, 1))
    x = self._pool_nhwc(x, self.pool_size + (1,), self.strides + (1,))
    if self.data_format == "channels_first":
      x = tf.compat.v1.transpose(x, (0, 3, 1, 2))
    return tf.squeeze(x, axis)


class _Pooling2D(_Pooling):
  rank = 2

  def call(self, inputs):
    if self.data_format == "channels_last":
      return self._pool_nhwc(inputs, self.pool_size, self.strides)
    # Through NHWC, as TF1's graph optimizer ran it on a CPU: the CPU has
    # no NCHW pooling gradient, so a direct NCHW pool trains on GPUs only.
    x = tf.compat.v1.transpose(inputs, (0, 2, 3, 1))
    x = self._pool_nhwc(x, self.pool_size, self.strides)
    return tf.compat.v1.transpose(x, (0, 3, 1, 2))


class _Pooling3D(_Pooling):
  rank = 3

  def call(self, inputs):
    pool = tf.nn.max_pool3d if self.mode == "max" else tf.nn.avg_pool3d
    x = inputs
    if self.data_format == "channels_first":
      x = tf.transpose(x, (0, 2, 3, 4, 1))
    x = pool(x, ksize=(1,) + self.pool_size + (1,),
             strides=(1,) + self.strides + (1,),
             padding=self.padding.upper())
    if self.data_format == "channels_first":
      x = tf.transpose(x, (0, 4, 1, 2, 3))
    return x


class MaxPooling1D(_Pooling1D):
  mode = "max"


class AveragePooling1D(_Pooling1D):
  mode = "avg"


class MaxPooling2D(_Pooling2D):
  mode = "max"


class AveragePooling2D(_Pooling2D):
  mode = "avg"


class MaxPooling3D(_Pooling3D):
  mode = "max"


class AveragePooling3D(_Pooling3D):
  mode = "avg"


def _pool(cls, api_name, inputs, pool_size, strides, padding, data_format,
          name):
  return base.make_and_call(cls, api_name, inputs, {}, pool_size=pool_size,
                            strides=strides, padding=padding,
                            data_format=data_format, name=name)


@base.entry_point
def max_pooling1d(inputs, pool_size, strides, padding="valid",
                  data_format="channels_last", name=None):
  """``tf.compat.v1.layers.max_pooling1d``."""
  return _pool(MaxPooling1D, "max_pooling1d", inputs, pool_size, strides,
               padding, data_format, name)


@base.entry_point
def average_pooling1d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
  """``tf.compat.v1.layers.average_pooling1d``."""
  return _pool(AveragePooling1D, "average_pooling1d", inputs, pool_size,
               strides, padding, data_format, name)


@base.entry_point
def max_pooling2d(inputs, pool_size, strides, padding="valid",
                  data_format="channels_last", name=None):
  """``tf.compat.v1.layers.max_pooling2d``."""
  return _pool(MaxPooling2D, "max_pooling2d", inputs, pool_size, strides,
               padding, data_format, name)


@base.entry_point
def average_pooling2d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
  """``tf.compat.v1.layers.average_pooling2d``."""
  return _pool(AveragePooling2D, "average_pooling2d", inputs, pool_size,
               strides, padding, data_format, name)


@base.entry_point
def max_pooling3d(inputs, pool_size, strides, padding="valid",
                  data_format="channels_last", name=None):
  """``tf.compat.v1.layers.max_pooling3d``."""
  return _pool(MaxPooling3D, "max_pooling3d", inputs, pool_size, strides,
               padding, data_format, name)


@base.entry_point
def average_pooling3d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
  """``tf.compat.v1.layers.average_pooling3d``."""
  return _pool(AveragePooling3D, "average_pooling3d", inputs, pool_size,
               strides, padding, data_format, name)


AvgPool2D = AveragePooling2D
MaxPool2D = MaxPooling2D
max_pool2d = max_pooling2d
avg_pool2d = average_pooling2d
