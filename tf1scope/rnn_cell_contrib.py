"""The RNN cells TF1 had only in ``tf.contrib.rnn``, on :mod:`tf1scope.rnn_cell`.

``LayerNormBasicLSTMCell``, the fused ``LSTMBlockCell``/``LSTMBlockFusedCell``
and ``GRUBlockCell``/``GRUBlockCellV2`` (TensorFlow's own kernels),
``CoupledInputForgetGateLSTMCell``, ``LayerNormLSTMCell``, ``NASCell``,
``UGRNNCell``, ``IntersectionRNNCell``, ``SRUCell``, ``IndRNNCell``,
``IndyGRUCell``, ``IndyLSTMCell``, the convolutional LSTMs, the
``AttentionCellWrapper``, ``HighwayWrapper``, ``EmbeddingWrapper``,
``InputProjectionWrapper`` and ``OutputProjectionWrapper`` wrappers, and
``stack_bidirectional_rnn``/``stack_bidirectional_dynamic_rnn``: TF1's
variables (names, shapes, initializers), numbers and errors, for
``tf.compat.v1.nn.dynamic_rnn`` and friends, in a pass and in a TF1 graph.
Through ``import tf1scope.compat.v1 as tf`` they are ``tf.contrib.rnn.*``.

>>> import tensorflow as tf2, tf1scope
>>> import tf1scope.compat.v1 as tf
>>> class Encoder(tf2.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     cell = tf.contrib.rnn.LayerNormBasicLSTMCell(4)
...     return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)[0]
>>> encoder = Encoder()
>>> encoder(tf2.ones([2, 3, 5])).shape
TensorShape([2, 3, 4])
>>> sorted(tf1scope.variables_by_name(encoder))[:3]
['rnn/layer_norm_basic_lstm_cell/forget/beta', 'rnn/layer_norm_basic_lstm_cell/forget/gamma', 'rnn/layer_norm_basic_lstm_cell/input/beta']
"""

import math

from absl import logging
import tensorflow as tf

from tf1scope import _compat
from tf1scope import rnn_cell
from tf1scope.layers import base
from tf1scope.layers import input_spec as input_spec_lib

v1 = tf.compat.v1
LSTMStateTuple = rnn_cell.LSTMStateTuple

__all__ = [
    "AttentionCellWrapper", "Conv1DLSTMCell", "Conv2DLSTMCell",
    "Conv3DLSTMCell", "ConvLSTMCell", "CoupledInputForgetGateLSTMCell",
    "EmbeddingWrapper", "GRUBlockCell", "GRUBlockCellV2", "HighwayWrapper", "IndRNNCell",
    "IndyGRUCell", "IndyLSTMCell", "InputProjectionWrapper",
    "IntersectionRNNCell", "LSTMBlockCell", "LSTMBlockFusedCell",
    "LayerNormBasicLSTMCell", "LayerNormLSTMCell", "NASCell",
    "OutputProjectionWrapper", "SRUCell", "UGRNNCell", "stack_bidirectional_dynamic_rnn",
    "stack_bidirectional_rnn",
]


# --- Pieces the cells share ---------------------------------------------------------

def _static_depth(shape, what="inputs.get_shape()[-1]"):
  """The last dimension of a rank-2 shape (TF1's error if it is unknown)."""
  depth = tf.compat.dimension_value(tf.TensorShape(shape).with_rank(2)[1])
  if depth is None:
    raise ValueError("Could not infer input size from %s" % what)
  return depth


def _layer_norm(inputs, scope):
  """contrib's ``layer_norm(inputs, reuse=True, scope=scope)`` over the last axis (epsilon 1e-12)."""
  with v1.variable_scope(scope, "LayerNorm", [inputs], reuse=True):
    inputs = tf.convert_to_tensor(inputs)
    params_shape = inputs.shape[-1:]
    beta = v1.get_variable("beta", shape=params_shape, dtype=inputs.dtype)
    gamma = v1.get_variable("gamma", shape=params_shape, dtype=inputs.dtype)
    axes = list(range(1, inputs.shape.ndims))
    mean, variance = tf.nn.moments(inputs, axes, keepdims=True)
    outputs = tf.nn.batch_normalization(inputs, mean, variance, offset=beta,
                                        scale=gamma, variance_epsilon=1e-12)
    if not tf.executing_eagerly():
      outputs.set_shape(inputs.shape)
    return outputs


def _norm(gain, shift, inputs, scope, dtype=None):
  """TF1's ``_norm``: ``gamma``/``beta`` made in ``scope``, then layer normalization with them."""
  shape = inputs.shape[-1:]
  with v1.variable_scope(scope):
    kwargs = {} if dtype is None else {"dtype": dtype}
    v1.get_variable("gamma", shape=shape,
                    initializer=v1.constant_initializer(gain), **kwargs)
    v1.get_variable("beta", shape=shape,
                    initializer=v1.constant_initializer(shift), **kwargs)
  return _layer_norm(inputs, scope)


class _Linear:
  """contrib's ``_Linear``: ``kernel`` (and ``bias``, initialized to 0) in the current scope."""

  def __init__(self, args, output_size, build_bias, bias_initializer=None,
               kernel_initializer=None):
    if args is None or (tf.nest.is_nested(args) and not args):
      raise ValueError("`args` must be specified")
    self._is_sequence = tf.nest.is_nested(args)
    args = args if self._is_sequence else [args]
    shapes = [a.shape for a in args]
    total = 0
    for shape in shapes:
      if shape.ndims != 2:
        raise ValueError("linear is expecting 2D arguments: %s" % shapes)
      if tf.compat.dimension_value(shape[1]) is None:
        raise ValueError("linear expects shape[1] to be provided for shape "
                         "%s, but saw %s" % (shape, shape[1]))
      total += tf.compat.dimension_value(shape[1])
    dtype = args[0].dtype
    self._build_bias = build_bias
    with v1.variable_scope(v1.get_variable_scope()) as outer_scope:
      self._weights = v1.get_variable("kernel", [total, output_size],
                                      dtype=dtype,
                                      initializer=kernel_initializer)
      if build_bias:
        with v1.variable_scope(outer_scope) as inner_scope:
          inner_scope.set_partitioner(None)
          self._biases = v1.get_variable(
              "bias", [output_size], dtype=dtype,
              initializer=(bias_initializer if bias_initializer is not None
                           else v1.constant_initializer(0.0, dtype=dtype)))

  def __call__(self, args):
    args = args if self._is_sequence else [args]
    if len(args) == 1:
      result = tf.matmul(args[0], self._weights)
    else:
      result = tf.matmul(tf.concat(args, 1), self._weights)
    if self._build_bias:
      result = tf.nn.bias_add(result, self._biases)
    return result


def _sharded_variable(name, shape, dtype, num_shards):
  """``name_0``, ``name_1``... splitting ``shape[0]`` as evenly as TF1 did."""
  if num_shards > shape[0]:
    raise ValueError("Too many shards: shape=%s, num_shards=%d" %
                     (shape, num_shards))
  unit = int(math.floor(shape[0] / num_shards))
  remaining = shape[0] - unit * num_shards
  return [v1.get_variable(name + "_%d" % i,
                          [unit + (1 if i < remaining else 0)] + shape[1:],
                          dtype=dtype)
          for i in range(num_shards)]


