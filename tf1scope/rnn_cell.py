"""``tf.compat.v1.nn.rnn_cell`` (removed with Keras 3), built on :mod:`tf1scope.layers`.

TF1's RNN cells are TF1 layers: a cell opens one variable scope (``lstm_cell``,
``gru_cell``...), made unique at its first call, and creates its variables
there with ``get_variable``, so ``tf.compat.v1.nn.dynamic_rnn(cell, ...)``
names them ``rnn/lstm_cell/kernel`` and ``rnn/lstm_cell/bias``, as old
checkpoints expect. These cells do the same through tf1scope's layer
protocol, with TF1's variables, initial values, state structures, numbers
and errors, inside a pass (eagerly and in ``tf.function``) and in a TF1
graph. TensorFlow's own ``dynamic_rnn``, ``static_rnn``,
``bidirectional_dynamic_rnn`` and ``raw_rnn`` run them unchanged.

>>> import tensorflow as tf, tf1scope
>>> from tf1scope import rnn_cell
>>> class Encoder(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     cell = rnn_cell.MultiRNNCell(
...         [rnn_cell.LSTMCell(4), rnn_cell.GRUCell(3)])
...     outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
...     return outputs, state
>>> encoder = Encoder()
>>> outputs, (lstm_state, gru_state) = encoder(tf.ones([2, 5, 6]))
>>> outputs.shape, lstm_state.c.shape, gru_state.shape
(TensorShape([2, 5, 3]), TensorShape([2, 4]), TensorShape([2, 3]))
>>> for name in tf1scope.variables_by_name(encoder):
...   print(name)
rnn/multi_rnn_cell/cell_0/lstm_cell/kernel
rnn/multi_rnn_cell/cell_0/lstm_cell/bias
rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel
rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias
rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel
rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias
"""

import collections
import hashlib
import numbers

import tensorflow as tf

from tf1scope import _compat
from tf1scope.layers import _args
from tf1scope.layers import base
from tf1scope.layers import input_spec as input_spec_lib
from tf1scope.layers import naming

v1 = tf.compat.v1

__all__ = [
    "BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper",
    "GRUCell", "LSTMCell", "LSTMStateTuple", "MultiRNNCell", "RNNCell",
    "ResidualWrapper",
]


def _check_dtype(dtype):
  if dtype is None:
    return
  dtype = tf.as_dtype(dtype)
  if not (dtype.is_floating or dtype.is_complex):
    raise ValueError("RNN cell only supports floating point inputs, "
                     f"but received dtype: {dtype}")


def _check_input_dtypes(values):
  for value in tf.nest.flatten(values):
    _check_dtype(value.dtype)


def _require_depth(input_shape):
  if input_shape[-1] is None:
    raise ValueError("Expected inputs.shape[-1] to be known, "
                     f"received shape: {input_shape}")
  return int(input_shape[-1])


def _shape_parts(value, what):
  """(shape tensor or None, static dims or None) of a batch size or a state size."""
  if isinstance(value, tf.Tensor):
    static = tf.get_static_value(value)
    if value.shape.ndims == 0:
      value = tf.expand_dims(value, 0)
      static = None if static is None else [int(static)]
    elif value.shape.ndims != 1:
      raise ValueError(f"{what} tensor must be either a scalar or vector, "
                       f"but received tensor: {value}")
    return value, (None if static is None else list(static))
  shape = tf.TensorShape(value)
  static = shape.as_list() if shape.ndims is not None else None
  tensor = tf.constant(static, tf.int32) if shape.is_fully_defined() else None
  return tensor, static


def _zeros(batch_size, size, dtype):
  """Zeros of shape ``[batch_size] + size``, with the static shape TF1 sets."""
  prefix, prefix_static = _shape_parts(batch_size, "Prefix")
  suffix, suffix_static = _shape_parts(size, "suffix")
  if prefix is None or suffix is None:
    raise ValueError("Prefix or suffix can't be None. "
                     f"Received prefix = {batch_size} and suffix = {size}")
  zeros = tf.zeros(tf.concat((prefix, suffix), 0), dtype=dtype)
  if not tf.executing_eagerly():
    static = tf.TensorShape(prefix_static).concatenate(suffix_static)
    zeros.set_shape(static)
  return zeros


