"""``batch_normalization`` with TF1's variables, fused kernel choice and moving averages.

Variables: ``<scope>/gamma`` (if ``scale``), ``<scope>/beta`` (if ``center``),
``<scope>/moving_mean`` and ``<scope>/moving_variance`` (not trainable).

In training mode each call makes two update ops,
``moving -= (moving - batch_statistic) * (1 - momentum)``, and adds them to
``UPDATE_OPS``. In a TF1 graph they run when the user runs ``UPDATE_OPS``; in a
pass they run in the pass itself (eagerly, or as part of the ``tf.function``),
so after one training pass the moving statistics are what TF1 has after one
run of ``UPDATE_OPS``. As in TF1, a layer with ``trainable=False`` reports no
updates (and so updates nothing).

As in TF1, ``fused=None`` means fused whenever the fused kernel can be used
(4-D or 5-D input, a single channel axis at 1 or last, float16/bfloat16/float32),
and the two kernels give TF1's (different) numbers: the fused kernel's batch
variance, used for the moving variance, has Bessel's correction, the unfused
one's does not.

Batch renormalization (``renorm=True``: also ``moving_stddev``,
``renorm_mean`` and ``renorm_stddev``), ghost batches
(``virtual_batch_size``) and ``adjustment`` are TF1's, on the unfused kernel.

>>> import tensorflow as tf, tf1scope, tf1scope.layers
>>> class M(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     return tf1scope.layers.batch_normalization(
...         x, renorm=True, virtual_batch_size=2, training=True)
>>> m = M(); y = m(tf.reshape(tf.range(8.0), [4, 2]))
>>> [name for name in tf1scope.variables_by_name(m)][-3:]
['batch_normalization/moving_stddev', 'batch_normalization/renorm_mean', 'batch_normalization/renorm_stddev']
>>> tf1scope.variables_by_name(m)["batch_normalization/gamma"].shape
TensorShape([1, 1, 2])
"""

import tensorflow as tf

from tf1scope.layers import _args
from tf1scope.layers import base
from tf1scope.layers.input_spec import InputSpec

_ON_READ = tf.VariableSynchronization.ON_READ
_MEAN = tf.VariableAggregation.MEAN
_FUSED_DTYPES = (tf.float16, tf.bfloat16, tf.float32)
_FUSED_FORMATS = {(1, 4): "NCHW", (3, 4): "NHWC", (1, 5): "NCDHW",
                  (4, 5): "NDHWC"}


def _normalized_axes(axis, input_shape):
  rank = input_shape.rank
  if not rank:
    raise ValueError(
        f"Input has undefined rank. Received: input_shape={input_shape}")
  axes = [axis] if isinstance(axis, int) else list(axis)
  axes = [a + rank if a < 0 else a for a in axes]
  for a in axes:
    if a < 0 or a >= rank:
      raise ValueError(
          "Invalid value for `axis` argument. Expected 0 <= axis < "
          f"inputs.rank (with inputs.rank={rank}). Received: axis={tuple(axes)}")
  if len(axes) != len(set(axes)):
    raise ValueError(f"Duplicate axis: {tuple(axes)}")
  return axes