def _concat_variable(name, shape, dtype, num_shards):
  """The shards of ``name`` concatenated (one tensor per scope, as TF1 kept it)."""
  shards = _sharded_variable(name, shape, dtype, num_shards)
  if len(shards) == 1:
    return shards[0]
  full_name = v1.get_variable_scope().name + "/" + name + "/concat:0"
  for value in v1.get_collection(v1.GraphKeys.CONCATENATED_VARIABLES):
    if not tf.executing_eagerly() and value.name == full_name:
      return value
  concatenated = tf.concat(shards, 0, name=name + "/concat")
  v1.add_to_collection(v1.GraphKeys.CONCATENATED_VARIABLES, concatenated)
  return concatenated


def _warn_concatenated_state(cell):
  logging.warning("%s: Using a concatenated state is slower and will soon be "
                  "deprecated.  Use state_is_tuple=True.", cell)


class _FixedSizes(rnn_cell.FixedSizes, rnn_cell.RNNCell):
  """A cell that may make variables in ``call`` with ``get_variable``."""


class _FixedSizesLayer(rnn_cell.FixedSizes, rnn_cell.LayerRNNCell):
  """A cell that makes its variables in ``build``."""


def _lstm_sizes(num_units, num_proj, state_is_tuple=True):
  """(state size, output size) of an LSTM with an optional projection."""
  out = num_proj if num_proj else num_units
  if state_is_tuple:
    return LSTMStateTuple(num_units, out), out
  return num_units + out, out


# --- LSTM variants ----------------------------------------------------------------------

class CoupledInputForgetGateLSTMCell(_FixedSizes):
  """An LSTM whose input gate is one minus its forget gate (variables ``W``, ``B``, ``W_P``...)."""

  def __init__(self, num_units, use_peepholes=False, initializer=None,
               num_proj=None, proj_clip=None, num_unit_shards=1,
               num_proj_shards=1, forget_bias=1.0, state_is_tuple=True,
               activation=tf.tanh, reuse=None, layer_norm=False,
               norm_gain=1.0, norm_shift=0.0):
    super().__init__(_reuse=reuse)
    if not state_is_tuple:
      _warn_concatenated_state(self)
    self._num_units = num_units
    self._use_peepholes = use_peepholes
    self._initializer = initializer
    self._num_proj = num_proj
    self._proj_clip = proj_clip
    self._num_unit_shards = num_unit_shards
    self._num_proj_shards = num_proj_shards
    self._forget_bias = forget_bias
    self._state_is_tuple = state_is_tuple
    self._activation = activation
    self._layer_norm = layer_norm
    self._norm_gain = norm_gain
    self._norm_shift = norm_shift
    self._state_size, self._output_size = _lstm_sizes(num_units, num_proj,
                                                      state_is_tuple)

  def call(self, inputs, state):
    units = self._num_units
    num_proj = units if self._num_proj is None else self._num_proj
    c_prev, m_prev = rnn_cell.split_lstm_state(state, self._state_is_tuple,
                                               units, num_proj)
    dtype = inputs.dtype
    depth = _static_depth(inputs.shape)
    weights = _concat_variable("W", [depth + num_proj, 3 * units], dtype,
                               self._num_unit_shards)
    bias = v1.get_variable("B", shape=[3 * units],
                           initializer=v1.zeros_initializer(), dtype=dtype)
    matrix = tf.matmul(tf.concat([inputs, m_prev], 1), weights)
    if not self._layer_norm:
      matrix = tf.nn.bias_add(matrix, bias)
    j, f, o = tf.split(value=matrix, num_or_size_splits=3, axis=1)
    gain, shift = self._norm_gain, self._norm_shift
    if self._layer_norm:
      j = _norm(gain, shift, j, "transform")
      f = _norm(gain, shift, f, "forget")
      o = _norm(gain, shift, o, "output")
    if self._use_peepholes:
      w_f_diag = v1.get_variable("W_F_diag", shape=[units], dtype=dtype)
      w_o_diag = v1.get_variable("W_O_diag", shape=[units], dtype=dtype)
      f_act = tf.sigmoid(f + self._forget_bias + w_f_diag * c_prev)
    else:
      f_act = tf.sigmoid(f + self._forget_bias)
    c = f_act * c_prev + (1 - f_act) * self._activation(j)
    if self._layer_norm:
      c = _norm(gain, shift, c, "state")
    if self._use_peepholes:
      m = tf.sigmoid(o + w_o_diag * c) * self._activation(c)
    else:
      m = tf.sigmoid(o) * self._activation(c)
    if self._num_proj is not None:
      projection = _concat_variable("W_P", [units, self._num_proj], dtype,
                                    self._num_proj_shards)
      m = tf.matmul(m, projection)
      if self._proj_clip is not None:
        m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
    new_state = (LSTMStateTuple(c, m) if self._state_is_tuple
                 else tf.concat([c, m], 1))
    return m, new_state


class LayerNormBasicLSTMCell(_FixedSizes):
  """A basic LSTM with layer normalization of each gate and the cell state, and recurrent dropout.

  Variables: ``kernel`` (and ``bias`` without normalization), and
  ``gamma``/``beta`` in ``input``, ``transform``, ``forget``, ``output`` and
  ``state``.
  """

  def __init__(self, num_units, forget_bias=1.0, input_size=None,
               activation=tf.tanh, layer_norm=True, norm_gain=1.0,
               norm_shift=0.0, dropout_keep_prob=1.0, dropout_prob_seed=None,
               reuse=None):
    super().__init__(_reuse=reuse)
    if input_size is not None:
      logging.warning("%s: The input_size parameter is deprecated.", self)
    self._num_units = num_units
    self._activation = activation
    self._forget_bias = forget_bias
    self._keep_prob = dropout_keep_prob
    self._seed = dropout_prob_seed
    self._layer_norm = layer_norm
    self._norm_gain = norm_gain
    self._norm_shift = norm_shift
    self._state_size = LSTMStateTuple(num_units, num_units)
    self._output_size = num_units

  def _normalized(self, inputs, scope, dtype):
    return _norm(self._norm_gain, self._norm_shift, inputs, scope, dtype=dtype)

  def call(self, inputs, state):
    c, h = state
    args = tf.concat([inputs, h], 1)
    dtype = args.dtype
    out_size = 4 * self._num_units
    weights = v1.get_variable("kernel", [args.shape[-1], out_size],
                              dtype=dtype)
    concat = tf.matmul(args, weights)
    if not self._layer_norm:
      bias = v1.get_variable("bias", [out_size], dtype=dtype)
      concat = tf.nn.bias_add(concat, bias)
    i, j, f, o = tf.split(value=concat, num_or_size_splits=4, axis=1)
    if self._layer_norm:
      i = self._normalized(i, "input", dtype)
      j = self._normalized(j, "transform", dtype)
      f = self._normalized(f, "forget", dtype)
      o = self._normalized(o, "output", dtype)
    g = self._activation(j)
    if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
      g = v1.nn.dropout(g, self._keep_prob, seed=self._seed)
    new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
    if self._layer_norm:
      new_c = self._normalized(new_c, "state", dtype)
    new_h = self._activation(new_c) * tf.sigmoid(o)
    return new_h, LSTMStateTuple(new_c, new_h)


