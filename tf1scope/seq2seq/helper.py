"""``tf.contrib.seq2seq``'s helpers: how a ``BasicDecoder`` samples and what it feeds back.

A helper gives the first inputs, turns each step's outputs into sample ids,
and gives the next inputs and which entries are finished: teacher forcing
(``TrainingHelper``), feeding back the argmax or a sample through an
embedding (``GreedyEmbeddingHelper``, ``SampleEmbeddingHelper``), scheduled
sampling, or functions of one's own.
"""

import abc

import tensorflow as tf

from tf1scope.seq2seq import decoder

v1 = tf.compat.v1


def _call_sampler(sample_n, sample_shape):
  """``sample_n(prod(sample_shape))`` reshaped to ``sample_shape + batch/event shape``."""
  with tf.name_scope("call_sampler"):
    sample_shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32,
                                        name="sample_shape")
    pad = tf.cast(tf.equal(tf.rank(sample_shape), 0), tf.int32)
    sample_shape = tf.reshape(
        sample_shape,
        tf.pad(tf.shape(sample_shape), paddings=[[pad, 0]], constant_values=1))
    samples = sample_n(tf.reduce_prod(sample_shape))
    final_shape = tf.concat([sample_shape, tf.shape(samples)[1:]], 0)
    return tf.reshape(samples, final_shape)


def bernoulli_sample(probs=None, logits=None, dtype=tf.int32, sample_shape=(),
                     seed=None):
  """Bernoulli draws (``uniform < probs``), as TF1's helpers drew them."""
  if probs is None:
    probs = tf.sigmoid(logits, name="probs")
  else:
    probs = tf.convert_to_tensor(probs, name="probs")
  batch_shape = tf.shape(probs)

  def sample_n(n):
    uniform = v1.random_uniform(tf.concat([[n], batch_shape], 0), seed=seed,
                                dtype=probs.dtype)
    return tf.cast(tf.less(uniform, probs), dtype)
  return _call_sampler(sample_n, sample_shape)


def categorical_sample(logits, dtype=tf.int32, sample_shape=(), seed=None):
  """Categorical draws from ``logits`` (TF1's ``multinomial``)."""
  logits = tf.convert_to_tensor(logits, name="logits")
  event_size = tf.shape(logits)[-1]
  batch_shape = tf.shape(logits)[:-1]

  def sample_n(n):
    logits_2d = (logits if logits.shape.ndims == 2
                 else tf.reshape(logits, [-1, event_size]))
    sample_dtype = tf.int64 if logits.dtype.size > 4 else tf.int32
    draws = v1.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
    draws = tf.reshape(tf.transpose(draws), tf.concat([[n], batch_shape], 0))
    return tf.cast(draws, dtype)
  return _call_sampler(sample_n, sample_shape)


def _unstack_ta(value):
  # Readable more than once, as a graph's TensorArray is (a helper may serve
  # two decodes); an eager TensorArray would clear each element on its read.
  return tf.TensorArray(dtype=value.dtype, size=tf.shape(value)[0],
                        element_shape=value.shape[1:],
                        clear_after_read=False).unstack(value)


def _embedding_fn(embedding):
  if callable(embedding):
    return embedding
  return lambda ids: tf.nn.embedding_lookup(embedding, ids)


def _check_sampling_probability(probability):
  probability = tf.convert_to_tensor(probability, name="sampling_probability")
  if probability.shape.ndims not in (0, 1):
    raise ValueError(
        "sampling_probability must be either a scalar or a vector. "
        "saw shape: %s" % (probability.shape))
  return probability


def _scatter_two(where_a, updates_a, where_b, updates_b, shape):
  """Rows ``where_a`` from ``updates_a`` and rows ``where_b`` from ``updates_b``."""
  return (tf.scatter_nd(indices=where_a, updates=updates_a, shape=shape) +
          tf.scatter_nd(indices=where_b, updates=updates_b, shape=shape))


class Helper(metaclass=abc.ABCMeta):
  """TF1's helper interface: ``initialize``, ``sample``, ``next_inputs``."""

  @property
  @abc.abstractmethod
  def batch_size(self):
    raise NotImplementedError("batch_size has not been implemented")

  @property
  @abc.abstractmethod
  def sample_ids_shape(self):
    raise NotImplementedError("sample_ids_shape has not been implemented")

  @property
  @abc.abstractmethod
  def sample_ids_dtype(self):
    raise NotImplementedError("sample_ids_dtype has not been implemented")

  @abc.abstractmethod
  def initialize(self, name=None):
    pass

  @abc.abstractmethod
  def sample(self, time, outputs, state, name=None):
    pass

  @abc.abstractmethod
  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    pass