def split_lstm_state(state, state_is_tuple, units, output_units):
  """``(c, h)`` of an LSTM state, a tuple or the two concatenated."""
  if state_is_tuple:
    return state
  return (tf.slice(state, [0, 0], [-1, units]),
          tf.slice(state, [0, units], [-1, output_units]))


def zero_state_tensors(state_size, batch_size, dtype):
  """Zeros ``[batch_size] + s`` for each size ``s`` of the nested ``state_size``."""
  return tf.nest.map_structure(lambda s: _zeros(batch_size, s, dtype),
                               state_size)


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
  """An LSTM cell's state ``(c, h)``: the cell state and the output."""

  __slots__ = ()

  @property
  def dtype(self):
    c, h = self
    if c.dtype != h.dtype:
      raise TypeError("Inconsistent dtypes for internal state: "
                      f"{c.dtype} vs {h.dtype}")
    return c.dtype


def _trainable(variable):
  """Whether TF1 counts ``variable`` (or its first shard) as trainable."""
  first = variable
  if isinstance(variable, _compat.PartitionedVariable):
    first = list(variable)[0]
  if v1.executing_eagerly_outside_functions():
    return first.trainable
  return any(first is v for v in v1.trainable_variables())


class RNNCell(base.Layer):
  """TF1's abstract RNN cell (``tf.compat.v1.nn.rnn_cell.RNNCell``).

  Subclasses define ``state_size``, ``output_size`` and
  ``call(inputs, state) -> (output, new_state)``. Variables may be created
  in ``build`` with ``add_weight`` or in ``call`` with
  ``tf.compat.v1.get_variable`` (TF1's older style); both are the cell's
  weights. Without a ``scope`` argument a cell runs in the variable scope
  current at its first call.
  """

  def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
    super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
    self._is_tf_rnn_cell = True
    self.rnncell_scope = None

  @base.entry_point
  def __call__(self, inputs, state, scope=None):
    naming.require_context("rnn_cell." + type(self).__name__)
    if scope is not None:
      with v1.variable_scope(scope,
                             custom_getter=self._rnn_get_variable) as captured:
        return self._call_in_context(inputs, (state,), {"scope": captured})
    if self.rnncell_scope is None:
      self.rnncell_scope = v1.variable_scope(
          v1.get_variable_scope(), custom_getter=self._rnn_get_variable)
    with self.rnncell_scope:
      return self._call_in_context(inputs, (state,), {})

  def _rnn_get_variable(self, getter, *args, **kwargs):
    variable = getter(*args, **kwargs)
    target = (self._trainable_weights if _trainable(variable)
              else self._non_trainable_weights)
    if all(variable is not known for known in target):
      target.append(variable)
    return variable

  @property
  def state_size(self):
    raise NotImplementedError("Abstract method")

  @property
  def output_size(self):
    raise NotImplementedError("Abstract method")

  def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
    """Zero state for ``inputs`` (their batch size and dtype) or for the arguments."""
    if inputs is not None:
      inputs = tf.convert_to_tensor(inputs, name="inputs")
      if batch_size is not None:
        static = (tf.get_static_value(batch_size, partial=True)
                  if tf.is_tensor(batch_size) else batch_size)
        if inputs.shape.dims[0].value != static:
          raise ValueError(
              "batch size from input tensor is different from the input "
              f"param. Input tensor batch: {inputs.shape.dims[0].value}, "
              f"batch_size: {batch_size}")
      if dtype is not None and inputs.dtype != dtype:
        raise ValueError(
            "dtype from input tensor is different from the input param. "
            f"Input tensor dtype: {inputs.dtype}, dtype: {dtype}")
      batch_size = inputs.shape.dims[0].value or tf.shape(inputs)[0]
      dtype = inputs.dtype
    if batch_size is None or dtype is None:
      raise ValueError(
          "batch_size and dtype cannot be None while constructing initial "
          f"state: batch_size={batch_size}, dtype={dtype}")
    return self.zero_state(batch_size, dtype)

  def zero_state(self, batch_size, dtype):
    """Zero tensors ``[batch_size, s]`` for each ``s`` in ``state_size``."""
    state_size = self.state_size
    eager = tf.executing_eagerly()
    last = getattr(self, "_last_zero_state", None)
    if eager and last is not None and last[:3] == (state_size, batch_size,
                                                    dtype):
      return last[3]
    with tf.name_scope(type(self).__name__ + "ZeroState"):
      output = zero_state_tensors(state_size, batch_size, dtype)
    if eager:
      self._last_zero_state = (state_size, batch_size, dtype, output)
    return output