class LayerNormLSTMCell(_FixedSizes):
  """TF1's ``LSTMCell`` (peepholes, clipping, projection) with optional layer normalization."""

  def __init__(self, num_units, use_peepholes=False, cell_clip=None,
               initializer=None, num_proj=None, proj_clip=None,
               forget_bias=1.0, activation=None, layer_norm=False,
               norm_gain=1.0, norm_shift=0.0, reuse=None):
    super().__init__(_reuse=reuse)
    self._num_units = num_units
    self._use_peepholes = use_peepholes
    self._cell_clip = cell_clip
    self._initializer = initializer
    self._num_proj = num_proj
    self._proj_clip = proj_clip
    self._forget_bias = forget_bias
    self._activation = activation or tf.tanh
    self._layer_norm = layer_norm
    self._norm_gain = norm_gain
    self._norm_shift = norm_shift
    self._state_size, self._output_size = _lstm_sizes(num_units, num_proj)

  @staticmethod
  def _linear(args, output_size, bias, layer_norm=False):
    """A ``kernel``/``bias`` product; with layer normalization the bias is made but not added."""
    linear = _Linear(args, output_size, bias)
    if not bias or not layer_norm:
      return linear(args)
    args = args if tf.nest.is_nested(args) else [args]
    return tf.matmul(tf.concat(args, 1) if len(args) > 1 else args[0],
                     linear._weights)  # pylint: disable=protected-access

  def call(self, inputs, state):
    c_prev, m_prev = state
    dtype = inputs.dtype
    _static_depth(inputs.shape)
    units = self._num_units
    gain, shift = self._norm_gain, self._norm_shift
    with v1.variable_scope(v1.get_variable_scope(),
                           initializer=self._initializer) as unit_scope:
      matrix = self._linear([inputs, m_prev], 4 * units, bias=True,
                            layer_norm=self._layer_norm)
      i, j, f, o = tf.split(value=matrix, num_or_size_splits=4, axis=1)
      if self._layer_norm:
        i = _norm(gain, shift, i, "input")
        j = _norm(gain, shift, j, "transform")
        f = _norm(gain, shift, f, "forget")
        o = _norm(gain, shift, o, "output")
      if self._use_peepholes:
        with v1.variable_scope(unit_scope):
          w_f_diag = v1.get_variable("w_f_diag", shape=[units], dtype=dtype)
          w_i_diag = v1.get_variable("w_i_diag", shape=[units], dtype=dtype)
          w_o_diag = v1.get_variable("w_o_diag", shape=[units], dtype=dtype)
        c = (tf.sigmoid(f + self._forget_bias + w_f_diag * c_prev) * c_prev +
             tf.sigmoid(i + w_i_diag * c_prev) * self._activation(j))
      else:
        c = (tf.sigmoid(f + self._forget_bias) * c_prev +
             tf.sigmoid(i) * self._activation(j))
      if self._layer_norm:
        c = _norm(gain, shift, c, "state")
      if self._cell_clip is not None:
        c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
      if self._use_peepholes:
        m = tf.sigmoid(o + w_o_diag * c) * self._activation(c)
      else:
        m = tf.sigmoid(o) * self._activation(c)
      if self._num_proj is not None:
        with v1.variable_scope("projection"):
          m = self._linear(m, self._num_proj, bias=False)
        if self._proj_clip is not None:
          m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
    return m, LSTMStateTuple(c, m)


class NASCell(_FixedSizesLayer):
  """The recurrent cell found by neural architecture search (Zoph and Le, 2017)."""

  _NAS_BASE = 8

  def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None,
               **kwargs):
    super().__init__(_reuse=reuse, **kwargs)
    self._num_units = num_units
    self._num_proj = num_proj
    self._use_bias = use_bias
    self._state_size, self._output_size = _lstm_sizes(num_units, num_proj)

  def build(self, inputs_shape):
    depth = _static_depth(inputs_shape)
    units = self._num_units
    num_proj = units if self._num_proj is None else self._num_proj
    wide = self._NAS_BASE * units
    self.recurrent_kernel = self.add_weight("recurrent_kernel",
                                            [num_proj, wide])
    self.kernel = self.add_weight("kernel", [depth, wide])
    if self._use_bias:
      self.bias = self.add_weight("bias", shape=[wide],
                                  initializer=v1.zeros_initializer)
    if self._num_proj is not None:
      self.projection_weights = self.add_weight("projection_weights",
                                                [units, self._num_proj])

  def call(self, inputs, state):
    c_prev, m_prev = state
    m_matrix = tf.matmul(m_prev, self.recurrent_kernel)
    inputs_matrix = tf.matmul(inputs, self.kernel)
    if self._use_bias:
      m_matrix = tf.nn.bias_add(m_matrix, self.bias)
    m = tf.split(axis=1, num_or_size_splits=self._NAS_BASE, value=m_matrix)
    x = tf.split(axis=1, num_or_size_splits=self._NAS_BASE,
                 value=inputs_matrix)
    sigmoid, tanh, relu = tf.sigmoid, tf.tanh, tf.nn.relu
    layer1 = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]),
              relu(x[3] * m[3]), tanh(x[4] + m[4]), sigmoid(x[5] + m[5]),
              tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
    l2_0 = tanh(layer1[0] * layer1[1])
    l2_1 = tanh(layer1[2] + layer1[3])
    l2_2 = tanh(layer1[4] * layer1[5])
    l2_3 = sigmoid(layer1[6] + layer1[7])
    l2_0 = tanh(l2_0 + c_prev)
    new_c = l2_0 * l2_1
    new_m = tanh(new_c * tanh(l2_2 + l2_3))
    if self._num_proj is not None:
      new_m = tf.matmul(new_m, self.projection_weights)
    return new_m, LSTMStateTuple(new_c, new_m)


class IndyLSTMCell(_FixedSizesLayer):
  """An LSTM whose recurrent weights are diagonal (``kernel_w``, ``kernel_u``, ``bias``)."""

  def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None,
               kernel_initializer=None, bias_initializer=None, name=None,
               dtype=None):
    super().__init__(_reuse=reuse, name=name, dtype=dtype)
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._num_units = num_units
    self._forget_bias = forget_bias
    self._activation = activation or tf.tanh
    self._kernel_initializer = kernel_initializer
    self._bias_initializer = bias_initializer
    self._state_size = LSTMStateTuple(num_units, num_units)
    self._output_size = num_units

  def build(self, inputs_shape):
    depth = _known_depth(inputs_shape)
    units = 4 * self._num_units
    self._kernel_w = self.add_weight("kernel_w", shape=[depth, units],
                                     initializer=self._kernel_initializer)
    self._kernel_u = self.add_weight(
        "kernel_u", shape=[1, units],
        initializer=v1.random_uniform_initializer(minval=-1, maxval=1,
                                                  dtype=self.dtype))
    self._bias = self.add_weight(
        "bias", shape=[units],
        initializer=(self._bias_initializer if self._bias_initializer is not None
                     else v1.zeros_initializer(dtype=self.dtype)))

  def call(self, inputs, state):
    c, h = state
    gates = tf.matmul(inputs, self._kernel_w)
    gates += tf.tile(h, [1, 4]) * self._kernel_u
    gates = tf.nn.bias_add(gates, self._bias)
    i, j, f, o = tf.split(value=gates, num_or_size_splits=4,
                          axis=tf.constant(1, dtype=tf.int32))
    forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
    new_c = tf.add(tf.multiply(c, tf.sigmoid(tf.add(f, forget_bias))),
                   tf.multiply(tf.sigmoid(i), self._activation(j)))
    new_h = tf.multiply(self._activation(new_c), tf.sigmoid(o))
    return new_h, LSTMStateTuple(new_c, new_h)


