"""``tf.contrib.seq2seq``'s attention: Luong and Bahdanau mechanisms (also monotonic) and ``AttentionWrapper``.

A mechanism keeps the memory (the encoder's outputs, masked past each
``memory_sequence_length``) and its keys: the memory through a
``memory_layer`` (a ``Dense`` without bias, built where the mechanism is
made, so its variables are ``<scope>/memory_layer/kernel``). Called with a
query, it scores the keys and turns the scores into alignments.
``AttentionWrapper`` is an RNN cell: each step runs the wrapped cell on the
inputs and the previous attention, queries every mechanism with the cell's
output, and mixes the context (and, with ``attention_layer_size``, the cell
output) into the next attention. Variables and numbers are TF1's.
"""

import collections
import functools
import math

import numpy as np
import tensorflow as tf

from tf1scope import _compat
from tf1scope import rnn_cell
from tf1scope.layers import base as layers_base
from tf1scope.layers import core as layers_core

v1 = tf.compat.v1


class AttentionMechanism:
  """The base class of attention mechanisms (what ``AttentionWrapper`` accepts)."""

  @property
  def alignments_size(self):
    raise NotImplementedError

  @property
  def state_size(self):
    raise NotImplementedError


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
  """The memory as tensors, zeroed past each sequence's length."""
  memory = tf.nest.map_structure(
      lambda m: tf.convert_to_tensor(m, name="memory"), memory)
  if memory_sequence_length is not None:
    memory_sequence_length = tf.convert_to_tensor(
        memory_sequence_length, name="memory_sequence_length")
  if check_inner_dims_defined:
    for m in tf.nest.flatten(memory):
      if not m.shape[2:].is_fully_defined():
        raise ValueError("Expected memory %s to have fully defined inner "
                         "dims, but saw shape: %s" % (_name(m), m.shape))
  if memory_sequence_length is None:
    return memory
  first = tf.nest.flatten(memory)[0]
  mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(first)[1],
                          dtype=first.dtype)

  def masked(m):
    rank = m.shape.ndims
    rank = rank if rank is not None else tf.rank(m)
    extra_ones = tf.ones(rank - 2, dtype=tf.int32)
    return m * tf.reshape(mask, tf.concat((tf.shape(mask), extra_ones), 0))
  return tf.nest.map_structure(masked, memory)


def _name(tensor):
  return tensor.name if not tf.executing_eagerly() else "Tensor"


def _mask_score(score, memory_sequence_length, score_mask_value):
  """``score`` past each memory length replaced by ``score_mask_value``."""
  if memory_sequence_length is None:
    return score
  message = "All values in memory_sequence_length must be greater than zero."
  with tf.control_dependencies(
      _checks([tf.debugging.assert_positive(memory_sequence_length,
                                            message=message)])):
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
  return v1.where(mask, score, score_mask_value * tf.ones_like(score))


def _checks(asserts):
  """The assert ops to depend on (eagerly and for static checks there are none)."""
  return [a for a in asserts if a is not None]