class _ScalarIds:
  """A helper whose sample ids are one int32 per entry, with ``_batch_size`` set."""

  _batch_size = None

  @property
  def batch_size(self):
    return self._batch_size

  @property
  def sample_ids_shape(self):
    return tf.TensorShape([])

  @property
  def sample_ids_dtype(self):
    return tf.int32


class CustomHelper(Helper):
  """A helper from three functions: ``initialize_fn()``, ``sample_fn(time, outputs, state)``, ``next_inputs_fn(time, outputs, state, sample_ids)``."""

  def __init__(self, initialize_fn, sample_fn, next_inputs_fn,
               sample_ids_shape=None, sample_ids_dtype=None):
    self._initialize_fn = initialize_fn
    self._sample_fn = sample_fn
    self._next_inputs_fn = next_inputs_fn
    self._batch_size = None
    self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
    self._sample_ids_dtype = sample_ids_dtype or tf.int32

  @property
  def batch_size(self):
    if self._batch_size is None:
      raise ValueError("batch_size accessed before initialize was called")
    return self._batch_size

  @property
  def sample_ids_shape(self):
    return self._sample_ids_shape

  @property
  def sample_ids_dtype(self):
    return self._sample_ids_dtype

  def initialize(self, name=None):
    with v1.name_scope(name, "%sInitialize" % type(self).__name__):
      finished, next_inputs = self._initialize_fn()
      if self._batch_size is None:
        self._batch_size = tf.size(finished)
    return finished, next_inputs

  def sample(self, time, outputs, state, name=None):
    with v1.name_scope(name, "%sSample" % type(self).__name__,
                       (time, outputs, state)):
      return self._sample_fn(time=time, outputs=outputs, state=state)

  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    with v1.name_scope(name, "%sNextInputs" % type(self).__name__,
                       (time, outputs, state)):
      return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                  sample_ids=sample_ids)