def _known_depth(inputs_shape):
  depth = tf.compat.dimension_value(tf.TensorShape(inputs_shape)[1])
  if depth is None:
    raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" %
                     inputs_shape)
  return depth


# --- Simpler recurrent cells ------------------------------------------------------------

class UGRNNCell(_FixedSizes):
  """The update-gate RNN (Collins et al., 2017): one ``kernel``/``bias`` for gate and candidate."""

  def __init__(self, num_units, initializer=None, forget_bias=1.0,
               activation=tf.tanh, reuse=None):
    super().__init__(_reuse=reuse)
    self._num_units = num_units
    self._initializer = initializer
    self._forget_bias = forget_bias
    self._activation = activation
    self._linear = None
    self._state_size = self._output_size = num_units

  def call(self, inputs, state):
    _static_depth(inputs.shape)
    with v1.variable_scope(v1.get_variable_scope(),
                           initializer=self._initializer):
      cell_inputs = tf.concat([inputs, state], 1)
      if self._linear is None:
        self._linear = _Linear(cell_inputs, 2 * self._num_units, True)
      g_act, c_act = tf.split(axis=1, num_or_size_splits=2,
                              value=self._linear(cell_inputs))
      c = self._activation(c_act)
      g = tf.sigmoid(g_act + self._forget_bias)
      new_state = g * state + (1.0 - g) * c
    return new_state, new_state


class IntersectionRNNCell(_FixedSizes):
  """The intersection RNN (Collins et al., 2017): separate state (through time) and output (through depth)."""

  def __init__(self, num_units, num_in_proj=None, initializer=None,
               forget_bias=1.0, y_activation=tf.nn.relu, reuse=None):
    super().__init__(_reuse=reuse)
    self._num_units = num_units
    self._initializer = initializer
    self._forget_bias = forget_bias
    self._num_input_proj = num_in_proj
    self._y_activation = y_activation
    self._linear1 = None
    self._linear2 = None
    self._state_size = self._output_size = num_units

  def call(self, inputs, state):
    depth = _static_depth(inputs.shape)
    n = self._num_units
    with v1.variable_scope(v1.get_variable_scope(),
                           initializer=self._initializer):
      if depth != n:
        if not self._num_input_proj:
          raise ValueError("Must have input size == output size for "
                           "Intersection RNN. To fix, num_in_proj should "
                           "be set to num_units at cell init.")
        with v1.variable_scope("in_projection"):
          if self._linear1 is None:
            self._linear1 = _Linear(inputs, n, True)
          inputs = self._linear1(inputs)
      cell_inputs = tf.concat([inputs, state], 1)
      if self._linear2 is None:
        self._linear2 = _Linear(cell_inputs, 4 * n, True)
      matrix = self._linear2(cell_inputs)
      gh_act, h_act = matrix[:, :n], matrix[:, n:2 * n]
      gy_act, y_act = matrix[:, 2 * n:3 * n], matrix[:, 3 * n:4 * n]
      h = tf.tanh(h_act)
      y = self._y_activation(y_act)
      gh = tf.sigmoid(gh_act + self._forget_bias)
      gy = tf.sigmoid(gy_act + self._forget_bias)
      new_state = gh * state + (1.0 - gh) * h
      new_y = gy * inputs + (1.0 - gy) * y
    return new_y, new_state


class SRUCell(_FixedSizesLayer):
  """The simple recurrent unit (Lei et al., 2017): ``kernel`` for four projections, ``bias`` for two gates."""

  def __init__(self, num_units, activation=None, reuse=None, name=None,
               **kwargs):
    super().__init__(_reuse=reuse, name=name, **kwargs)
    self._num_units = num_units
    self._activation = activation or tf.tanh
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._state_size = self._output_size = num_units

  def build(self, inputs_shape):
    depth = _known_depth(inputs_shape)
    self._kernel = self.add_weight("kernel",
                                   shape=[depth, 4 * self._num_units])
    self._bias = self.add_weight("bias", shape=[2 * self._num_units],
                                 initializer=v1.zeros_initializer)

  def call(self, inputs, state):
    x_bar, f_pre, r_pre, x_tx = tf.split(
        value=tf.matmul(inputs, self._kernel), num_or_size_splits=4, axis=1)
    f, r = tf.split(value=tf.sigmoid(tf.nn.bias_add(
        tf.concat([f_pre, r_pre], 1), self._bias)), num_or_size_splits=2,
                    axis=1)
    c = f * state + (1.0 - f) * x_bar
    h = r * self._activation(c) + (1.0 - r) * x_tx
    return h, c


class IndRNNCell(_FixedSizesLayer):
  """The independently recurrent network (Li et al., 2018): ``kernel_w``, diagonal ``kernel_u``, ``bias``."""

  def __init__(self, num_units, activation=None, reuse=None, name=None,
               dtype=None):
    super().__init__(_reuse=reuse, name=name, dtype=dtype)
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._num_units = num_units
    self._activation = activation or tf.tanh
    self._state_size = self._output_size = num_units

  def build(self, inputs_shape):
    depth = _known_depth(inputs_shape)
    self._kernel_w = self.add_weight("kernel_w",
                                     shape=[depth, self._num_units])
    self._kernel_u = self.add_weight(
        "kernel_u", shape=[1, self._num_units],
        initializer=v1.random_uniform_initializer(minval=-1, maxval=1,
                                                  dtype=self.dtype))
    self._bias = self.add_weight(
        "bias", shape=[self._num_units],
        initializer=v1.zeros_initializer(dtype=self.dtype))

  def call(self, inputs, state):
    gates = tf.matmul(inputs, self._kernel_w) + state * self._kernel_u
    output = self._activation(tf.nn.bias_add(gates, self._bias))
    return output, output