class _BaseAttentionMechanism(AttentionMechanism):
  """The memory, its keys and the masked probability function of a mechanism."""

  def __init__(self, query_layer, memory, probability_fn,
               memory_sequence_length=None, memory_layer=None,
               check_inner_dims_defined=True, score_mask_value=None,
               custom_key_value_fn=None, name=None):
    for what, layer in (("query_layer", query_layer),
                        ("memory_layer", memory_layer)):
      if layer is not None and not isinstance(layer, layers_base.Layer):
        raise TypeError("%s is not a Layer: %s" % (what, type(layer).__name__))
    self._query_layer = query_layer
    self._memory_layer = memory_layer
    self.dtype = memory_layer.dtype
    if not callable(probability_fn):
      raise TypeError("probability_fn must be callable, saw type: %s" %
                      type(probability_fn).__name__)
    if score_mask_value is None:
      score_mask_value = tf.as_dtype(
          self._memory_layer.dtype).as_numpy_dtype(-np.inf)
    self._probability_fn = lambda score, previous: probability_fn(
        _mask_score(score, memory_sequence_length, score_mask_value), previous)
    with v1.name_scope(name, "BaseAttentionMechanismInit",
                       tf.nest.flatten(memory)):
      self._values = _prepare_memory(memory, memory_sequence_length,
                                     check_inner_dims_defined)
      self._keys = (self.memory_layer(self._values) if self.memory_layer
                    else self._values)
      if custom_key_value_fn is not None:
        self._keys, self._values = custom_key_value_fn(self._keys,
                                                       self._values)
      self._batch_size = (tf.compat.dimension_value(self._keys.shape[0]) or
                          tf.shape(self._keys)[0])
      self._alignments_size = (
          tf.compat.dimension_value(self._keys.shape[1]) or
          tf.shape(self._keys)[1])

  @property
  def memory_layer(self):
    return self._memory_layer

  @property
  def query_layer(self):
    return self._query_layer

  @property
  def values(self):
    return self._values

  @property
  def keys(self):
    return self._keys

  @property
  def batch_size(self):
    return self._batch_size

  @property
  def alignments_size(self):
    return self._alignments_size

  @property
  def state_size(self):
    return self._alignments_size

  def initial_alignments(self, batch_size, dtype):
    """Zero alignments ``[batch_size, max_time]``."""
    return rnn_cell.zero_state_tensors(self._alignments_size, batch_size,
                                       dtype)

  def initial_state(self, batch_size, dtype):
    return self.initial_alignments(batch_size, dtype)


def _memory_dense(num_units, dtype):
  return layers_core.Dense(num_units, name="memory_layer", use_bias=False,
                           dtype=dtype)


def _query_dense(num_units, dtype):
  return layers_core.Dense(num_units, name="query_layer", use_bias=False,
                           dtype=dtype)


def _luong_score(query, keys, scale):
  """``query . keys`` per memory step, times ``scale`` if given."""
  depth, key_units = query.shape[-1], keys.shape[-1]
  if depth is not None and key_units is not None and depth != key_units:
    raise ValueError(
        "Incompatible or unknown inner dimensions between query and keys.  "
        "Query (%s) has units: %s.  Keys (%s) have units: %s.  "
        "Perhaps you need to set num_units to the keys' dimension (%s)?" %
        (query, depth, keys, key_units, key_units))
  score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), keys,
                               transpose_b=True), [1])
  return score if scale is None else scale * score


def _bahdanau_score(processed_query, keys, attention_v, attention_g=None,
                    attention_b=None):
  """``v . tanh(keys + query)``, with weight normalization when ``attention_g`` is given."""
  processed_query = tf.expand_dims(processed_query, 1)
  if attention_g is not None and attention_b is not None:
    normed_v = attention_g * attention_v * tf.math.rsqrt(
        tf.reduce_sum(tf.square(attention_v)))
    return tf.reduce_sum(
        normed_v * tf.tanh(keys + processed_query + attention_b), [2])
  return tf.reduce_sum(attention_v * tf.tanh(keys + processed_query), [2])


def _scale_variable(query):
  return v1.get_variable("attention_g", dtype=query.dtype,
                         initializer=v1.ones_initializer, shape=())


def _bahdanau_variables(num_units, normalize, dtype):
  """``attention_v`` and, when normalizing, ``attention_g`` and ``attention_b``."""
  attention_v = v1.get_variable("attention_v", [num_units], dtype=dtype)
  if not normalize:
    return attention_v, None, None
  attention_g = v1.get_variable(
      "attention_g", dtype=dtype,
      initializer=v1.constant_initializer(math.sqrt(1. / num_units)), shape=())
  attention_b = v1.get_variable("attention_b", [num_units], dtype=dtype,
                                initializer=v1.zeros_initializer())
  return attention_v, attention_g, attention_b