class BatchNormalization(base.Layer):
  """Normalizes with batch statistics (training) or moving statistics (inference)."""

  def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
               scale=True,
               beta_initializer=tf.compat.v1.zeros_initializer(),
               gamma_initializer=tf.compat.v1.ones_initializer(),
               moving_mean_initializer=tf.compat.v1.zeros_initializer(),
               moving_variance_initializer=tf.compat.v1.ones_initializer(),
               beta_regularizer=None, gamma_regularizer=None,
               beta_constraint=None, gamma_constraint=None, renorm=False,
               renorm_clipping=None, renorm_momentum=0.99, fused=None,
               trainable=True, virtual_batch_size=None, adjustment=None,
               name=None, **kwargs):
    super().__init__(trainable=trainable, name=name, **kwargs)
    if isinstance(axis, (list, tuple)):
      self.axis = list(axis)
    elif isinstance(axis, int):
      self.axis = axis
    else:
      raise TypeError("Expected an int or a list/tuple of ints for the "
                      "argument 'axis', but received: %r" % (axis,))
    self.renorm = renorm
    self.virtual_batch_size = virtual_batch_size
    self.adjustment = adjustment
    if renorm:
      renorm_clipping = renorm_clipping or {}
      keys = ["rmax", "rmin", "dmax"]
      if set(renorm_clipping) - set(keys):
        raise ValueError(
            "Received invalid keys for `renorm_clipping` argument: "
            f"{renorm_clipping}. Supported values: {keys}.")
      self.renorm_clipping = renorm_clipping
      self.renorm_momentum = renorm_momentum
    self.momentum = momentum
    self.epsilon = epsilon
    self.center = center
    self.scale = scale
    self.beta_initializer = _args.initializer(beta_initializer)
    self.gamma_initializer = _args.initializer(gamma_initializer)
    self.moving_mean_initializer = _args.initializer(moving_mean_initializer)
    self.moving_variance_initializer = _args.initializer(
        moving_variance_initializer)
    self.beta_regularizer = _args.regularizer(beta_regularizer)
    self.gamma_regularizer = _args.regularizer(gamma_regularizer)
    self.beta_constraint = _args.constraint(beta_constraint)
    self.gamma_constraint = _args.constraint(gamma_constraint)
    self.fused = True if fused is None else fused
    self._data_format = None
    self.gamma = self.beta = None
    self.moving_mean = self.moving_variance = None
    self.moving_stddev = self.renorm_mean = self.renorm_stddev = None

  @property
  def _param_dtype(self):
    if self._dtype in (tf.float16, tf.bfloat16):
      return tf.float32
    return self._dtype or tf.float32

  def build(self, input_shape):
    input_shape = tf.TensorShape(input_shape)
    self.axis = _normalized_axes(self.axis, input_shape)
    rank = input_shape.rank
    virtual = self.virtual_batch_size
    if virtual is not None:
      if virtual <= 0:
        raise ValueError(
            "`virtual_batch_size` must be a positive integer that divides the "
            "true batch size of the input tensor. Received: "
            f"virtual_batch_size={virtual}")
      if 0 in self.axis:
        raise ValueError(
            "When using `virtual_batch_size`, the batch dimension must be 0 "
            f"and thus axis cannot include 0. Received axis={self.axis}")
      if self.adjustment is not None:
        raise ValueError(
            "When using `virtual_batch_size`, adjustment cannot be specified")
    if self.fused:
      fmt = None
      if (len(self.axis) == 1 and self._dtype in _FUSED_DTYPES and
          not self.renorm and virtual is None and self.adjustment is None):
        fmt = _FUSED_FORMATS.get((self.axis[0], rank))
      self.fused = fmt is not None
      self._data_format = fmt
    axis_to_dim = {a: input_shape.dims[a].value for a in self.axis}
    if any(dim is None for dim in axis_to_dim.values()):
      raise ValueError(
          "Input has undefined `axis` dimension. Received input with shape "
          f"{tuple(input_shape)} and axis={tuple(self.axis)}")
    self.input_spec = InputSpec(ndim=rank, axes=axis_to_dim)
    if len(axis_to_dim) == 1 and virtual is None:
      param_shape = (list(axis_to_dim.values())[0],)
    else:
      param_shape = [axis_to_dim.get(i, 1) for i in range(rank)]
      if virtual is not None:
        # The input is seen as [virtual batch, number of virtual batches, ...].
        param_shape.insert(1, 1)
        self.axis = [a + 1 for a in self.axis]
    self._param_shape = param_shape
    dtype = self._param_dtype
    if self.scale:
      self.gamma = self.add_weight(
          "gamma", shape=param_shape, dtype=dtype,
          initializer=self.gamma_initializer,
          regularizer=self.gamma_regularizer,
          constraint=self.gamma_constraint, trainable=True)
    if self.center:
      self.beta = self.add_weight(
          "beta", shape=param_shape, dtype=dtype,
          initializer=self.beta_initializer, regularizer=self.beta_regularizer,
          constraint=self.beta_constraint, trainable=True)
    # As in TF1, the moving statistics are never partitioned.
    scope = tf.compat.v1.get_variable_scope()
    partitioner = scope.partitioner
    scope.set_partitioner(None)
    try:
      self.moving_mean = self.add_weight(
          "moving_mean", shape=param_shape, dtype=dtype,
          initializer=self.moving_mean_initializer, synchronization=_ON_READ,
          trainable=False, aggregation=_MEAN)
      self.moving_variance = self.add_weight(
          "moving_variance", shape=param_shape, dtype=dtype,
          initializer=self.moving_variance_initializer,
          synchronization=_ON_READ, trainable=False, aggregation=_MEAN)
      if self.renorm:
        self._build_renorm(param_shape, dtype)
    finally:
      scope.set_partitioner(partitioner)

  def _build_renorm(self, param_shape, dtype):
    """Batch renormalization's variables, after the moving statistics (TF1's order).

    ``moving_stddev`` is the inference statistic (``moving_variance`` is
    derived from it); ``renorm_mean`` and ``renorm_stddev`` are the averages
    the training corrections use.
    """
    variance_initializer = self.moving_variance_initializer

    def stddev_initializer(*args, **kwargs):
      return tf.sqrt(variance_initializer(*args, **kwargs))

    def statistic(name, initializer):
      return self.add_weight(
          name, shape=param_shape, dtype=dtype, initializer=initializer,
          synchronization=_ON_READ, trainable=False, aggregation=_MEAN)
    self.moving_stddev = statistic("moving_stddev", stddev_initializer)
    self.renorm_mean = statistic("renorm_mean", self.moving_mean_initializer)
    self.renorm_stddev = statistic("renorm_stddev", stddev_initializer)

  # --- Moving averages ------------------------------------------------------

  def _assign_moving_average(self, variable, value, momentum):
    with tf.name_scope("AssignMovingAvg") as scope:
      decay = tf.convert_to_tensor(1.0 - momentum, name="decay")
      if decay.dtype != variable.dtype.base_dtype:
        decay = tf.cast(decay, variable.dtype.base_dtype)
      delta = (variable - tf.cast(value, variable.dtype)) * decay
      return tf.compat.v1.assign_sub(variable, delta, name=scope)

  def _add_updates(self, training, mean_value, variance_value, momentum):
    """The two moving-average updates, made only where TF1 would report them."""
    if not self.trainable:
      return

    def update(variable, value):
      return self._assign_moving_average(variable, value, momentum)

    def renorm_variance_update():
      # The moving stddev is averaged (epsilon inside, as in training) and
      # the moving variance derived from it (relu: rounding can go below 0).
      stddev = update(self.moving_stddev,
                      tf.sqrt(variance_value + self.epsilon))
      with tf.name_scope("AssignNewValue") as scope:
        return tf.compat.v1.assign(
            self.moving_variance,
            tf.nn.relu(stddev * stddev - self.epsilon), name=scope)

    self.add_update(base.smart_cond(
        training, lambda: update(self.moving_mean, mean_value),
        lambda: self.moving_mean))
    self.add_update(base.smart_cond(
        training,
        renorm_variance_update if self.renorm
        else lambda: update(self.moving_variance, variance_value),
        lambda: self.moving_variance))

  def _renorm_correction(self, mean, variance, training):
    """Batch renormalization: the corrections ``(r, d)`` and the statistics to average.

    ``r`` and ``d`` use the renorm averages from before this batch. In TF1
    the averages' updates are inputs of the moving-statistics updates, so
    they run with ``UPDATE_OPS`` only; here they run in the pass, like those,
    and not at all for a non-trainable layer (which reports no updates).
    """
    stddev = tf.sqrt(variance + self.epsilon)
    renorm_stddev = tf.maximum(self.renorm_stddev, tf.sqrt(self.epsilon))
    r = stddev / renorm_stddev
    d = (mean - self.renorm_mean) / renorm_stddev
    with tf.control_dependencies([r, d]):
      mean = tf.identity(mean)
      stddev = tf.identity(stddev)
    clipping = self.renorm_clipping
    rmin, rmax, dmax = (clipping.get(k) for k in ("rmin", "rmax", "dmax"))
    if rmin is not None:
      r = tf.maximum(r, rmin)
    if rmax is not None:
      r = tf.minimum(r, rmax)
    if dmax is not None:
      d = tf.minimum(tf.maximum(d, -dmax), dmax)
    r = base.smart_cond(training, lambda: r, lambda: tf.ones_like(r))
    d = base.smart_cond(training, lambda: d, lambda: tf.zeros_like(d))

    if not self.trainable:
      return r, d, mean, variance

    def average(variable, value):
      value = tf.identity(value)
      return base.smart_cond(
          training,
          lambda: self._assign_moving_average(variable, value,
                                              self.renorm_momentum),
          lambda: tf.identity(variable))
    updated = [average(self.renorm_mean, mean),
               average(self.renorm_stddev, stddev)]
    with tf.control_dependencies(updated):
      return r, d, tf.identity(mean), tf.identity(variance)

  # --- Calling --------------------------------------------------------------

  def call(self, inputs, training=False):
    inputs = tf.cast(inputs, self._dtype)
    if self.fused:
      return self._fused_call(inputs, training)
    return self._unfused_call(inputs, training)

  def _fused_call(self, inputs, training):
    dtype = self._param_dtype
    gamma = (self.gamma if self.scale
             else tf.constant(1.0, dtype=dtype, shape=self._param_shape))
    beta = (self.beta if self.center
            else tf.constant(0.0, dtype=dtype, shape=self._param_shape))

    def fused(is_training):
      return tf.compat.v1.nn.fused_batch_norm(
          inputs, gamma, beta, mean=self.moving_mean,
          variance=self.moving_variance, epsilon=self.epsilon,
          is_training=is_training, data_format=self._data_format)
    output, mean, variance = base.smart_cond(
        training, lambda: fused(True), lambda: fused(False))
    known = base.static_value(training)
    if known or known is None:
      if known is None:
        momentum = base.smart_cond(training, lambda: self.momentum,
                                   lambda: 1.0)
      else:
        momentum = tf.convert_to_tensor(self.momentum)
      self._add_moving_updates(mean, variance, momentum)
    return output

  def _add_moving_updates(self, mean, variance, momentum):
    """Fused kernel: its inference branch returns the moving values (momentum 1)."""
    if not self.trainable:
      return
    self.add_update(self._assign_moving_average(self.moving_mean, mean,
                                                momentum))
    self.add_update(self._assign_moving_average(self.moving_variance,
                                                variance, momentum))

  def _unfused_call(self, inputs, training):
    virtual = self.virtual_batch_size
    if virtual is not None:
      # Ghost batches: [batch, ...] seen as [virtual, batch / virtual, ...]
      # when training is a Python True; as [batch, 1, ...] (one batch) when
      # it is a tensor, as graph-mode TF1 in TensorFlow 2 does.
      original_shape = tf.concat([tf.constant([-1]), tf.shape(inputs)[1:]],
                                 axis=0)
      lead = [virtual, -1] if base.static_value(training) else [-1, 1]
      inputs = tf.reshape(inputs, tf.concat(
          [tf.constant(lead), original_shape[1:]], axis=0))
      outputs = self._normalize(inputs, training)
      return tf.reshape(outputs, original_shape)
    return self._normalize(inputs, training)

  def _normalize(self, inputs, training):
    virtual = self.virtual_batch_size
    input_dtype = inputs.dtype.base_dtype
    if input_dtype in (tf.float16, tf.bfloat16):
      inputs = tf.cast(inputs, tf.float32)
    input_shape = inputs.shape
    ndims = len(input_shape)
    reduction_axes = [i for i in range(ndims) if i not in self.axis]
    if virtual is not None:
      del reduction_axes[1]  # statistics per virtual batch
    broadcast_shape = [1] * ndims
    broadcast_shape[self.axis[0]] = input_shape.dims[self.axis[0]].value
    channels_last = reduction_axes == list(range(ndims - 1))

    def broadcast(v):
      if v is not None and len(v.shape) != ndims and not channels_last:
        return tf.reshape(v, broadcast_shape)
      return v

    scale, offset = broadcast(self.gamma), broadcast(self.beta)
    if base.static_value(training) is False:
      mean, variance = self.moving_mean, self.moving_variance
    else:
      if self.adjustment:
        adj_scale, adj_bias = self.adjustment(tf.shape(inputs))
        adj_scale = base.smart_cond(training, lambda: adj_scale,
                                    lambda: tf.ones_like(adj_scale))
        adj_bias = base.smart_cond(training, lambda: adj_bias,
                                   lambda: tf.zeros_like(adj_bias))
        scale, offset = _compose(adj_scale, adj_bias, scale, offset)
      batch_mean, batch_variance = tf.nn.moments(
          tf.cast(inputs, self._param_dtype), reduction_axes,
          keepdims=virtual is not None or len(self.axis) > 1)
      moving_mean, moving_variance = self.moving_mean, self.moving_variance
      mean = base.smart_cond(training, lambda: batch_mean,
                             lambda: tf.convert_to_tensor(moving_mean))
      variance = base.smart_cond(training, lambda: batch_variance,
                                 lambda: tf.convert_to_tensor(moving_variance))
      if virtual is not None:
        # One update from the virtual batches' mean statistics.
        new_mean = tf.reduce_mean(mean, axis=1, keepdims=True)
        new_variance = tf.reduce_mean(variance, axis=1, keepdims=True)
      else:
        new_mean, new_variance = mean, variance
      if self.renorm:
        r, d, new_mean, new_variance = self._renorm_correction(
            new_mean, new_variance, training)
        # (x * r + d) * gamma + beta = x * (r * gamma) + (d * gamma + beta).
        r = broadcast(tf.stop_gradient(r, name="renorm_r"))
        d = broadcast(tf.stop_gradient(d, name="renorm_d"))
        scale, offset = _compose(r, d, scale, offset)
      self._add_updates(training, new_mean, new_variance, self.momentum)
    mean = tf.cast(mean, inputs.dtype)
    variance = tf.cast(variance, inputs.dtype)
    if offset is not None:
      offset = tf.cast(offset, inputs.dtype)
    if scale is not None:
      scale = tf.cast(scale, inputs.dtype)
    outputs = tf.nn.batch_normalization(inputs, broadcast(mean),
                                        broadcast(variance), offset, scale,
                                        self.epsilon)
    if input_dtype in (tf.float16, tf.bfloat16):
      outputs = tf.cast(outputs, input_dtype)
    outputs.set_shape(input_shape)
    return outputs