class LayerRNNCell(RNNCell):
  """An RNN cell that creates its variables in ``build`` only, as a TF1 layer does."""

  @base.entry_point
  def __call__(self, inputs, state, scope=None, *args, **kwargs):
    naming.require_context("rnn_cell." + type(self).__name__)
    kwargs["scope"] = scope
    return self._call_in_context(inputs, (state,) + args, kwargs)


def _activation(value):
  return _args.activation(value) if value else tf.tanh


class FixedSizes:
  """A cell mixin: ``state_size`` and ``output_size`` set at construction (``_state_size``, ``_output_size``)."""

  _state_size = _output_size = None

  @property
  def state_size(self):
    return self._state_size

  @property
  def output_size(self):
    return self._output_size


class _SizedCell(FixedSizes, LayerRNNCell):
  """A built-in cell: 2-D inputs, sizes fixed at construction, float dtypes only."""

  def __init__(self, state_size, output_size, reuse, name, dtype, kwargs):
    super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
    _check_dtype(self.dtype)
    self.input_spec = input_spec_lib.InputSpec(ndim=2)
    self._state_size = state_size
    self._output_size = output_size

  def _input_depth(self, input_shape):
    """The last input dimension (TF1's error if unknown), checking the dtype again."""
    depth = _require_depth(input_shape)
    _check_dtype(self.dtype)
    return depth


class BasicRNNCell(_SizedCell):
  """``output = new_state = activation(W [inputs, state] + b)``."""

  def __init__(self, num_units, activation=None, reuse=None, name=None,
               dtype=None, **kwargs):
    super().__init__(num_units, num_units, reuse, name, dtype, kwargs)
    self._num_units = num_units
    self._activation = _activation(activation)

  def build(self, input_shape):
    depth = self._input_depth(input_shape)
    self._kernel = self.add_weight(
        "kernel", shape=[depth + self._num_units, self._num_units])
    self._bias = self.add_weight(
        "bias", shape=[self._num_units],
        initializer=v1.zeros_initializer(dtype=self.dtype))

  def call(self, inputs, state):
    _check_input_dtypes([inputs, state])
    pre = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._kernel),
                         self._bias)
    output = self._activation(pre)
    return output, output


class GRUCell(_SizedCell):
  """TF1's gated recurrent unit: ``gates`` (reset, update) and ``candidate`` variables."""

  def __init__(self, num_units, activation=None, reuse=None,
               kernel_initializer=None, bias_initializer=None, name=None,
               dtype=None, **kwargs):
    super().__init__(num_units, num_units, reuse, name, dtype, kwargs)
    self._num_units = num_units
    self._activation = _activation(activation)
    self._kernel_initializer = _args.initializer(kernel_initializer)
    self._bias_initializer = _args.initializer(bias_initializer)

  def build(self, input_shape):
    depth = self._input_depth(input_shape)
    units = self._num_units
    bias_init = self._bias_initializer
    self._gate_kernel = self.add_weight(
        "gates/kernel", shape=[depth + units, 2 * units],
        initializer=self._kernel_initializer)
    self._gate_bias = self.add_weight(
        "gates/bias", shape=[2 * units],
        initializer=(bias_init if bias_init is not None else
                     v1.constant_initializer(1.0, dtype=self.dtype)))
    self._candidate_kernel = self.add_weight(
        "candidate/kernel", shape=[depth + units, units],
        initializer=self._kernel_initializer)
    self._candidate_bias = self.add_weight(
        "candidate/bias", shape=[units],
        initializer=(bias_init if bias_init is not None else
                     v1.zeros_initializer(dtype=self.dtype)))

  def call(self, inputs, state):
    _check_input_dtypes([inputs, state])
    gates = tf.sigmoid(tf.nn.bias_add(
        tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel),
        self._gate_bias))
    reset, update = tf.split(value=gates, num_or_size_splits=2, axis=1)
    candidate = self._activation(tf.nn.bias_add(
        tf.matmul(tf.concat([inputs, reset * state], 1),
                  self._candidate_kernel),
        self._candidate_bias))
    new_h = update * state + (1 - update) * candidate
    return new_h, new_h


