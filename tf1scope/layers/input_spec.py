"""``InputSpec``: what a layer accepts, checked on every call with TF1's messages."""

import tensorflow as tf


class InputSpec:
  """The rank, dtype and fixed dimensions a layer's input must have.

  >>> spec = InputSpec(min_ndim=2, axes={-1: 3})
  >>> check(spec, tf.zeros([4, 3]), "dense")   # passes
  >>> check(spec, tf.zeros([4]), "dense")
  Traceback (most recent call last):
  ...
  ValueError: Input 0 of layer "dense" is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (4,)
  """

  def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None,
               min_ndim=None, axes=None):
    self.dtype = tf.as_dtype(dtype).name if dtype is not None else None
    self.shape = tuple(shape) if shape is not None else None
    self.ndim = len(shape) if shape is not None else ndim
    self.max_ndim = max_ndim
    self.min_ndim = min_ndim
    self.axes = dict(axes or {})

  def __repr__(self):
    parts = [f"{k}={v}" for k, v in (
        ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
        ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
        ("axes", self.axes or None)) if v is not None]
    return "InputSpec(%s)" % ", ".join(parts)


def _incompatible(layer_name, detail):
  return ValueError(f'Input 0 of layer "{layer_name}" is incompatible with the '
                    f"layer: {detail}")


def check_count(spec, inputs, layer_name):
  """TF1's error for several tensors given to a layer that takes one."""
  if spec is None or not isinstance(inputs, (list, tuple)) or len(inputs) == 1:
    return
  raise ValueError(f"Layer {layer_name} expects 1 input(s), but it received "
                   f"{len(inputs)} input tensors. Inputs received: {inputs}")


def check(spec, x, layer_name):
  """Raises TF1's ValueError if the tensor ``x`` does not satisfy ``spec``."""
  if spec is None:
    return
  shape = x.shape
  ndim = shape.rank
  if ndim is None:
    return
  if ((spec.ndim is not None and ndim != spec.ndim) or
      (spec.max_ndim is not None and ndim > spec.max_ndim) or
      (spec.min_ndim is not None and ndim < spec.min_ndim)):
    _raise_rank_error(spec, ndim, shape, layer_name)
  if spec.dtype is not None and x.dtype.name != spec.dtype:
    raise _incompatible(layer_name, f"expected dtype={spec.dtype}, found "
                        f"dtype={x.dtype}")
  if spec.axes or spec.shape is not None:
    _check_dims(spec, shape.as_list(), layer_name)


def _raise_rank_error(spec, ndim, shape, layer_name):
  """The error of the first rank condition ``ndim`` fails, in ``check``'s order."""
  full = f"Full shape received: {tuple(shape)}"
  if spec.ndim is not None and ndim != spec.ndim:
    raise _incompatible(layer_name, f"expected ndim={spec.ndim}, found "
                        f"ndim={ndim}. {full}")
  if spec.max_ndim is not None and ndim > spec.max_ndim:
    raise _incompatible(layer_name, f"expected max_ndim={spec.max_ndim}, "
                        f"found ndim={ndim}")
  raise _incompatible(layer_name, f"expected min_ndim={spec.min_ndim}, "
                      f"found ndim={ndim}. {full}")


def _check_dims(spec, dims, layer_name):
  for axis, value in spec.axes.items():
    if value is not None and dims[int(axis)] not in (value, None):
      raise _incompatible(
          layer_name, f"expected axis {axis} of input shape to have value "
          f"{value}, but received input with shape {tuple(dims)}")
  if spec.shape is not None:
    for want, got in zip(spec.shape, dims):
      if want is not None and got is not None and want != got:
        raise _incompatible(layer_name, f"expected shape={spec.shape}, found "
                            f"shape={tuple(dims)}")