class IndyGRUCell(_FixedSizesLayer):
  """A GRU whose recurrent weights are diagonal (``gates/...``, ``candidate/...``)."""

  def __init__(self, num_units, activation=None, reuse=None,
               kernel_initializer=None, bias_initializer=None, name=None,
               dtype=None):
    super().__init__(_reuse=reuse, name=name, dtype=dtype)
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._num_units = num_units
    self._activation = activation or tf.tanh
    self._kernel_initializer = kernel_initializer
    self._bias_initializer = bias_initializer
    self._state_size = self._output_size = num_units

  def build(self, inputs_shape):
    depth = _known_depth(inputs_shape)
    units = self._num_units

    def diagonal(name, size):
      return self.add_weight(name, shape=[1, size],
                             initializer=v1.random_uniform_initializer(
                                 minval=-1, maxval=1, dtype=self.dtype))

    def bias(name, size, default):
      return self.add_weight(
          name, shape=[size],
          initializer=(self._bias_initializer
                       if self._bias_initializer is not None else default))
    self._gate_kernel_w = self.add_weight(
        "gates/kernel_w", shape=[depth, 2 * units],
        initializer=self._kernel_initializer)
    self._gate_kernel_u = diagonal("gates/kernel_u", 2 * units)
    self._gate_bias = bias("gates/bias", 2 * units,
                           v1.constant_initializer(1.0, dtype=self.dtype))
    self._candidate_kernel_w = self.add_weight(
        "candidate/kernel", shape=[depth, units],
        initializer=self._kernel_initializer)
    self._candidate_kernel_u = diagonal("candidate/kernel_u", units)
    self._candidate_bias = bias("candidate/bias", units,
                                v1.zeros_initializer(dtype=self.dtype))

  def call(self, inputs, state):
    gates = tf.matmul(inputs, self._gate_kernel_w) + (
        tf.tile(state, [1, 2]) * self._gate_kernel_u)
    r, u = tf.split(value=tf.sigmoid(tf.nn.bias_add(gates, self._gate_bias)),
                    num_or_size_splits=2, axis=1)
    candidate = tf.matmul(inputs, self._candidate_kernel_w) + (
        r * state * self._candidate_kernel_u)
    c = self._activation(tf.nn.bias_add(candidate, self._candidate_bias))
    new_h = u * state + (1 - u) * c
    return new_h, new_h


# --- Convolutional LSTMs ------------------------------------------------------------------

def _conv(args, filter_size, num_features, bias, bias_start=0.0):
  """A "SAME" convolution of the concatenated ``args`` (``kernel``, ``biases``)."""
  shapes = [a.shape.as_list() for a in args]
  rank = len(shapes[0])
  depth = 0
  for shape in shapes:
    if len(shape) not in (3, 4, 5):
      raise ValueError("Conv Linear expects 3D, 4D or 5D arguments: %s" %
                       str(shapes))
    if len(shape) != rank:
      raise ValueError("Conv Linear expects all args to be of same "
                       "Dimension: %s" % str(shapes))
    depth += shape[-1]
  dtype = args[0].dtype
  conv = {3: tf.nn.conv1d, 4: tf.nn.conv2d, 5: tf.nn.conv3d}[rank]
  strides = 1 if rank == 3 else rank * [1]
  kernel = v1.get_variable("kernel", filter_size + [depth, num_features],
                           dtype=dtype)
  value = args[0] if len(args) == 1 else tf.concat(axis=rank - 1, values=args)
  result = conv(value, kernel, strides, padding="SAME")
  if not bias:
    return result
  return result + v1.get_variable(
      "biases", [num_features], dtype=dtype,
      initializer=v1.constant_initializer(bias_start, dtype=dtype))


class ConvLSTMCell(_FixedSizes):
  """A convolutional LSTM (Shi et al., 2015) over inputs ``[batch] + input_shape``."""

  def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape,
               use_bias=True, skip_connection=False, forget_bias=1.0,
               initializers=None, name="conv_lstm_cell"):
    super().__init__(name=name)
    if conv_ndims != len(input_shape) - 1:
      raise ValueError("Invalid input_shape {} for conv_ndims={}.".format(
          input_shape, conv_ndims))
    self._conv_ndims = conv_ndims
    self._input_shape = input_shape
    self._output_channels = output_channels
    self._kernel_shape = list(kernel_shape)
    self._use_bias = use_bias
    self._forget_bias = forget_bias
    self._skip_connection = skip_connection
    total = output_channels + (input_shape[-1] if skip_connection else 0)
    state = tf.TensorShape(list(input_shape[:-1]) + [output_channels])
    self._state_size = LSTMStateTuple(state, state)
    self._output_size = tf.TensorShape(list(input_shape[:-1]) + [total])

  def call(self, inputs, state, scope=None):
    cell, hidden = state
    gates = tf.split(
        value=_conv([inputs, hidden], self._kernel_shape,
                    4 * self._output_channels, self._use_bias),
        num_or_size_splits=4, axis=self._conv_ndims + 1)
    input_gate, new_input, forget_gate, output_gate = gates
    new_cell = tf.sigmoid(forget_gate + self._forget_bias) * cell
    new_cell += tf.sigmoid(input_gate) * tf.tanh(new_input)
    output = tf.tanh(new_cell) * tf.sigmoid(output_gate)
    if self._skip_connection:
      output = tf.concat([output, inputs], axis=-1)
    return output, LSTMStateTuple(new_cell, output)


class Conv1DLSTMCell(ConvLSTMCell):
  """``ConvLSTMCell`` over sequences of 1-D feature maps."""

  def __init__(self, name="conv_1d_lstm_cell", **kwargs):
    super().__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
  """``ConvLSTMCell`` over sequences of images."""

  def __init__(self, name="conv_2d_lstm_cell", **kwargs):
    super().__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
  """``ConvLSTMCell`` over sequences of volumes."""

  def __init__(self, name="conv_3d_lstm_cell", **kwargs):
    super().__init__(conv_ndims=3, name=name, **kwargs)


# --- TensorFlow's fused LSTM and GRU kernels ------------------------------------------------

class LSTMBlockCell(_FixedSizesLayer):
  """TF1's fused LSTM step (TensorFlow's ``LSTMBlockCell`` kernel): ``lstm_cell/kernel``, ``bias``.

  Numbers as ``LSTMCell``'s, variables laid out as ``LSTMCell``'s, so the two
  load each other's checkpoints.
  """

  def __init__(self, num_units, forget_bias=1.0, cell_clip=None,
               use_peephole=False, dtype=None, reuse=None, name="lstm_cell"):
    super().__init__(_reuse=reuse, dtype=dtype, name=name)
    self._num_units = num_units
    self._forget_bias = forget_bias
    self._use_peephole = use_peephole
    self._cell_clip = cell_clip if cell_clip is not None else -1
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._state_size = LSTMStateTuple(num_units, num_units)
    self._output_size = num_units

  def build(self, inputs_shape):
    depth = tf.compat.dimension_value(tf.TensorShape(inputs_shape)[1])
    if not depth:
      raise ValueError("Expecting inputs_shape[1] to be set: %s" %
                       str(inputs_shape))
    units = self._num_units
    self._kernel = self.add_weight("kernel", [depth + units, units * 4])
    self._bias = self.add_weight("bias", [units * 4],
                                 initializer=v1.constant_initializer(0.0))
    if self._use_peephole:
      self._w_i_diag = self.add_weight("w_i_diag", [units])
      self._w_f_diag = self.add_weight("w_f_diag", [units])
      self._w_o_diag = self.add_weight("w_o_diag", [units])

  def call(self, inputs, state):
    if len(state) != 2:
      raise ValueError("Expecting state to be a tuple with length 2.")
    if self._use_peephole:
      wci, wcf, wco = self._w_i_diag, self._w_f_diag, self._w_o_diag
    else:
      wci = wcf = wco = tf.zeros([self._num_units], dtype=self.dtype)
    cs_prev, h_prev = state
    _, cs, _, _, _, _, h = tf.raw_ops.LSTMBlockCell(
        x=inputs, cs_prev=cs_prev, h_prev=h_prev, w=self._kernel, wci=wci,
        wcf=wcf, wco=wco, b=self._bias, forget_bias=self._forget_bias,
        cell_clip=self._cell_clip, use_peephole=self._use_peephole)
    return h, LSTMStateTuple(cs, h)


