"""``tf.contrib.crf`` (removed with ``tf.contrib``): a linear-chain CRF's scores, likelihood and decoding.

TF1 sequence taggers (BiLSTM-CRF named-entity recognizers, segmenters) end
in ``tf.contrib.crf``: ``crf_log_likelihood`` for training (it makes the
``transitions`` variable with ``get_variable`` when none is given),
``crf_decode`` inside the graph and ``viterbi_decode`` in NumPy for
inference. These are TF1's functions and RNN cells, with TF1's numbers, in a
pass (eagerly and in ``tf.function``) and in a TF1 graph. Through ``import
tf1scope.compat.v1 as tf`` this module is ``tf.contrib.crf``.

>>> import numpy as np, tensorflow as tf2, tf1scope
>>> import tf1scope.compat.v1 as tf
>>> class Tagger(tf2.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, scores, tags, lengths):
...     log_likelihood, transitions = tf.contrib.crf.crf_log_likelihood(
...         scores, tags, lengths)
...     decoded, _ = tf.contrib.crf.crf_decode(scores, transitions, lengths)
...     return -tf.reduce_mean(log_likelihood), decoded
>>> tagger = Tagger()
>>> loss, decoded = tagger(tf2.ones([2, 4, 3]), tf2.zeros([2, 4], tf2.int32),
...                        tf2.constant([4, 2]))
>>> list(tf1scope.variables_by_name(tagger)), decoded.shape
(['transitions'], TensorShape([2, 4]))
"""

import numpy as np
import tensorflow as tf

from tf1scope.layers import base as layers_base

v1 = tf.compat.v1

__all__ = [
    "CrfDecodeBackwardRnnCell", "CrfDecodeForwardRnnCell", "CrfForwardRnnCell",
    "crf_binary_score", "crf_decode", "crf_log_likelihood", "crf_log_norm",
    "crf_multitag_sequence_score", "crf_sequence_score", "crf_unary_score",
    "viterbi_decode",
]


def _one_step(inputs):
  """Whether the sequences are one step long: a Python bool when the shape says (as TF1's constant), else a tensor."""
  steps = tf.compat.dimension_value(inputs.shape[1])
  if steps is not None:
    return steps == 1
  return tf.equal(tf.shape(inputs)[1], 1)


def _zero_where_empty(values, sequence_lengths):
  return v1.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(values),
                  values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths,
                       transition_params):
  """The unnormalized score of each tag sequence: its unary plus its transition scores."""
  def single_step():
    batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
    examples = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype),
                          [-1, 1])
    scores = tf.gather_nd(tf.squeeze(inputs, [1]),
                          tf.concat([examples, tag_indices], axis=1))
    return _zero_where_empty(scores, sequence_lengths)

  def several_steps():
    return (crf_unary_score(tag_indices, sequence_lengths, inputs) +
            crf_binary_score(tag_indices, sequence_lengths, transition_params))
  return layers_base.smart_cond(_one_step(inputs), single_step, several_steps)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths,
                                transition_params):
  """The score of all tag sequences allowed by ``tag_bitmap`` (log-sum-exp over them)."""
  def filtered():
    return v1.where(tag_bitmap, inputs,
                    tf.fill(tf.shape(inputs), float("-inf")))

  def single_step():
    return tf.reduce_logsumexp(filtered(), axis=[1, 2], keepdims=False)

  def several_steps():
    return crf_log_norm(inputs=filtered(), sequence_lengths=sequence_lengths,
                        transition_params=transition_params)
  return layers_base.smart_cond(_one_step(inputs), single_step, several_steps)


def crf_log_norm(inputs, sequence_lengths, transition_params):
  """The log partition function: log-sum-exp of every tag sequence's score (forward algorithm)."""
  first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

  def single_step():
    return _zero_where_empty(tf.reduce_logsumexp(first_input, [1]),
                             sequence_lengths)

  def several_steps():
    rest = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
    lengths_less_one = tf.maximum(
        tf.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
    _, alphas = v1.nn.dynamic_rnn(
        cell=CrfForwardRnnCell(transition_params), inputs=rest,
        sequence_length=lengths_less_one, initial_state=first_input,
        dtype=tf.float32)
    return _zero_where_empty(tf.reduce_logsumexp(alphas, [1]),
                             sequence_lengths)
  return layers_base.smart_cond(_one_step(inputs), single_step, several_steps)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths,
                       transition_params=None):
  """(log-likelihood of each tag sequence, the transition matrix).

  Without ``transition_params``, the ``[num_tags, num_tags]`` matrix is
  ``get_variable("transitions")`` in the current variable scope, as in TF1.
  """
  num_tags = tf.compat.dimension_value(inputs.shape[2])
  if transition_params is None:
    transition_params = v1.get_variable("transitions", [num_tags, num_tags])
  scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                              transition_params)
  return (scores - crf_log_norm(inputs, sequence_lengths, transition_params),
          transition_params)


