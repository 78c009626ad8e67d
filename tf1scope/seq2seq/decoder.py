"""``tf.contrib.seq2seq.Decoder`` and ``dynamic_decode``: a decoder run step by step in a while loop."""

import abc

import tensorflow as tf

from tf1scope import _compat
from tf1scope import rnn_cell

v1 = tf.compat.v1


class Decoder(metaclass=abc.ABCMeta):
  """TF1's decoder interface, run by :func:`dynamic_decode`.

  ``initialize()`` gives ``(finished, first inputs, initial state)``;
  ``step(time, inputs, state)`` gives ``(outputs, next state, next inputs,
  finished)``; ``finalize`` (optional) post-processes the stacked outputs.
  """

  @property
  def batch_size(self):
    raise NotImplementedError

  @property
  def output_size(self):
    raise NotImplementedError

  @property
  def output_dtype(self):
    raise NotImplementedError

  @abc.abstractmethod
  def initialize(self, name=None):
    raise NotImplementedError

  @abc.abstractmethod
  def step(self, time, inputs, state, name=None):
    raise NotImplementedError

  def finalize(self, outputs, final_state, sequence_lengths):
    raise NotImplementedError

  @property
  def tracks_own_finished(self):
    """Whether ``step`` keeps finished entries finished itself (beam search does)."""
    return False


def transpose_batch_time(x):
  """``[batch, time, ...]`` <-> ``[time, batch, ...]`` (ranks below 2 unchanged)."""
  static = x.shape
  if static.rank is not None and static.rank < 2:
    return x
  perm = tf.concat(([1, 0], tf.range(2, tf.rank(x))), axis=0)
  transposed = tf.transpose(x, perm)
  if static.rank is not None and not tf.executing_eagerly():
    transposed.set_shape(tf.TensorShape([static[1], static[0]]).concatenate(
        static[2:]))
  return transposed


def _element_shape(batch_size, size):
  """The static shape of one step's output of ``size``, with the batch when it is known."""
  if not isinstance(size, tf.TensorShape) or size.rank == 0:
    return None
  static = tf.get_static_value(tf.convert_to_tensor(batch_size,
                                                    name="batch_size"))
  return tf.TensorShape([static]).concatenate(size)


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32,
                   swap_memory=False, scope=None):
  """TF1's ``dynamic_decode``: steps ``decoder`` until every entry is finished.

  Runs in ``variable_scope(scope or "decoder")``, so a cell the decoder calls
  makes ``decoder/<cell>/...`` variables, as in TF1. Returns
  ``(final outputs, final state, final sequence lengths)``; outputs are
  ``[batch, time, ...]`` unless ``output_time_major``. With
  ``impute_finished``, finished entries emit zeros and keep their state.
  """
  if not isinstance(decoder, Decoder):
    raise TypeError("Expected decoder to be type Decoder, but saw: %s" %
                    type(decoder))
  with v1.variable_scope(scope, "decoder") as varscope:
    if not tf.executing_eagerly() and not _compat.in_tf1_while_loop():
      # TF1 caches the variables' reads at their op's device in the loop.
      if varscope.caching_device is None:
        varscope.set_caching_device(lambda op: op.device)
    if maximum_iterations is not None:
      maximum_iterations = tf.convert_to_tensor(
          maximum_iterations, dtype=tf.int32, name="maximum_iterations")
      if maximum_iterations.shape.ndims != 0:
        raise ValueError("maximum_iterations must be a scalar")

    # As TF1 in an XLA context: a bound is needed, and the outputs' arrays
    # have that static size.
    is_xla = _compat.in_xla_context()
    if is_xla and maximum_iterations is None:
      raise ValueError("maximum_iterations is required for XLA compilation.")
    initial_finished, initial_inputs, initial_state = decoder.initialize()
    zero_outputs = tf.nest.map_structure(
        lambda size, dtype: rnn_cell.zero_state_tensors(
            size, decoder.batch_size, dtype),
        decoder.output_size, decoder.output_dtype)
    if maximum_iterations is not None:
      initial_finished = tf.logical_or(initial_finished,
                                       0 >= maximum_iterations)
    initial_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
    initial_time = tf.constant(0, dtype=tf.int32)
    initial_outputs_ta = tf.nest.map_structure(
        lambda size, dtype: tf.TensorArray(
            dtype=dtype, size=maximum_iterations if is_xla else 0,
            dynamic_size=not is_xla,
            element_shape=_element_shape(decoder.batch_size, size)),
        decoder.output_size, decoder.output_dtype)

    def condition(unused_time, unused_outputs_ta, unused_state, unused_inputs,
                  finished, unused_lengths):
      return tf.logical_not(tf.reduce_all(finished))

    def body(time, outputs_ta, state, inputs, finished, lengths):
      next_outputs, decoder_state, next_inputs, decoder_finished = (
          decoder.step(time, inputs, state))
      if decoder.tracks_own_finished:
        next_finished = decoder_finished
      else:
        next_finished = tf.logical_or(decoder_finished, finished)
      next_lengths = v1.where(tf.logical_not(finished),
                              tf.fill(tf.shape(lengths), time + 1), lengths)
      tf.nest.assert_same_structure(state, decoder_state)
      tf.nest.assert_same_structure(outputs_ta, next_outputs)
      tf.nest.assert_same_structure(inputs, next_inputs)
      if impute_finished:
        emit = tf.nest.map_structure(
            lambda out, zero: v1.where(finished, zero, out), next_outputs,
            zero_outputs)
        next_state = tf.nest.map_structure(
            lambda new, cur: _copy_if_finished(finished, new, cur),
            decoder_state, state)
      else:
        emit, next_state = next_outputs, decoder_state
      outputs_ta = tf.nest.map_structure(lambda ta, out: ta.write(time, out),
                                         outputs_ta, emit)
      return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
              next_lengths)

    result = v1.while_loop(
        condition, body,
        loop_vars=(initial_time, initial_outputs_ta, initial_state,
                   initial_inputs, initial_finished, initial_lengths),
        parallel_iterations=parallel_iterations,
        maximum_iterations=maximum_iterations, swap_memory=swap_memory)
    final_state, final_lengths = result[2], result[5]
    final_outputs = tf.nest.map_structure(lambda ta: ta.stack(), result[1])
    try:
      final_outputs, final_state = decoder.finalize(
          final_outputs, final_state, final_lengths)
    except NotImplementedError:
      pass
    if not output_time_major:
      final_outputs = tf.nest.map_structure(transpose_batch_time,
                                            final_outputs)
  return final_outputs, final_state, final_lengths


def _copy_if_finished(finished, new, current):
  """A state entry past its end keeps its value (TensorArrays and scalars pass through)."""
  if isinstance(current, tf.TensorArray):
    return new
  new.set_shape(current.shape)
  if new.shape.ndims == 0:
    return new
  return v1.where(finished, current, new)