class LSTMBlockFusedCell(base.Layer):
  """TF1's whole-sequence fused LSTM (TensorFlow's ``BlockLSTM`` kernel) over time-major inputs.

  ``cell(inputs [time, batch, depth], initial_state=None, dtype=None,
  sequence_length=None)`` gives ``(outputs, LSTMStateTuple(c, h))``;
  variables ``lstm_fused_cell/kernel`` and ``bias``.
  """

  def __init__(self, num_units, forget_bias=1.0, cell_clip=None,
               use_peephole=False, reuse=None, dtype=None,
               name="lstm_fused_cell"):
    super().__init__(_reuse=reuse, name=name, dtype=dtype)
    self._num_units = num_units
    self._forget_bias = forget_bias
    self._cell_clip = cell_clip if cell_clip is not None else -1
    self._use_peephole = use_peephole
    self.input_spec = input_spec_lib.InputSpec(ndim=3)

  @property
  def num_units(self):
    return self._num_units

  def build(self, input_shape):
    depth = tf.compat.dimension_value(tf.TensorShape(input_shape)[2])
    units = self._num_units
    self._kernel = self.add_weight("kernel", [depth + units, units * 4])
    self._bias = self.add_weight("bias", [units * 4],
                                 initializer=v1.constant_initializer(0.0))
    if self._use_peephole:
      self._w_i_diag = self.add_weight("w_i_diag", [units])
      self._w_f_diag = self.add_weight("w_f_diag", [units])
      self._w_o_diag = self.add_weight("w_o_diag", [units])

  def __call__(self, inputs, initial_state=None, dtype=None,
               sequence_length=None, scope=None):
    return super().__call__(inputs, initial_state=initial_state, dtype=dtype,
                            sequence_length=sequence_length, scope=scope)

  def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
    is_list = isinstance(inputs, list)
    if is_list:
      inputs = tf.stack(inputs)
    shape = inputs.shape.with_rank(3)
    if not shape[2]:
      raise ValueError("Expecting inputs_shape[2] to be set: %s" % shape)
    batch_size = tf.compat.dimension_value(shape[1])
    if batch_size is None:
      batch_size = tf.shape(inputs)[1]
    time_len = tf.compat.dimension_value(shape[0])
    if time_len is None:
      time_len = tf.shape(inputs)[0]
    if initial_state is None:
      if dtype is None:
        raise ValueError("Either initial_state or dtype needs to be specified")
      zeros = tf.zeros(tf.stack([batch_size, self.num_units]), dtype=dtype)
      initial_state = zeros, zeros
    else:
      if len(initial_state) != 2:
        raise ValueError(
            "Expecting initial_state to be a tuple with length 2 or None")
      if dtype is None:
        dtype = initial_state[0].dtype
    if sequence_length is not None:
      sequence_length = tf.convert_to_tensor(sequence_length)
    initial_cell_state, initial_output = initial_state
    cell_states, outputs = self._run(inputs, initial_cell_state,
                                     initial_output, dtype, sequence_length,
                                     time_len)
    if sequence_length is not None:
      mask = tf.transpose(tf.sequence_mask(sequence_length, time_len,
                                           dtype=dtype), [1, 0])
      outputs *= tf.tile(tf.expand_dims(mask, [-1]), [1, 1, self.num_units])
      all_states = tf.concat([tf.expand_dims(initial_cell_state, [0]),
                              cell_states], 0)
      all_outputs = tf.concat([tf.expand_dims(initial_output, [0]), outputs], 0)
      at_lengths = tf.stack([sequence_length, tf.range(batch_size)], axis=1)
      final_cell_state = tf.gather_nd(all_states, at_lengths)
      final_output = tf.gather_nd(all_outputs, at_lengths)
    else:
      final_cell_state, final_output = cell_states[-1], outputs[-1]
    if is_list:
      outputs = tf.unstack(outputs)
    return outputs, LSTMStateTuple(final_cell_state, final_output)

  def _run(self, inputs, initial_cell_state, initial_output, dtype,
           sequence_length, time_len):
    if self._use_peephole:
      wci, wco, wcf = self._w_i_diag, self._w_o_diag, self._w_f_diag
    else:
      wci = wcf = wco = tf.zeros([self._num_units], dtype=dtype)
    if sequence_length is None:
      max_len = tf.cast(time_len, tf.int64)
    else:
      max_len = tf.cast(tf.reduce_max(sequence_length), tf.int64)
    _, cs, _, _, _, _, h = tf.raw_ops.BlockLSTM(
        seq_len_max=max_len, x=inputs, cs_prev=initial_cell_state,
        h_prev=initial_output, w=self._kernel, wci=wci, wcf=wcf, wco=wco,
        b=self._bias, forget_bias=self._forget_bias,
        cell_clip=self._cell_clip, use_peephole=self._use_peephole)
    return cs, h