def crf_unary_score(tag_indices, sequence_lengths, inputs):
  """The sum over each sequence's valid steps of the score of its tag."""
  shape = tf.shape(inputs)
  batch_size, max_seq_len, num_tags = shape[0], shape[1], shape[2]
  offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
  offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)
  if tag_indices.dtype == tf.int64:
    offsets = tf.cast(offsets, tf.int64)
  scores = tf.reshape(
      tf.gather(tf.reshape(inputs, [-1]),
                tf.reshape(offsets + tag_indices, [-1])),
      [batch_size, max_seq_len])
  masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                           dtype=tf.float32)
  return tf.reduce_sum(scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
  """The sum over each sequence's valid transitions of their scores."""
  num_tags = tf.compat.dimension_value(transition_params.shape[0])
  num_transitions = tf.shape(tag_indices)[1] - 1
  starts = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
  ends = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
  scores = tf.gather(tf.reshape(transition_params, [-1]),
                     starts * num_tags + ends)
  masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                           dtype=tf.float32)
  return tf.reduce_sum(scores * tf.slice(masks, [0, 1], [-1, -1]), 1)


class _CrfCell:
  """The RNN-cell interface of the CRF's recursions (no variables, no layer)."""

  _num_tags = None

  @property
  def state_size(self):
    return self._num_tags

  @property
  def output_size(self):
    return self._num_tags

  def zero_state(self, batch_size, dtype):
    return tf.zeros([batch_size, self.state_size], dtype)


class _TransitionCell(_CrfCell):
  """A recursion over the ``[num_tags, num_tags]`` transition scores."""

  def __init__(self, transition_params):
    self._transition_params = tf.expand_dims(transition_params, 0)
    self._num_tags = tf.compat.dimension_value(transition_params.shape[0])


class CrfForwardRnnCell(_TransitionCell):
  """One step of the forward algorithm: ``alphas = inputs + logsumexp(alphas + transitions)``."""

  def __call__(self, inputs, state, scope=None):
    scores = tf.expand_dims(state, 2) + self._transition_params
    new_alphas = inputs + tf.reduce_logsumexp(scores, [1])
    return new_alphas, new_alphas


class CrfDecodeForwardRnnCell(_TransitionCell):
  """One step of Viterbi: the best previous tag for each tag (backpointers), and the new scores."""

  def __call__(self, inputs, state, scope=None):
    scores = tf.expand_dims(state, 2) + self._transition_params
    new_state = inputs + tf.reduce_max(scores, [1])
    return tf.cast(tf.argmax(scores, 1), dtype=tf.int32), new_state


class CrfDecodeBackwardRnnCell(_CrfCell):
  """One step back through the backpointers: the previous tag of the best path."""

  def __init__(self, num_tags):
    self._num_tags = num_tags

  @property
  def state_size(self):
    return 1

  @property
  def output_size(self):
    return 1

  def __call__(self, inputs, state, scope=None):
    state = tf.squeeze(state, axis=[1])
    indices = tf.stack([tf.range(tf.shape(inputs)[0]), state], axis=1)
    new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)
    return new_tags, new_tags


def viterbi_decode(score, transition_params):
  """The best tag sequence of one sequence's ``[steps, num_tags]`` scores, in NumPy: (tags, score)."""
  trellis = np.zeros_like(score)
  backpointers = np.zeros_like(score, dtype=np.int32)
  trellis[0] = score[0]
  for t in range(1, score.shape[0]):
    v = np.expand_dims(trellis[t - 1], 1) + transition_params
    trellis[t] = score[t] + np.max(v, 0)
    backpointers[t] = np.argmax(v, 0)
  viterbi = [np.argmax(trellis[-1])]
  for pointers in reversed(backpointers[1:]):
    viterbi.append(pointers[viterbi[-1]])
  viterbi.reverse()
  return viterbi, np.max(trellis[-1])


def crf_decode(potentials, transition_params, sequence_length):
  """The best tag sequences inside the graph (Viterbi as two RNN passes): (tags, best scores)."""
  def single_step():
    squeezed = tf.squeeze(potentials, [1])
    tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
    return tf.cast(tags, dtype=tf.int32), tf.reduce_max(squeezed, axis=1)

  def several_steps():
    num_tags = tf.compat.dimension_value(potentials.shape[2])
    initial_state = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]),
                               axis=[1])
    inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
    lengths_less_one = tf.maximum(
        tf.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
    backpointers, last_score = v1.nn.dynamic_rnn(
        CrfDecodeForwardRnnCell(transition_params), inputs=inputs,
        sequence_length=lengths_less_one, initial_state=initial_state,
        time_major=False, dtype=tf.int32)
    backpointers = tf.reverse_sequence(backpointers, lengths_less_one,
                                       seq_axis=1)
    last_tags = tf.expand_dims(
        tf.cast(tf.argmax(last_score, axis=1), dtype=tf.int32), axis=-1)
    tags, _ = v1.nn.dynamic_rnn(
        CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
        sequence_length=lengths_less_one, initial_state=last_tags,
        time_major=False, dtype=tf.int32)
    tags = tf.concat([last_tags, tf.squeeze(tags, axis=[2])], axis=1)
    tags = tf.reverse_sequence(tags, sequence_length, seq_axis=1)
    return tags, tf.reduce_max(last_score, axis=1)
  return layers_base.smart_cond(_one_step(potentials), single_step,
                                several_steps)