def _compose(scale, offset, then_scale, then_offset):
  """The affine map ``x * scale + offset`` followed by ``* then_scale + then_offset``."""
  if then_scale is not None:
    scale *= then_scale
    offset *= then_scale
  if then_offset is not None:
    offset += then_offset
  return scale, offset


@base.entry_point
def batch_normalization(
    inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
    beta_initializer=tf.compat.v1.zeros_initializer(),
    gamma_initializer=tf.compat.v1.ones_initializer(),
    moving_mean_initializer=tf.compat.v1.zeros_initializer(),
    moving_variance_initializer=tf.compat.v1.ones_initializer(),
    beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
    gamma_constraint=None, training=False, trainable=True, name=None,
    reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
    fused=None, virtual_batch_size=None, adjustment=None):
  """``tf.compat.v1.layers.batch_normalization``.

  >>> import tensorflow as tf, tf1scope, tf1scope.layers
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self, x):
  ...     y = tf1scope.layers.batch_normalization(x, training=True)
  ...     return y, len(tf.compat.v1.get_collection(
  ...         tf.compat.v1.GraphKeys.UPDATE_OPS))
  >>> m = M(); _, n_updates = m(tf.ones([2, 3]))
  >>> n_updates
  2
  >>> mean = tf1scope.variables_by_name(m)["batch_normalization/moving_mean"]
  >>> [round(float(v), 6) for v in mean.numpy()]   # 0 - (0 - 1) * (1 - 0.99)
  [0.01, 0.01, 0.01]
  """
  return base.make_and_call(
      BatchNormalization, "batch_normalization", inputs,
      {"training": training}, axis=axis, momentum=momentum, epsilon=epsilon,
      center=center, scale=scale, beta_initializer=beta_initializer,
      gamma_initializer=gamma_initializer,
      moving_mean_initializer=moving_mean_initializer,
      moving_variance_initializer=moving_variance_initializer,
      beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
      beta_constraint=beta_constraint, gamma_constraint=gamma_constraint,
      renorm=renorm, renorm_clipping=renorm_clipping,
      renorm_momentum=renorm_momentum, fused=fused, trainable=trainable,
      virtual_batch_size=virtual_batch_size, adjustment=adjustment, name=name,
      _scope=name, _reuse=reuse)


BatchNorm = BatchNormalization
batch_norm = batch_normalization