class TrainingHelper(_ScalarIds, Helper):
  """Teacher forcing: step ``t`` reads ``inputs[:, t]``; an entry finishes at its ``sequence_length``."""

  def __init__(self, inputs, sequence_length, time_major=False, name=None):
    with v1.name_scope(name, "TrainingHelper", [inputs, sequence_length]):
      inputs = tf.convert_to_tensor(inputs, name="inputs")
      self._inputs = inputs
      if not time_major:
        inputs = tf.nest.map_structure(decoder.transpose_batch_time, inputs)
      self._input_tas = tf.nest.map_structure(_unstack_ta, inputs)
      self._sequence_length = tf.convert_to_tensor(sequence_length,
                                                   name="sequence_length")
      if self._sequence_length.shape.ndims != 1:
        raise ValueError(
            "Expected sequence_length to be a vector, but received shape: %s" %
            self._sequence_length.shape)
      self._zero_inputs = tf.nest.map_structure(
          lambda value: tf.zeros_like(value[0, :]), inputs)
      self._batch_size = tf.size(sequence_length)

  @property
  def inputs(self):
    return self._inputs

  @property
  def sequence_length(self):
    return self._sequence_length

  def _read(self, time, finished):
    return v1.cond(
        tf.reduce_all(finished), lambda: self._zero_inputs,
        lambda: tf.nest.map_structure(lambda ta: ta.read(time),
                                      self._input_tas))

  def initialize(self, name=None):
    with v1.name_scope(name, "TrainingHelperInitialize"):
      finished = tf.equal(0, self._sequence_length)
      return finished, self._read(0, finished)

  def sample(self, time, outputs, name=None, **unused_kwargs):
    with v1.name_scope(name, "TrainingHelperSample", [time, outputs]):
      return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

  def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
    with v1.name_scope(name, "TrainingHelperNextInputs",
                       [time, outputs, state]):
      next_time = time + 1
      finished = next_time >= self._sequence_length
      return finished, self._read(next_time, finished), state


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
  """Teacher forcing, except that with ``sampling_probability`` an entry feeds back the embedding of a sampled id."""

  def __init__(self, inputs, sequence_length, embedding, sampling_probability,
               time_major=False, seed=None, scheduling_seed=None, name=None):
    with v1.name_scope(name, "ScheduledEmbeddingSamplingWrapper",
                       [embedding, sampling_probability]):
      self._embedding_fn = _embedding_fn(embedding)
      self._sampling_probability = _check_sampling_probability(
          sampling_probability)
      self._seed = seed
      self._scheduling_seed = scheduling_seed
      super().__init__(inputs=inputs, sequence_length=sequence_length,
                       time_major=time_major, name=name)

  def sample(self, time, outputs, state, name=None):
    with v1.name_scope(name, "ScheduledEmbeddingTrainingHelperSample",
                       [time, outputs, state]):
      select = bernoulli_sample(probs=self._sampling_probability,
                                dtype=tf.bool, sample_shape=self.batch_size,
                                seed=self._scheduling_seed)
      return v1.where(select, categorical_sample(logits=outputs, seed=self._seed),
                      tf.fill([self.batch_size], -1))

  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    with v1.name_scope(name, "ScheduledEmbeddingTrainingHelperNextInputs",
                       [time, outputs, state, sample_ids]):
      finished, base_next_inputs, state = super().next_inputs(
          time=time, outputs=outputs, state=state, sample_ids=sample_ids,
          name=name)

      def maybe_sample():
        where_sampling = tf.cast(v1.where(sample_ids > -1), tf.int32)
        where_not_sampling = tf.cast(v1.where(sample_ids <= -1), tf.int32)
        sampled = self._embedding_fn(tf.gather_nd(sample_ids, where_sampling))
        kept = tf.gather_nd(base_next_inputs, where_not_sampling)
        return _scatter_two(where_sampling, sampled, where_not_sampling, kept,
                            tf.shape(base_next_inputs))

      next_inputs = v1.cond(tf.reduce_all(finished),
                            lambda: base_next_inputs, maybe_sample)
      return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
  """Teacher forcing, except that with ``sampling_probability`` an entry feeds back its own output."""

  def __init__(self, inputs, sequence_length, sampling_probability,
               time_major=False, seed=None, next_inputs_fn=None,
               auxiliary_inputs=None, name=None):
    with v1.name_scope(name, "ScheduledOutputTrainingHelper",
                       [inputs, auxiliary_inputs, sampling_probability]):
      self._sampling_probability = _check_sampling_probability(
          sampling_probability)
      if auxiliary_inputs is None:
        all_inputs = inputs
      else:
        inputs = tf.convert_to_tensor(inputs, name="inputs")
        auxiliary_inputs = tf.convert_to_tensor(auxiliary_inputs,
                                                name="auxiliary_inputs")
        all_inputs = tf.nest.map_structure(
            lambda x, y: tf.concat((x, y), -1), inputs, auxiliary_inputs)
        if not time_major:
          auxiliary_inputs = tf.nest.map_structure(
              decoder.transpose_batch_time, auxiliary_inputs)
      self._auxiliary_input_tas = (
          tf.nest.map_structure(_unstack_ta, auxiliary_inputs)
          if auxiliary_inputs is not None else None)
      self._seed = seed
      self._next_inputs_fn = next_inputs_fn
      super().__init__(inputs=all_inputs, sequence_length=sequence_length,
                       time_major=time_major, name=name)

  def sample(self, time, outputs, state, name=None):
    with v1.name_scope(name, "ScheduledOutputTrainingHelperSample",
                       [time, outputs, state]):
      return bernoulli_sample(probs=self._sampling_probability,
                              sample_shape=self.batch_size, seed=self._seed)

  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    with v1.name_scope(name, "ScheduledOutputTrainingHelperNextInputs",
                       [time, outputs, state, sample_ids]):
      finished, base_next_inputs, state = super().next_inputs(
          time=time, outputs=outputs, state=state, sample_ids=sample_ids,
          name=name)
      sample_ids = tf.cast(sample_ids, tf.bool)

      def with_auxiliary(values, indices=None):
        if self._auxiliary_input_tas is None:
          return values
        auxiliary = tf.nest.map_structure(lambda ta: ta.read(time + 1),
                                          self._auxiliary_input_tas)
        if indices is not None:
          auxiliary = tf.gather_nd(auxiliary, indices)
        return tf.nest.map_structure(lambda x, y: tf.concat((x, y), -1),
                                     values, auxiliary)

      def maybe_sample():
        if self._next_inputs_fn is None:
          return v1.where(sample_ids, with_auxiliary(outputs), base_next_inputs)
        where_sampling = tf.cast(v1.where(sample_ids), tf.int32)
        where_not_sampling = tf.cast(v1.where(tf.logical_not(sample_ids)),
                                     tf.int32)
        sampled = with_auxiliary(
            self._next_inputs_fn(tf.gather_nd(outputs, where_sampling)),
            where_sampling)
        kept = tf.gather_nd(base_next_inputs, where_not_sampling)
        return _scatter_two(where_sampling, sampled, where_not_sampling, kept,
                            tf.shape(base_next_inputs))

      no_samples = tf.logical_not(tf.reduce_any(sample_ids))
      next_inputs = v1.cond(
          tf.logical_or(tf.reduce_all(finished), no_samples),
          lambda: base_next_inputs, maybe_sample)
      return finished, next_inputs, state


