"""Argument checks and conversions shared by the layers, with TF1's error messages.

Every check raises the exception type and message that ``tf.compat.v1.layers``
raises for the same argument, so TF1 code that catches them keeps working.
"""

import tensorflow as tf

_DATA_FORMATS = ("channels_first", "channels_last")
_PADDINGS = ("valid", "same", "causal")


def int_tuple(value, n, arg_name, allow_zero=False):
  """``value`` as a tuple of ``n`` ints (an int is repeated ``n`` times)."""
  if isinstance(value, int):
    values = (value,) * n
  else:
    try:
      values = tuple(value)
    except TypeError:
      raise ValueError(_int_tuple_message(value, n, arg_name)) from None
    if len(values) != n:
      raise ValueError(_int_tuple_message(value, n, arg_name))
    for item in values:
      if type(item) is not int:  # pylint: disable=unidiomatic-typecheck
        try:
          int(item)
        except (ValueError, TypeError):
          raise ValueError(_int_tuple_message(value, n, arg_name) +
                           f"including element {item} of type "
                           f"{type(item)}") from None
  for item in values:
    if item < 0 if allow_zero else item <= 0:
      _raise_not_positive(value, values, n, arg_name, allow_zero)
  return values


def _int_tuple_message(value, n, arg_name):
  return (f"The `{arg_name}` argument must be a tuple of {n} integers. "
          f"Received: {value}")


def _raise_not_positive(value, values, n, arg_name, allow_zero):
  """The error for the values of ``values`` below the minimum (all of them)."""
  if allow_zero:
    bad, requirement = {v for v in values if v < 0}, ">= 0"
  else:
    bad, requirement = {v for v in values if v <= 0}, "> 0"
  raise ValueError(_int_tuple_message(value, n, arg_name) +
                   f" including {bad} that does not satisfy the "
                   f"requirement `{requirement}`.")


def padding(value):
  """``"valid"``, ``"same"`` or ``"causal"``, lower-cased."""
  if type(value) is str and value in _PADDINGS:  # pylint: disable=unidiomatic-typecheck
    return value
  if isinstance(value, (list, tuple)):
    return value
  lowered = value.lower()
  if lowered not in _PADDINGS:
    raise ValueError(
        'The `padding` argument must be a list/tuple or one of "valid", '
        '"same" (or "causal", only for `Conv1D). '
        f"Received: {lowered}")
  return lowered


def data_format(value):
  """``"channels_last"`` or ``"channels_first"`` (None means channels_last)."""
  if value is None:
    return "channels_last"
  if type(value) is str and value in _DATA_FORMATS:  # pylint: disable=unidiomatic-typecheck
    return value
  lowered = value.lower()
  if lowered not in _DATA_FORMATS:
    raise ValueError(
        'The `data_format` argument must be one of "channels_first", '
        f'"channels_last". Received: {value}')
  return lowered


_SPATIAL_LETTERS = {3: "W", 4: "HW", 5: "DHW"}


def tf_data_format(fmt, ndim):
  """The TensorFlow op layout string (``"NHWC"``...) of a Keras data format."""
  spatial = _SPATIAL_LETTERS.get(ndim)
  if spatial is None:
    raise ValueError(f"Input rank not supported: {ndim}. "
                     "Expected values are [3, 4, 5]")
  if fmt == "channels_last":
    return "N" + spatial + "C"
  return "NC" + spatial


def conv_output_length(length, kernel, pad, stride, dilation=1):
  """Output length of a convolution or pooling along one dimension."""
  if length is None:
    return None
  span = kernel + (kernel - 1) * (dilation - 1)
  if pad in ("same", "causal"):
    out = length
  elif pad == "valid":
    out = length - span + 1
  else:  # "full"
    out = length + span - 1
  return (out + stride - 1) // stride


def deconv_output_length(length, kernel, pad, stride):
  """Output length of a transposed convolution along one dimension."""
  if length is None:
    return None
  if pad == "valid":
    return length * stride + max(kernel - stride, 0)
  return length * stride  # "same"


# --- Callables given by name ----------------------------------------------------
#
# TF1 code passes functions and initializer objects; names ("relu", "zeros",
# "l2") are looked up the way tf.compat.v1.layers did, through Keras.

_ACTIVATIONS = {
    "linear": None, "relu": tf.nn.relu, "relu6": tf.nn.relu6,
    "sigmoid": tf.sigmoid, "tanh": tf.tanh, "softmax": tf.nn.softmax,
    "elu": tf.nn.elu, "selu": tf.nn.selu, "softplus": tf.nn.softplus,
    "softsign": tf.nn.softsign, "swish": tf.nn.silu, "silu": tf.nn.silu,
    "exponential": tf.exp,
}


def activation(value):
  """None, a callable, or an activation name."""
  if value is None or callable(value):
    return value
  if isinstance(value, str) and value in _ACTIVATIONS:
    return _ACTIVATIONS[value]
  import keras  # pylint: disable=g-import-not-at-top
  return keras.activations.get(value)


def _keras_lookup(kind, value):
  import keras  # pylint: disable=g-import-not-at-top
  return getattr(keras, kind).get(value)


def initializer(value):
  """None, a TF1 initializer or callable, or a Keras initializer name or config."""
  if value is None or callable(value):
    return value
  return _keras_lookup("initializers", value)


def regularizer(value):
  if value is None or callable(value):
    return value
  return _keras_lookup("regularizers", value)


def constraint(value):
  if value is None or callable(value):
    return value
  return _keras_lookup("constraints", value)