def _plain_probability(probability_fn):
  return lambda score, _: (probability_fn or tf.nn.softmax)(score)


class LuongAttention(_BaseAttentionMechanism):
  """Multiplicative attention (Luong et al., 2015): ``score = query . keys``, optionally scaled by ``attention_g``."""

  def __init__(self, num_units, memory, memory_sequence_length=None,
               scale=False, probability_fn=None, score_mask_value=None,
               dtype=None, custom_key_value_fn=None, name="LuongAttention"):
    dtype = dtype or tf.float32
    super().__init__(
        query_layer=None, memory_layer=_memory_dense(num_units, dtype),
        memory=memory, probability_fn=_plain_probability(probability_fn),
        memory_sequence_length=memory_sequence_length,
        score_mask_value=score_mask_value,
        custom_key_value_fn=custom_key_value_fn, name=name)
    self._num_units = num_units
    self._scale = scale
    self._name = name

  def __call__(self, query, state):
    with v1.variable_scope(None, "luong_attention", [query]):
      scale = _scale_variable(query) if self._scale else None
      score = _luong_score(query, self._keys, scale)
    alignments = self._probability_fn(score, state)
    return alignments, alignments


class BahdanauAttention(_BaseAttentionMechanism):
  """Additive attention (Bahdanau et al., 2015): ``score = v . tanh(keys + query_layer(query))``."""

  def __init__(self, num_units, memory, memory_sequence_length=None,
               normalize=False, probability_fn=None, score_mask_value=None,
               dtype=None, custom_key_value_fn=None, name="BahdanauAttention"):
    dtype = dtype or tf.float32
    super().__init__(
        query_layer=_query_dense(num_units, dtype),
        memory_layer=_memory_dense(num_units, dtype), memory=memory,
        probability_fn=_plain_probability(probability_fn),
        custom_key_value_fn=custom_key_value_fn,
        memory_sequence_length=memory_sequence_length,
        score_mask_value=score_mask_value, name=name)
    self._num_units = num_units
    self._normalize = normalize
    self._name = name

  def __call__(self, query, state):
    with v1.variable_scope(None, "bahdanau_attention", [query]):
      processed_query = self.query_layer(query) if self.query_layer else query
      variables = _bahdanau_variables(self._num_units, self._normalize,
                                      query.dtype)
      score = _bahdanau_score(processed_query, self._keys, *variables)
    alignments = self._probability_fn(score, state)
    return alignments, alignments