class GRUBlockCell(_FixedSizesLayer):
  """TF1's fused GRU step (TensorFlow's ``GRUBlockCell`` kernel): variables ``w_ru``, ``b_ru``, ``w_c``, ``b_c``."""

  _NAMES = ("w_ru", "b_ru", "w_c", "b_c")

  def __init__(self, num_units=None, cell_size=None, reuse=None,
               name="gru_cell"):
    super().__init__(_reuse=reuse, name=name)
    if (cell_size is None) == (num_units is None):
      raise ValueError(
          "Exactly one of num_units or cell_size must be provided.")
    if cell_size is not None:
      logging.warning("cell_size is deprecated, use num_units instead")
    self._cell_size = num_units if num_units is not None else cell_size
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._state_size = self._output_size = self._cell_size

  def build(self, input_shape):
    depth = tf.compat.dimension_value(tf.TensorShape(input_shape)[1])
    if depth is None:
      raise ValueError("Expecting input_size to be set.")
    size = self._cell_size
    w_ru, b_ru, w_c, b_c = self._NAMES
    self._gate_kernel = self.add_weight(w_ru, [depth + size, size * 2])
    self._gate_bias = self.add_weight(b_ru, [size * 2],
                                      initializer=v1.constant_initializer(1.0))
    self._candidate_kernel = self.add_weight(w_c, [depth + size, size])
    self._candidate_bias = self.add_weight(
        b_c, [size], initializer=v1.constant_initializer(0.0))

  def call(self, inputs, h_prev):
    size = tf.compat.dimension_value(h_prev.shape.with_rank(2)[1])
    if size != self._cell_size:
      raise ValueError("Shape of h_prev[1] incorrect: cell_size %i vs %s" %
                       (self._cell_size, size))
    _, _, _, new_h = tf.raw_ops.GRUBlockCell(
        x=inputs, h_prev=h_prev, w_ru=self._gate_kernel,
        w_c=self._candidate_kernel, b_ru=self._gate_bias,
        b_c=self._candidate_bias)
    return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
  """``GRUBlockCell`` with ``GRUCell``'s variable names (``gates/kernel``, ``candidate/bias``...)."""

  _NAMES = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def _lstm_block_cell_grad(op, *grad):
  """The gradient of ``LSTMBlockCell`` (TF1 registered it with the cell)."""
  x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
  i, cs, f, o, ci, co, _ = op.outputs
  _, cs_grad, _, _, _, _, h_grad = grad
  batch_size = tf.compat.dimension_value(x.shape.with_rank(2)[0])
  batch_size = -1 if batch_size is None else batch_size
  input_size = tf.compat.dimension_value(x.shape[1])
  cell_size = tf.compat.dimension_value(cs_prev.shape.with_rank(2)[1])
  cs_prev_grad, dgates, wci_grad, wcf_grad, wco_grad = (
      tf.raw_ops.LSTMBlockCellGrad(
          x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci, wcf=wcf, wco=wco,
          b=b, i=i, cs=cs, f=f, o=o, ci=ci, co=co, cs_grad=cs_grad,
          h_grad=h_grad, use_peephole=op.get_attr("use_peephole")))
  xh_grad = tf.matmul(dgates, w, transpose_b=True)
  x_grad = tf.slice(xh_grad, (0, 0), (batch_size, input_size))
  h_prev_grad = tf.slice(xh_grad, (0, input_size), (batch_size, cell_size))
  w_grad = tf.matmul(tf.concat([x, h_prev], 1), dgates, transpose_a=True)
  b_grad = tf.raw_ops.BiasAddGrad(out_backprop=dgates)
  return (x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad,
          wco_grad, b_grad)


def _gru_block_cell_grad(op, *grad):
  """The gradient of ``GRUBlockCell`` (TF1 registered it with the cell)."""
  x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
  r, u, c, _ = op.outputs
  d_h = grad[3]
  d_x, d_h_prev, d_c_bar, d_r_bar_u_bar = tf.raw_ops.GRUBlockCellGrad(
      x=x, h_prev=h_prev, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c, r=r, u=u,
      c=c, d_h=d_h)
  d_w_ru = tf.matmul(tf.concat([x, h_prev], 1), d_r_bar_u_bar,
                     transpose_a=True)
  d_w_c = tf.matmul(tf.concat([x, h_prev * r], 1), d_c_bar, transpose_a=True)
  return (d_x, d_h_prev, d_w_ru, d_w_c,
          tf.raw_ops.BiasAddGrad(out_backprop=d_r_bar_u_bar),
          tf.raw_ops.BiasAddGrad(out_backprop=d_c_bar))


_compat.register_gradient_if_missing("LSTMBlockCell", _lstm_block_cell_grad)
_compat.register_gradient_if_missing("GRUBlockCell", _gru_block_cell_grad)


# --- Wrappers ---------------------------------------------------------------------------------

class AttentionCellWrapper(_FixedSizes):
  """Attention over the cell's last ``attn_length`` outputs (Cheng et al., 2016)."""

  def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None,
               input_size=None, state_is_tuple=True, reuse=None):
    super().__init__(_reuse=reuse)
    _compat.assert_like_rnncell("cell", cell)
    if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
      raise ValueError(
          "Cell returns tuple of states, but the flag state_is_tuple is not "
          "set. State size is: %s" % str(cell.state_size))
    if attn_length <= 0:
      raise ValueError("attn_length should be greater than zero, got %s" %
                       str(attn_length))
    if not state_is_tuple:
      _warn_concatenated_state(self)
    attn_size = cell.output_size if attn_size is None else attn_size
    self._state_is_tuple = state_is_tuple
    self._cell = cell
    self._attn_vec_size = attn_size if attn_vec_size is None else attn_vec_size
    self._input_size = input_size
    self._attn_size = attn_size
    self._attn_length = attn_length
    self._linear1 = self._linear2 = self._linear3 = None

  @property
  def state_size(self):
    size = (self._cell.state_size, self._attn_size,
            self._attn_size * self._attn_length)
    return size if self._state_is_tuple else sum(list(size))

  @property
  def output_size(self):
    return self._attn_size

  def call(self, inputs, state):
    cell_size, attn_size = self._cell.state_size, self._attn_size
    if self._state_is_tuple:
      state, attns, attn_states = state
    else:
      states = state
      state = tf.slice(states, [0, 0], [-1, cell_size])
      attns = tf.slice(states, [0, cell_size], [-1, attn_size])
      attn_states = tf.slice(states, [0, cell_size + attn_size],
                             [-1, attn_size * self._attn_length])
    attn_states = tf.reshape(attn_states,
                             [-1, self._attn_length, attn_size])
    input_size = self._input_size
    if input_size is None:
      input_size = inputs.shape.as_list()[1]
    if self._linear1 is None:
      self._linear1 = _Linear([inputs, attns], input_size, True)
    inputs = self._linear1([inputs, attns])
    cell_output, new_state = self._cell(inputs, state)
    new_state_cat = (tf.concat(tf.nest.flatten(new_state), 1)
                     if self._state_is_tuple else new_state)
    new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
    with v1.variable_scope("attn_output_projection"):
      if self._linear2 is None:
        self._linear2 = _Linear([cell_output, new_attns], attn_size, True)
      output = self._linear2([cell_output, new_attns])
    new_attn_states = tf.reshape(
        tf.concat([new_attn_states, tf.expand_dims(output, 1)], 1),
        [-1, self._attn_length * attn_size])
    new_state = (new_state, new_attns, new_attn_states)
    if not self._state_is_tuple:
      new_state = tf.concat(list(new_state), 1)
    return output, new_state

  def _attention(self, query, attn_states):
    attn_size, vec_size = self._attn_size, self._attn_vec_size
    with v1.variable_scope("attention"):
      k = v1.get_variable("attn_w", [1, 1, attn_size, vec_size])
      v = v1.get_variable("attn_v", [vec_size])
      hidden = tf.reshape(attn_states, [-1, self._attn_length, 1, attn_size])
      hidden_features = tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME")
      if self._linear3 is None:
        self._linear3 = _Linear(query, vec_size, True)
      y = tf.reshape(self._linear3(query), [-1, 1, 1, vec_size])
      a = tf.nn.softmax(tf.reduce_sum(v * tf.tanh(hidden_features + y),
                                      [2, 3]))
      d = tf.reduce_sum(tf.reshape(a, [-1, self._attn_length, 1, 1]) * hidden,
                        [1, 2])
      new_attns = tf.reshape(d, [-1, attn_size])
      return new_attns, tf.slice(attn_states, [0, 1, 0], [-1, -1, -1])