def _lstm_state_size(units, output_units, state_is_tuple):
  if state_is_tuple:
    return LSTMStateTuple(units, output_units)
  return units + output_units


class BasicLSTMCell(_SizedCell):
  """TF1's basic LSTM: one ``kernel`` and ``bias`` for the i, j, f, o gates."""

  def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True,
               activation=None, reuse=None, name=None, dtype=None, **kwargs):
    super().__init__(_lstm_state_size(num_units, num_units, state_is_tuple),
                     num_units, reuse, name, dtype, kwargs)
    self._num_units = num_units
    self._forget_bias = forget_bias
    self._state_is_tuple = state_is_tuple
    self._activation = _activation(activation)

  def build(self, input_shape):
    depth = self._input_depth(input_shape)
    self._kernel = self.add_weight(
        "kernel", shape=[depth + self._num_units, 4 * self._num_units])
    self._bias = self.add_weight(
        "bias", shape=[4 * self._num_units],
        initializer=v1.zeros_initializer(dtype=self.dtype))

  def call(self, inputs, state):
    _check_input_dtypes([inputs, state])
    if self._state_is_tuple:
      c, h = state
    else:
      c, h = tf.split(value=state, num_or_size_splits=2, axis=1)
    gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), self._kernel),
                           self._bias)
    i, j, f, o = tf.split(value=gates, num_or_size_splits=4, axis=1)
    forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
    new_c = tf.add(tf.multiply(c, tf.sigmoid(tf.add(f, forget_bias))),
                   tf.multiply(tf.sigmoid(i), self._activation(j)))
    new_h = tf.multiply(self._activation(new_c), tf.sigmoid(o))
    if self._state_is_tuple:
      return new_h, LSTMStateTuple(new_c, new_h)
    return new_h, tf.concat([new_c, new_h], 1)