def safe_cumprod(x, *args, **kwargs):
  """``tf.math.cumprod`` computed as ``exp(cumsum(log(x)))``, ``x`` clipped to ``[tiny, 1]``."""
  with v1.name_scope(None, "SafeCumprod", [x]):
    x = tf.convert_to_tensor(x, name="x")
    tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
    return tf.exp(tf.cumsum(tf.math.log(tf.clip_by_value(x, tiny, 1)), *args,
                            **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
  """The monotonic attention distribution from choosing probabilities (Raffel et al., 2017).

  ``mode`` is ``"recursive"`` (a scan: exact, slow), ``"parallel"`` (cumulative
  products: fast, less exact) or ``"hard"`` (0/1 probabilities).
  """
  p_choose_i = tf.convert_to_tensor(p_choose_i, name="p_choose_i")
  previous_attention = tf.convert_to_tensor(previous_attention,
                                            name="previous_attention")
  if mode == "recursive":
    batch_size = (tf.compat.dimension_value(p_choose_i.shape[0]) or
                  tf.shape(p_choose_i)[0])
    shifted = tf.concat([tf.ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
    scanned = tf.scan(
        lambda x, yz: tf.reshape(yz[0] * x + yz[1], (batch_size,)),
        [tf.transpose(shifted), tf.transpose(previous_attention)],
        tf.zeros((batch_size,)))
    return p_choose_i * tf.transpose(scanned)
  if mode == "parallel":
    cumprod = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
    return p_choose_i * cumprod * tf.cumsum(
        previous_attention / tf.clip_by_value(cumprod, 1e-10, 1.), axis=1)
  if mode == "hard":
    p_choose_i *= tf.cumsum(previous_attention, axis=1)
    return p_choose_i * tf.math.cumprod(1 - p_choose_i, axis=1,
                                        exclusive=True)
  raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode,
                              seed=None):
  if sigmoid_noise > 0:
    noise = v1.random_normal(tf.shape(score), dtype=score.dtype, seed=seed)
    score += sigmoid_noise * noise
  if mode == "hard":
    p_choose_i = tf.cast(score > 0, score.dtype)
  else:
    p_choose_i = tf.sigmoid(score)
  return monotonic_attention(p_choose_i, previous_alignments, mode)


def _monotonic_probability(sigmoid_noise, mode, seed):
  return functools.partial(_monotonic_probability_fn,
                           sigmoid_noise=sigmoid_noise, mode=mode, seed=seed)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
  """Monotonic mechanisms start with all attention on the first memory entry."""

  def initial_alignments(self, batch_size, dtype):
    return tf.one_hot(tf.zeros((batch_size,), dtype=tf.int32),
                      self._alignments_size, dtype=dtype)


def _score_bias(dtype, initializer):
  return v1.get_variable("attention_score_bias", dtype=dtype,
                         initializer=initializer)


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
  """Bahdanau scores with a learned ``attention_score_bias``, through monotonic attention."""

  def __init__(self, num_units, memory, memory_sequence_length=None,
               normalize=False, score_mask_value=None, sigmoid_noise=0.,
               sigmoid_noise_seed=None, score_bias_init=0., mode="parallel",
               dtype=None, name="BahdanauMonotonicAttention"):
    dtype = dtype or tf.float32
    super().__init__(
        query_layer=_query_dense(num_units, dtype),
        memory_layer=_memory_dense(num_units, dtype), memory=memory,
        probability_fn=_monotonic_probability(sigmoid_noise, mode,
                                              sigmoid_noise_seed),
        memory_sequence_length=memory_sequence_length,
        score_mask_value=score_mask_value, name=name)
    self._num_units = num_units
    self._normalize = normalize
    self._name = name
    self._score_bias_init = score_bias_init

  def __call__(self, query, state):
    with v1.variable_scope(None, "bahdanau_monotonic_attention", [query]):
      processed_query = self.query_layer(query) if self.query_layer else query
      variables = _bahdanau_variables(self._num_units, self._normalize,
                                      query.dtype)
      score = _bahdanau_score(processed_query, self._keys, *variables)
      score += _score_bias(processed_query.dtype, self._score_bias_init)
    alignments = self._probability_fn(score, state)
    return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
  """Luong scores with a learned ``attention_score_bias``, through monotonic attention."""

  def __init__(self, num_units, memory, memory_sequence_length=None,
               scale=False, score_mask_value=None, sigmoid_noise=0.,
               sigmoid_noise_seed=None, score_bias_init=0., mode="parallel",
               dtype=None, name="LuongMonotonicAttention"):
    dtype = dtype or tf.float32
    super().__init__(
        query_layer=None, memory_layer=_memory_dense(num_units, dtype),
        memory=memory,
        probability_fn=_monotonic_probability(sigmoid_noise, mode,
                                              sigmoid_noise_seed),
        memory_sequence_length=memory_sequence_length,
        score_mask_value=score_mask_value, name=name)
    self._num_units = num_units
    self._scale = scale
    self._score_bias_init = score_bias_init
    self._name = name

  def __call__(self, query, state):
    with v1.variable_scope(None, "luong_monotonic_attention", [query]):
      scale = _scale_variable(query) if self._scale else None
      score = _luong_score(query, self._keys, scale)
      score += _score_bias(query.dtype, self._score_bias_init)
    alignments = self._probability_fn(score, state)
    return alignments, alignments


class AttentionWrapperState(
    collections.namedtuple("AttentionWrapperState",
                           ("cell_state", "attention", "time", "alignments",
                            "alignment_history", "attention_state"))):
  """The state of an ``AttentionWrapper``: the cell's state and the attention's."""

  def clone(self, **kwargs):
    """A copy with ``kwargs`` replaced; a replaced tensor must have the old one's shape.

    >>> # state = wrapper.zero_state(batch, tf.float32).clone(cell_state=encoder_state)
    """
    return tf.nest.map_structure(_with_same_shape, self,
                                 super()._replace(**kwargs))


def _with_same_shape(old, new):
  if not (isinstance(old, tf.Tensor) and isinstance(new, tf.Tensor)):
    return new
  if tf.executing_eagerly():
    if old.shape.as_list() != new.shape.as_list():
      raise ValueError("The shape of the AttentionWrapperState is expected to "
                       "be same as the one to clone. self.shape: %s, "
                       "input.shape: %s" % (old.shape, new.shape))
    return new
  expected = old.shape
  if expected.is_fully_defined():
    if not new.shape.is_compatible_with(expected):
      raise ValueError("Invalid shape for tensor %s, expected %s, got %s." %
                       (new.name, np.array(expected.as_list()), new.shape))
    new.set_shape(expected)
    return new
  check = tf.debugging.assert_equal(
      tf.shape(new), tf.shape(old), message="Wrong shape for cloned state")
  with tf.control_dependencies(_checks([check])):
    checked = tf.identity(new)
  checked.set_shape(new.shape.merge_with(expected))
  return checked


def hardmax(logits, name=None):
  """One-hot of the argmax along the last axis."""
  with v1.name_scope(name, "Hardmax", [logits]):
    logits = tf.convert_to_tensor(logits, name="logits")
    depth = tf.compat.dimension_value(logits.shape[-1])
    if depth is None:
      depth = tf.shape(logits)[-1]
    return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)


def _compute_attention(attention_mechanism, cell_output, attention_state,
                       attention_layer):
  """(attention, alignments, next attention state) of one mechanism for one step."""
  alignments, next_attention_state = attention_mechanism(
      cell_output, state=attention_state)
  context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1),
                                 attention_mechanism.values), [1])
  if attention_layer is not None:
    attention = attention_layer(tf.concat([cell_output, context], 1))
  else:
    attention = context
  return attention, alignments, next_attention_state