class GreedyEmbeddingHelper(_ScalarIds, Helper):
  """Inference: feeds back the embedding of each step's argmax; an entry finishes at ``end_token``."""

  def __init__(self, embedding, start_tokens, end_token):
    self._embedding_fn = _embedding_fn(embedding)
    self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                              name="start_tokens")
    self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32,
                                           name="end_token")
    if self._start_tokens.shape.ndims != 1:
      raise ValueError("start_tokens must be a vector")
    self._batch_size = tf.size(start_tokens)
    if self._end_token.shape.ndims != 0:
      raise ValueError("end_token must be a scalar")
    self._start_inputs = self._embedding_fn(self._start_tokens)

  def initialize(self, name=None):
    return tf.tile([False], [self._batch_size]), self._start_inputs

  def _logits(self, outputs):
    if not isinstance(outputs, tf.Tensor):
      raise TypeError("Expected outputs to be a single Tensor, got: %s" %
                      type(outputs))
    return outputs

  def sample(self, time, outputs, state, name=None):
    del time, state
    return tf.argmax(self._logits(outputs), axis=-1, output_type=tf.int32)

  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    del time, outputs
    finished = tf.equal(sample_ids, self._end_token)
    next_inputs = v1.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                          lambda: self._embedding_fn(sample_ids))
    return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
  """Inference: feeds back the embedding of an id sampled from each step's logits (over ``softmax_temperature``)."""

  def __init__(self, embedding, start_tokens, end_token,
               softmax_temperature=None, seed=None):
    super().__init__(embedding, start_tokens, end_token)
    self._softmax_temperature = softmax_temperature
    self._seed = seed

  def sample(self, time, outputs, state, name=None):
    del time, state
    logits = self._logits(outputs)
    if self._softmax_temperature is not None:
      logits = logits / self._softmax_temperature
    return categorical_sample(logits=logits, seed=self._seed)


class InferenceHelper(Helper):
  """Inference without an embedding: ``sample_fn(outputs)`` ids, ``end_fn(ids)`` finished, ``next_inputs_fn(ids)`` (default: the ids)."""

  def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs,
               end_fn, next_inputs_fn=None):
    self._sample_fn = sample_fn
    self._end_fn = end_fn
    self._sample_shape = tf.TensorShape(sample_shape)
    self._sample_dtype = sample_dtype
    self._next_inputs_fn = next_inputs_fn
    self._batch_size = tf.shape(start_inputs)[0]
    self._start_inputs = tf.convert_to_tensor(start_inputs,
                                              name="start_inputs")

  @property
  def batch_size(self):
    return self._batch_size

  @property
  def sample_ids_shape(self):
    return self._sample_shape

  @property
  def sample_ids_dtype(self):
    return self._sample_dtype

  def initialize(self, name=None):
    return tf.tile([False], [self._batch_size]), self._start_inputs

  def sample(self, time, outputs, state, name=None):
    del time, state
    return self._sample_fn(outputs)

  def next_inputs(self, time, outputs, state, sample_ids, name=None):
    del time, outputs
    next_inputs = (sample_ids if self._next_inputs_fn is None
                   else self._next_inputs_fn(sample_ids))
    return self._end_fn(sample_ids), next_inputs, state