class LSTMCell(_SizedCell):
  """TF1's LSTM with optional peepholes, cell clipping and an output projection."""

  def __init__(self, num_units, use_peepholes=False, cell_clip=None,
               initializer=None, num_proj=None, proj_clip=None,
               num_unit_shards=None, num_proj_shards=None, forget_bias=1.0,
               state_is_tuple=True, activation=None, reuse=None, name=None,
               dtype=None, **kwargs):
    output_units = num_proj if num_proj else num_units
    super().__init__(
        _lstm_state_size(num_units, output_units, state_is_tuple),
        output_units, reuse, name, dtype, kwargs)
    self._num_units = num_units
    self._use_peepholes = use_peepholes
    self._cell_clip = cell_clip
    self._initializer = _args.initializer(initializer)
    self._num_proj = num_proj
    self._proj_clip = proj_clip
    self._num_unit_shards = num_unit_shards
    self._num_proj_shards = num_proj_shards
    self._forget_bias = forget_bias
    self._state_is_tuple = state_is_tuple
    self._activation = _activation(activation)

  def build(self, input_shape):
    depth = self._input_depth(input_shape)
    units = self._num_units
    h_depth = units if self._num_proj is None else self._num_proj
    self._kernel = self.add_weight(
        "kernel", shape=[depth + h_depth, 4 * units],
        initializer=self._initializer,
        partitioner=_shards(self._num_unit_shards))
    zeros = (v1.zeros_initializer if self.dtype is None
             else v1.zeros_initializer(dtype=self.dtype))
    self._bias = self.add_weight("bias", shape=[4 * units], initializer=zeros)
    if self._use_peepholes:
      self._w_f_diag = self.add_weight("w_f_diag", shape=[units],
                                       initializer=self._initializer)
      self._w_i_diag = self.add_weight("w_i_diag", shape=[units],
                                       initializer=self._initializer)
      self._w_o_diag = self.add_weight("w_o_diag", shape=[units],
                                       initializer=self._initializer)
    if self._num_proj is not None:
      self._proj_kernel = self.add_weight(
          "projection/kernel", shape=[units, self._num_proj],
          initializer=self._initializer,
          partitioner=_shards(self._num_proj_shards))

  def call(self, inputs, state):
    _check_input_dtypes([inputs, state])
    units = self._num_units
    proj = units if self._num_proj is None else self._num_proj
    c_prev, m_prev = split_lstm_state(state, self._state_is_tuple, units, proj)
    if inputs.shape.with_rank(2).dims[1].value is None:
      raise ValueError("Could not infer input size from inputs.get_shape()[-1]."
                       f"Received input shape: {inputs.shape}")
    gates = tf.nn.bias_add(
        tf.matmul(tf.concat([inputs, m_prev], 1), self._kernel), self._bias)
    i, j, f, o = tf.split(value=gates, num_or_size_splits=4, axis=1)
    if self._use_peepholes:
      c = (tf.sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
           + tf.sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
    else:
      c = (tf.sigmoid(f + self._forget_bias) * c_prev
           + tf.sigmoid(i) * self._activation(j))
    if self._cell_clip is not None:
      c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
    if self._use_peepholes:
      m = tf.sigmoid(o + self._w_o_diag * c) * self._activation(c)
    else:
      m = tf.sigmoid(o) * self._activation(c)
    if self._num_proj is not None:
      m = tf.matmul(m, self._proj_kernel)
      if self._proj_clip is not None:
        m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
    if self._state_is_tuple:
      return m, LSTMStateTuple(c, m)
    return m, tf.concat([c, m], 1)


def _shards(count):
  return v1.fixed_size_partitioner(count) if count is not None else None


class MultiRNNCell(RNNCell):
  """Cells run in sequence, each in variable scope ``cell_<i>``."""

  def __init__(self, cells, state_is_tuple=True):
    super().__init__()
    if not cells:
      raise ValueError("Must specify at least one cell for MultiRNNCell.")
    if not tf.nest.is_nested(cells):
      raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
    self._cells = cells
    self._state_is_tuple = state_is_tuple
    if not state_is_tuple and any(tf.nest.is_nested(c.state_size)
                                  for c in cells):
      raise ValueError(
          "Some cells return tuples of states, but the flag state_is_tuple is "
          f"not set. State sizes are: {[c.state_size for c in cells]}")

  @property
  def state_size(self):
    if self._state_is_tuple:
      return tuple(cell.state_size for cell in self._cells)
    return sum(cell.state_size for cell in self._cells)

  @property
  def output_size(self):
    return self._cells[-1].output_size

  def zero_state(self, batch_size, dtype):
    with tf.name_scope(type(self).__name__ + "ZeroState"):
      if self._state_is_tuple:
        return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
      return super().zero_state(batch_size, dtype)

  @property
  def trainable_weights(self):
    if not self.trainable:
      return []
    return [w for cell in self._cells if isinstance(cell, base.Layer)
            for w in cell.trainable_weights]

  @property
  def non_trainable_weights(self):
    frozen = [w for cell in self._cells if isinstance(cell, base.Layer)
              for w in cell.non_trainable_weights]
    if self.trainable:
      return frozen
    return [w for cell in self._cells if isinstance(cell, base.Layer)
            for w in cell.trainable_weights] + frozen

  trainable_variables = trainable_weights
  non_trainable_variables = non_trainable_weights

  def call(self, inputs, state):
    position = 0
    current = inputs
    new_states = []
    for i, cell in enumerate(self._cells):
      with v1.variable_scope("cell_%d" % i):
        if self._state_is_tuple:
          if not tf.nest.is_nested(state):
            raise ValueError(
                f"Expected state to be a tuple of length {len(self.state_size)}"
                f", but received: {state}")
          cell_state = state[i]
        else:
          cell_state = tf.slice(state, [0, position], [-1, cell.state_size])
          position += cell.state_size
        current, new_state = cell(current, cell_state)
        new_states.append(new_state)
    if self._state_is_tuple:
      return current, tuple(new_states)
    return current, tf.concat(new_states, 1)


# --- Wrappers ---------------------------------------------------------------------


class SizesOfCell:
  """A cell mixin: ``state_size``, ``output_size`` and ``zero_state`` are those of ``self.cell``."""

  @property
  def state_size(self):
    return self.cell.state_size

  @property
  def output_size(self):
    return self.cell.output_size

  def zero_state(self, batch_size, dtype):
    with tf.name_scope(type(self).__name__ + "ZeroState"):
      return self.cell.zero_state(batch_size, dtype)


class _Wrapper(SizesOfCell, RNNCell):
  """A cell around ``cell``: calls it directly, in the caller's variable scope.

  As in TF1, a wrapper's own ``weights`` are empty; the wrapped cell's are
  the cell's.
  """

  def __init__(self, cell, **kwargs):
    super().__init__(**kwargs)
    _compat.assert_like_rnncell("cell", cell)
    self.cell = cell

  @base.entry_point
  def __call__(self, inputs, state, scope=None):
    return self._call_wrapped_cell(inputs, state, self.cell.__call__,
                                   scope=scope)

  def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
    raise NotImplementedError

def _enumerated_map_up_to(shallow, fn, *structures):
  """``map_structure_up_to`` whose ``fn`` also gets the leaf's index."""
  counter = [0]

  def indexed(*leaves):
    index = counter[0]
    counter[0] += 1
    return fn(index, *leaves)
  return _compat.map_structure_up_to(shallow, indexed, *structures)


def _default_state_filter(substate):
  """Dropout on every state part except an LSTM's memory ``c`` (and TensorArrays)."""
  if isinstance(substate, LSTMStateTuple):
    return LSTMStateTuple(c=False, h=True)
  if isinstance(substate, tf.TensorArray):
    return False
  return True


class DropoutWrapper(_Wrapper):
  """Dropout on a cell's inputs, outputs and states (TF1's seeds and masks)."""

  def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0,
               state_keep_prob=1.0, variational_recurrent=False,
               input_size=None, dtype=None, seed=None,
               dropout_state_filter_visitor=None, **kwargs):
    super().__init__(cell, dtype=dtype, **kwargs)
    if (dropout_state_filter_visitor is not None and
        not callable(dropout_state_filter_visitor)):
      raise TypeError("dropout_state_filter_visitor must be callable. "
                      f"Received: {dropout_state_filter_visitor}")
    self._dropout_state_filter = (dropout_state_filter_visitor or
                                  _default_state_filter)
    with tf.name_scope("DropoutWrapperInit"):
      for prob, attr in ((input_keep_prob, "input_keep_prob"),
                         (state_keep_prob, "state_keep_prob"),
                         (output_keep_prob, "output_keep_prob")):
        tensor = tf.convert_to_tensor(prob)
        value = tf.get_static_value(tensor)
        if value is not None:
          if value < 0 or value > 1:
            raise ValueError(f"Parameter {attr} must be between 0 and 1. "
                             f"Received {value}")
          setattr(self, "_" + attr, float(value))
        else:
          setattr(self, "_" + attr, tensor)
    self._variational_recurrent = variational_recurrent
    self._input_size = input_size
    self._seed = seed
    self._recurrent_input_noise = None
    self._recurrent_state_noise = None
    self._recurrent_output_noise = None
    if variational_recurrent:
      if dtype is None:
        raise ValueError(
            "When variational_recurrent=True, dtype must be provided")

      def noise(size, seed):
        shape = tf.concat(([1], tf.TensorShape(size).as_list()), 0)
        return tf.random.uniform(shape, seed=seed, dtype=dtype)

      if (not isinstance(self._input_keep_prob, numbers.Real) or
          self._input_keep_prob < 1.0):
        if input_size is None:
          raise ValueError(
              "When variational_recurrent=True and input_keep_prob < 1.0 or "
              "is unknown, input_size must be provided")
        self._recurrent_input_noise = _enumerated_map_up_to(
            input_size, lambda i, s: noise(s, self._gen_seed("input", i)),
            input_size)
      self._recurrent_state_noise = _enumerated_map_up_to(
          cell.state_size, lambda i, s: noise(s, self._gen_seed("state", i)),
          cell.state_size)
      self._recurrent_output_noise = _enumerated_map_up_to(
          cell.output_size, lambda i, s: noise(s, self._gen_seed("output", i)),
          cell.output_size)

  def _gen_seed(self, salt_prefix, index):
    """The op seed TF1 derives from ``seed`` for one input, state or output part."""
    if self._seed is None:
      return None
    text = (str(self._seed) + "%s_%d" % (salt_prefix, index)).encode("utf-8")
    return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

  @property
  def wrapped_cell(self):
    return self.cell

  def build(self, input_shape):
    self.cell.build(input_shape)

  def _dropout(self, values, salt_prefix, recurrent_noise, keep_prob,
               shallow=None):
    if shallow is None:
      shallow = values
    if not self._variational_recurrent:
      def drop(i, do_dropout, value):
        if isinstance(do_dropout, bool) and not do_dropout:
          return value
        return tf.nn.dropout(value, rate=1.0 - keep_prob,
                             seed=self._gen_seed(salt_prefix, i))
      return _enumerated_map_up_to(shallow, drop, shallow, values)

    def drop_variational(i, do_dropout, value, noise):
      del i
      if isinstance(do_dropout, bool) and not do_dropout:
        return value
      mask = tf.floor(keep_prob + noise)
      out = tf.divide(value, keep_prob) * mask
      out.set_shape(value.shape)
      return out
    return _enumerated_map_up_to(shallow, drop_variational, shallow, values,
                                 recurrent_noise)

  def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
    def applies(prob):
      return not isinstance(prob, float) or prob < 1

    if applies(self._input_keep_prob):
      inputs = self._dropout(inputs, "input", self._recurrent_input_noise,
                             self._input_keep_prob)
    output, new_state = cell_call_fn(inputs, state, **kwargs)
    if applies(self._state_keep_prob):
      shallow = _compat.traverse_shallow_structure(self._dropout_state_filter,
                                                   new_state)
      new_state = self._dropout(new_state, "state",
                                self._recurrent_state_noise,
                                self._state_keep_prob, shallow)
    if applies(self._output_keep_prob):
      output = self._dropout(output, "output", self._recurrent_output_noise,
                             self._output_keep_prob)
    return output, new_state


class ResidualWrapper(_Wrapper):
  """Adds the cell's inputs to its outputs (or applies ``residual_fn(inputs, outputs)``)."""

  def __init__(self, cell, residual_fn=None, **kwargs):
    super().__init__(cell, **kwargs)
    self._residual_fn = residual_fn

  def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
    outputs, new_state = cell_call_fn(inputs, state, **kwargs)
    if self._residual_fn is not None:
      return self._residual_fn(inputs, outputs), new_state
    tf.nest.assert_same_structure(inputs, outputs)
    tf.nest.map_structure(
        lambda i, o: i.shape.assert_is_compatible_with(o.shape),
        inputs, outputs)
    return tf.nest.map_structure(lambda i, o: i + o, inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
  """Runs the cell (and its zero state) under ``tf.compat.v1.device(device)``."""

  def __init__(self, cell, device, **kwargs):
    super().__init__(cell, **kwargs)
    self._device = device

  def zero_state(self, batch_size, dtype):
    with tf.name_scope(type(self).__name__ + "ZeroState"):
      with v1.device(self._device):
        return self.cell.zero_state(batch_size, dtype)

  def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
    with v1.device(self._device):
      return cell_call_fn(inputs, state, **kwargs)