class HighwayWrapper(rnn_cell._Wrapper):  # pylint: disable=protected-access
  """Highway connections around a cell: ``input * carry + output * transform`` (``carry_w``, ``carry_b``...)."""

  def __init__(self, cell, couple_carry_transform_gates=True,
               carry_bias_init=1.0):
    # As TF1's, no layer of its own (the highway variables are made in the
    # scope current at the call) and no check of ``cell`` here.
    self.cell = cell
    self._couple_carry_transform_gates = couple_carry_transform_gates
    self._carry_bias_init = carry_bias_init

  def _highway(self, inp, out):
    size = tf.compat.dimension_value(inp.shape.with_rank(2)[1])
    carry = tf.sigmoid(tf.compat.v1.nn.xw_plus_b(
        inp, v1.get_variable("carry_w", [size, size]),
        v1.get_variable("carry_b", [size],
                        initializer=v1.constant_initializer(
                            self._carry_bias_init))))
    if self._couple_carry_transform_gates:
      transform = 1 - carry
    else:
      transform = tf.sigmoid(tf.compat.v1.nn.xw_plus_b(
          inp, v1.get_variable("transform_w", [size, size]),
          v1.get_variable("transform_b", [size],
                          initializer=v1.constant_initializer(
                              -self._carry_bias_init))))
    return inp * carry + out * transform

  def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
    outputs, new_state = cell_call_fn(inputs, state, **kwargs)
    tf.nest.assert_same_structure(inputs, outputs)
    tf.nest.map_structure(
        lambda inp, out: inp.shape.assert_is_compatible_with(out.shape),
        inputs, outputs)
    return tf.nest.map_structure(self._highway, inputs, outputs), new_state


class _CellAround(rnn_cell.SizesOfCell, rnn_cell.RNNCell):
  """A cell layer around ``cell`` (its own scope; the wrapped cell is called inside it)."""

  def __init__(self, cell, reuse):
    super().__init__(_reuse=reuse)
    _compat.assert_like_rnncell("cell", cell)
    self.cell = cell


class EmbeddingWrapper(_CellAround):
  """Feeds ``cell`` the embeddings of integer inputs (``embedding``, on the CPU, as TF1 placed it)."""

  def __init__(self, cell, embedding_classes, embedding_size, initializer=None,
               reuse=None):
    super().__init__(cell, reuse)
    if embedding_classes <= 0 or embedding_size <= 0:
      raise ValueError("Both embedding_classes and embedding_size must be > 0: "
                       "%d, %d." % (embedding_classes, embedding_size))
    self._embedding_classes = embedding_classes
    self._embedding_size = embedding_size
    self._initializer = initializer

  def call(self, inputs, state):
    with tf.device("/cpu:0"):
      initializer = (self._initializer or v1.get_variable_scope().initializer
                     or v1.random_uniform_initializer(-math.sqrt(3),
                                                      math.sqrt(3)))
      dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
      embedding = v1.get_variable(
          "embedding", [self._embedding_classes, self._embedding_size],
          initializer=initializer, dtype=dtype)
      embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
      return self.cell(embedded, state)


class InputProjectionWrapper(_CellAround):
  """Projects the inputs to ``num_proj`` (``kernel``, ``bias``) before ``cell``."""

  def __init__(self, cell, num_proj, activation=None, input_size=None,
               reuse=None):
    super().__init__(cell, reuse)
    if input_size is not None:
      logging.warning("%s: The input_size parameter is deprecated.", self)
    self._num_proj = num_proj
    self._activation = activation
    self._linear = None

  def call(self, inputs, state):
    if self._linear is None:
      self._linear = _Linear(inputs, self._num_proj, True)
    projected = self._linear(inputs)
    if self._activation:
      projected = self._activation(projected)
    return self.cell(projected, state)


class OutputProjectionWrapper(_CellAround):
  """Projects ``cell``'s outputs to ``output_size`` (``kernel``, ``bias``)."""

  def __init__(self, cell, output_size, activation=None, reuse=None):
    super().__init__(cell, reuse)
    if output_size < 1:
      raise ValueError("Parameter output_size must be > 0: %d." % output_size)
    self._output_size = output_size
    self._activation = activation
    self._linear = None

  @property
  def output_size(self):
    return self._output_size

  def call(self, inputs, state):
    output, new_state = self.cell(inputs, state)
    if self._linear is None:
      self._linear = _Linear(output, self._output_size, True)
    projected = self._linear(output)
    if self._activation:
      projected = self._activation(projected)
    return projected, new_state


# --- Stacked bidirectional RNNs -----------------------------------------------------------

def _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
  if not cells_fw:
    raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
  if not cells_bw:
    raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
  if not isinstance(cells_fw, list):
    raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
  if not isinstance(cells_bw, list):
    raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
  if len(cells_fw) != len(cells_bw):
    raise ValueError("Forward and Backward cells must have the same depth.")
  for states, cells, what in ((initial_states_fw, cells_fw, "fw"),
                              (initial_states_bw, cells_bw, "bw")):
    if states is not None and (not isinstance(states, list) or
                               len(states) != len(cells)):
      raise ValueError("initial_states_%s must be a list of state tensors "
                       "(one per layer)." % what)


def _layer_states(initial_states, i):
  return initial_states[i] if initial_states else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None,
                            sequence_length=None, scope=None):
  """Bidirectional ``static_rnn`` layers, each fed the previous one's outputs (``cell_<i>`` scopes)."""
  _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
  states_fw, states_bw = [], []
  layer = inputs
  with v1.variable_scope(scope or "stack_bidirectional_rnn"):
    for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
      with v1.variable_scope("cell_%d" % i) as cell_scope:
        layer, state_fw, state_bw = v1.nn.static_bidirectional_rnn(
            cell_fw, cell_bw, layer,
            initial_state_fw=_layer_states(initial_states_fw, i),
            initial_state_bw=_layer_states(initial_states_bw, i),
            sequence_length=sequence_length, dtype=dtype, scope=cell_scope)
      states_fw.append(state_fw)
      states_bw.append(state_bw)
  return layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs,
                                    initial_states_fw=None,
                                    initial_states_bw=None, dtype=None,
                                    sequence_length=None,
                                    parallel_iterations=None, time_major=False,
                                    scope=None, swap_memory=False):
  """Bidirectional ``dynamic_rnn`` layers, each fed the concatenated outputs of the previous one."""
  _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
  states_fw, states_bw = [], []
  layer = inputs
  with v1.variable_scope(scope or "stack_bidirectional_rnn"):
    for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
      with v1.variable_scope("cell_%d" % i):
        outputs, (state_fw, state_bw) = v1.nn.bidirectional_dynamic_rnn(
            cell_fw, cell_bw, layer,
            initial_state_fw=_layer_states(initial_states_fw, i),
            initial_state_bw=_layer_states(initial_states_bw, i),
            sequence_length=sequence_length,
            parallel_iterations=parallel_iterations, dtype=dtype,
            swap_memory=swap_memory, time_major=time_major)
        layer = tf.concat(outputs, 2)
      states_fw.append(state_fw)
      states_bw.append(state_bw)
  return layer, tuple(states_fw), tuple(states_bw)