_TILE_HINT = (" Are you using the BeamSearchDecoder?  You may need to tile "
              "your %s via the tf.contrib.seq2seq.tile_batch function with "
              "argument multiple=beam_width.")


class AttentionWrapper(rnn_cell.RNNCell):
  """TF1's ``AttentionWrapper``: an RNN cell with attention over one or more mechanisms.

  Its variables are made in its own scope, ``attention_wrapper`` (the
  wrapped cell's, the mechanisms' scoring variables and ``attention_layer``
  below it), the first time it is called.
  """

  def __init__(self, cell, attention_mechanism, attention_layer_size=None,
               alignment_history=False, cell_input_fn=None,
               output_attention=True, initial_cell_state=None, name=None,
               attention_layer=None, attention_fn=None, dtype=None):
    super().__init__(name=name, dtype=dtype)
    _compat.assert_like_rnncell("cell", cell)
    self._is_multi = isinstance(attention_mechanism, (list, tuple))
    if self._is_multi:
      mechanisms = tuple(attention_mechanism)
      for mechanism in mechanisms:
        if not isinstance(mechanism, AttentionMechanism):
          raise TypeError("attention_mechanism must contain only instances of "
                          "AttentionMechanism, saw type: %s" %
                          type(mechanism).__name__)
    else:
      if not isinstance(attention_mechanism, AttentionMechanism):
        raise TypeError(
            "attention_mechanism must be an AttentionMechanism or list of "
            "multiple AttentionMechanism instances, saw type: %s" %
            type(attention_mechanism).__name__)
      mechanisms = (attention_mechanism,)
    if cell_input_fn is None:
      cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention],
                                                          -1)
    elif not callable(cell_input_fn):
      raise TypeError("cell_input_fn must be callable, saw type: %s" %
                      type(cell_input_fn).__name__)
    if attention_layer_size is not None and attention_layer is not None:
      raise ValueError("Only one of attention_layer_size and attention_layer "
                       "should be set")
    self._attention_layers, self._attention_layer_size = (
        self._make_attention_layers(cell, mechanisms, attention_layer_size,
                                    attention_layer))
    self._attention_fn = attention_fn or _compute_attention
    self._cell = cell
    self._attention_mechanisms = mechanisms
    self._cell_input_fn = cell_input_fn
    self._output_attention = output_attention
    self._alignment_history = alignment_history
    with v1.name_scope(name, "AttentionWrapperInit"):
      self._initial_cell_state = None
      if initial_cell_state is not None:
        last = tf.nest.flatten(initial_cell_state)[-1]
        state_batch_size = (tf.compat.dimension_value(last.shape[0]) or
                            tf.shape(last)[0])
        message = (
            "When constructing AttentionWrapper %s: " % self._base_name +
            "Non-matching batch sizes between the memory (encoder output) "
            "and initial_cell_state." + _TILE_HINT % "initial state")
        with tf.control_dependencies(
            self._batch_size_checks(state_batch_size, message)):
          self._initial_cell_state = tf.nest.map_structure(
              lambda s: tf.identity(s, name="check_initial_cell_state"),
              initial_cell_state)

  @staticmethod
  def _make_attention_layers(cell, mechanisms, attention_layer_size,
                             attention_layer):
    """(the attention layers or None, the attention's size)."""
    if attention_layer_size is not None:
      sizes = tuple(attention_layer_size
                    if isinstance(attention_layer_size, (list, tuple))
                    else (attention_layer_size,))
      if len(sizes) != len(mechanisms):
        raise ValueError(
            "If provided, attention_layer_size must contain exactly one "
            "integer per attention_mechanism, saw: %d vs %d" %
            (len(sizes), len(mechanisms)))
      layers = tuple(
          layers_core.Dense(size, name="attention_layer", use_bias=False,
                            dtype=mechanisms[i].dtype)
          for i, size in enumerate(sizes))
      return layers, sum(sizes)
    if attention_layer is not None:
      layers = tuple(attention_layer if isinstance(attention_layer,
                                                   (list, tuple))
                     else (attention_layer,))
      if len(layers) != len(mechanisms):
        raise ValueError(
            "If provided, attention_layer must contain exactly one layer per "
            "attention_mechanism, saw: %d vs %d" %
            (len(layers), len(mechanisms)))
      size = sum(
          tf.compat.dimension_value(layer.compute_output_shape(
              [None, cell.output_size + tf.compat.dimension_value(
                  mechanism.values.shape[-1])])[-1])
          for layer, mechanism in zip(layers, mechanisms))
      return layers, size
    return None, sum(tf.compat.dimension_value(m.values.shape[-1])
                     for m in mechanisms)

  def _batch_size_checks(self, batch_size, message):
    return _checks([tf.debugging.assert_equal(batch_size, m.batch_size,
                                              message=message)
                    for m in self._attention_mechanisms])

  def _item_or_tuple(self, seq):
    items = tuple(seq)
    return items if self._is_multi else items[0]

  @property
  def output_size(self):
    if self._output_attention:
      return self._attention_layer_size
    return self._cell.output_size

  @property
  def state_size(self):
    mechanisms = self._attention_mechanisms
    return AttentionWrapperState(
        cell_state=self._cell.state_size,
        time=tf.TensorShape([]),
        attention=self._attention_layer_size,
        alignments=self._item_or_tuple(m.alignments_size for m in mechanisms),
        attention_state=self._item_or_tuple(m.state_size for m in mechanisms),
        alignment_history=self._item_or_tuple(
            m.alignments_size if self._alignment_history else ()
            for m in mechanisms))

  def zero_state(self, batch_size, dtype):
    """The first state: the cell's (or ``initial_cell_state``), zero attention, initial alignments."""
    with tf.name_scope(type(self).__name__ + "ZeroState"):
      if self._initial_cell_state is not None:
        cell_state = self._initial_cell_state
      else:
        cell_state = self._cell.get_initial_state(batch_size=batch_size,
                                                  dtype=dtype)
      message = (
          "When calling zero_state of AttentionWrapper %s: " % self._base_name
          + "Non-matching batch sizes between the memory (encoder output) and "
          "the requested batch size.  Are you using the BeamSearchDecoder?  "
          "If so, make sure your encoder output has been tiled to beam_width "
          "via tf.contrib.seq2seq.tile_batch, and the batch_size= argument "
          "passed to zero_state is batch_size * beam_width.")
      with tf.control_dependencies(self._batch_size_checks(batch_size,
                                                           message)):
        cell_state = tf.nest.map_structure(
            lambda s: tf.identity(s, name="checked_cell_state"), cell_state)
      alignments = [m.initial_alignments(batch_size, dtype)
                    for m in self._attention_mechanisms]
      return AttentionWrapperState(
          cell_state=cell_state,
          time=tf.zeros([], dtype=tf.int32),
          attention=rnn_cell.zero_state_tensors(self._attention_layer_size,
                                                batch_size, dtype),
          alignments=self._item_or_tuple(alignments),
          attention_state=self._item_or_tuple(
              m.initial_state(batch_size, dtype)
              for m in self._attention_mechanisms),
          alignment_history=self._item_or_tuple(
              tf.TensorArray(dtype, size=0, dynamic_size=True,
                             element_shape=alignment.shape)
              if self._alignment_history else ()
              for alignment in alignments))

  def call(self, inputs, state):
    if not isinstance(state, AttentionWrapperState):
      raise TypeError("Expected state to be instance of AttentionWrapperState. "
                      "Received type %s instead." % type(state))
    cell_inputs = self._cell_input_fn(inputs, state.attention)
    cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
    cell_batch_size = (tf.compat.dimension_value(cell_output.shape[0]) or
                       tf.shape(cell_output)[0])
    message = ("When applying AttentionWrapper %s: " % self.name +
               "Non-matching batch sizes between the memory (encoder output) "
               "and the query (decoder output)." + _TILE_HINT % "memory input")
    with tf.control_dependencies(self._batch_size_checks(cell_batch_size,
                                                         message)):
      cell_output = tf.identity(cell_output, name="checked_cell_output")
    if self._is_multi:
      previous_states = state.attention_state
      previous_histories = state.alignment_history
    else:
      previous_states = [state.attention_state]
      previous_histories = [state.alignment_history]
    attentions, alignments_list, attention_states, histories = [], [], [], []
    for i, mechanism in enumerate(self._attention_mechanisms):
      attention, alignments, next_attention_state = self._attention_fn(
          mechanism, cell_output, previous_states[i],
          self._attention_layers[i] if self._attention_layers else None)
      histories.append(previous_histories[i].write(state.time, alignments)
                       if self._alignment_history else ())
      attention_states.append(next_attention_state)
      alignments_list.append(alignments)
      attentions.append(attention)
    attention = tf.concat(attentions, 1)
    next_state = AttentionWrapperState(
        time=state.time + 1, cell_state=next_cell_state, attention=attention,
        attention_state=self._item_or_tuple(attention_states),
        alignments=self._item_or_tuple(alignments_list),
        alignment_history=self._item_or_tuple(histories))
    if self._output_attention:
      return attention, next_state
    return cell_output, next_state
