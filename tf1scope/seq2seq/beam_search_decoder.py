"""``tf.contrib.seq2seq.BeamSearchDecoder``, ``tile_batch`` and ``gather_tree``.

Beam search keeps ``beam_width`` hypotheses per batch entry: each step the
cell runs on all of them at once (batch and beam merged), every hypothesis
is extended by every token, and the best ``beam_width`` total scores
(log-probabilities, over TF1's length penalty) survive. ``finalize`` follows
the parent pointers back with :func:`gather_tree`. Memories and initial
states for it are tiled with :func:`tile_batch`.
"""

import collections

from absl import logging
import numpy as np
import tensorflow as tf

from tf1scope import _compat
from tf1scope.seq2seq import attention_wrapper
from tf1scope.seq2seq import basic_decoder
from tf1scope.seq2seq import decoder

v1 = tf.compat.v1


class BeamSearchDecoderState(
    collections.namedtuple("BeamSearchDecoderState",
                           ("cell_state", "log_probs", "finished", "lengths",
                            "accumulated_attention_probs"))):
  pass


class BeamSearchDecoderOutput(
    collections.namedtuple("BeamSearchDecoderOutput",
                           ("scores", "predicted_ids", "parent_ids"))):
  pass


class FinalBeamSearchDecoderOutput(
    collections.namedtuple("FinalBeamDecoderOutput",
                           ["predicted_ids", "beam_search_decoder_output"])):
  """``predicted_ids`` ``[batch, time, beam]`` (sorted by score) and the per-step outputs."""


def _tile_one(t, multiplier):
  t = tf.convert_to_tensor(t, name="t")
  if t.shape.ndims is None or t.shape.ndims < 1:
    raise ValueError("t must have statically known rank")
  shape = tf.shape(t)
  tiling = [1] * (t.shape.ndims + 1)
  tiling[1] = multiplier
  batch = tf.compat.dimension_value(t.shape[0])
  tiled = tf.tile(tf.expand_dims(t, 1), tiling)
  tiled = tf.reshape(tiled, tf.concat(([shape[0] * multiplier], shape[1:]), 0))
  if not tf.executing_eagerly():
    tiled.set_shape(tf.TensorShape(
        [batch * multiplier if batch is not None else None]).concatenate(
            t.shape[1:]))
  return tiled


def tile_batch(t, multiplier, name=None):
  """Repeats each batch entry ``multiplier`` times in place: ``[a, b]`` -> ``[a, a, b, b]``.

  >>> import tensorflow as tf
  >>> tile_batch(tf.constant([[1], [2]]), 2).numpy().ravel().tolist()
  [1, 1, 2, 2]
  """
  flat = tf.nest.flatten(t)
  with v1.name_scope(name, "tile_batch", flat + [multiplier]):
    return tf.nest.map_structure(lambda x: _tile_one(x, multiplier), t)


def _check_rank(value, rank, what):
  if value.shape.ndims is not None and value.shape.ndims != rank:
    raise ValueError("%s must be a %d-tensor, saw shape: %s" %
                     (what, rank, value.shape))


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token,
                name=None):
  """TF1's ``GatherTree``: the full beams from each step's ids and parent beams.

  ``step_ids`` and ``parent_ids`` are ``[max_time, batch, beam]``. For each
  batch entry, beams are followed back from ``max_sequence_lengths[b] - 1``.
  Steps past the length, and every step after a beam's first ``end_token``,
  are ``end_token``. A parent outside ``[0, beam_width)`` on a followed path
  raises TF1's ``InvalidArgumentError`` ("Saw invalid parent id ..."; under
  XLA, which cannot format the message, no error is raised and the beam is
  cut there: -1 at that step, end tokens below it).

  >>> import tensorflow as tf
  >>> ids = tf.constant([[[1, 2]], [[3, 4]]])        # [time=2, batch=1, beam=2]
  >>> parents = tf.constant([[[0, 0]], [[1, 0]]])    # step 1's beams came from 1, 0
  >>> gather_tree(ids, parents, [2], end_token=9).numpy()[:, 0].tolist()
  [[2, 1], [3, 4]]
  """
  with v1.name_scope(name, "GatherTree",
                     [step_ids, parent_ids, max_sequence_lengths, end_token]):
    step_ids = tf.convert_to_tensor(step_ids, dtype=tf.int32, name="step_ids")
    parent_ids = tf.convert_to_tensor(parent_ids, dtype=tf.int32,
                                      name="parent_ids")
    lengths = tf.convert_to_tensor(max_sequence_lengths, dtype=tf.int32,
                                   name="max_sequence_lengths")
    end_token = tf.convert_to_tensor(end_token, dtype=tf.int32,
                                     name="end_token")
    _check_rank(step_ids, 3, "step_ids")
    _check_rank(lengths, 1, "max_sequence_lengths")
    if not step_ids.shape.is_compatible_with(parent_ids.shape):
      raise ValueError("step_ids.shape must match parent_ids.shape: %s vs. %s"
                       % (step_ids.shape, parent_ids.shape))
    shape = tf.shape(step_ids)
    max_time, beam_width = shape[0], shape[2]
    lengths = tf.minimum(lengths, max_time)[:, None]   # [batch, 1]
    own_beam = tf.broadcast_to(tf.range(beam_width)[None, :], shape[1:])
    ends = tf.fill(shape[1:], end_token)
    none = -tf.ones(shape[1:], tf.int32)

    def back(carry, t):
      """One level down the beams: (parent to read next, bad level, bad parent, ids)."""
      parent, bad_level, bad_parent, _ = carry
      inside = t < lengths
      last = tf.equal(t, lengths - 1)
      index = tf.where(last, own_beam, parent)
      followed = tf.logical_and(inside, bad_level < 0)
      invalid = tf.logical_and(
          tf.logical_and(followed, tf.logical_not(last)),
          tf.logical_or(index < 0, index >= beam_width))
      safe = tf.clip_by_value(index, 0, beam_width - 1)
      ids = tf.where(followed, tf.gather(step_ids[t], safe, batch_dims=1), ends)
      ids = tf.where(invalid, -tf.ones_like(ids), ids)   # seen only under XLA
      next_parent = tf.where(followed,
                             tf.gather(parent_ids[t], safe, batch_dims=1),
                             parent)
      return (next_parent, tf.where(invalid, tf.fill(tf.shape(none), t),
                                    bad_level),
              tf.where(invalid, index, bad_parent), ids)

    _, bad_levels, bad_parents, beams = tf.scan(
        back, tf.range(max_time - 1, -1, -1),
        initializer=(own_beam, none, none, ends))
    beams = tf.reverse(beams, [0])
    # The carry after the last level (or the initial one when max_time is 0).
    bad_level = tf.concat([none[None], bad_levels], 0)[-1]
    bad_parent = tf.concat([none[None], bad_parents], 0)[-1]
    beams = _check_parents(beams, bad_level, bad_parent, beam_width)
    # After a beam's first end token, only end tokens (within its length).
    seen_end = tf.cumsum(tf.cast(tf.equal(beams, end_token), tf.int32),
                         axis=0, exclusive=True) > 0
    within = tf.range(max_time)[:, None, None] < lengths[None, :, :]
    beams = tf.where(tf.logical_and(seen_end, within),
                     tf.fill(shape, end_token), beams)
    if not tf.executing_eagerly():
      beams.set_shape(step_ids.shape)
    return beams


def _check_parents(beams, bad_levels, bad_parents, beam_width):
  """``beams``, or TF1's error for the first (batch, beam) that met an invalid parent.

  Under XLA (no string formatting there) the beams are returned as cut.
  """
  if _compat.in_xla_context():
    return beams
  flat = tf.reshape(bad_levels, [-1])
  any_bad = tf.reduce_any(flat >= 0)
  first = tf.argmax(tf.cast(flat >= 0, tf.int32), output_type=tf.int32)
  batch, beam = first // beam_width, first % beam_width
  message = tf.strings.format(
      "Saw invalid parent id {} at (batch, time, beam) == ({}, {}, {})",
      (tf.reshape(bad_parents, [-1])[first], batch, flat[first], beam))
  if tf.executing_eagerly():
    if bool(any_bad):
      raise tf.errors.InvalidArgumentError(None, None,
                                           message.numpy().decode())
    return beams
  check = tf.debugging.Assert(tf.logical_not(any_bad), [message])
  with tf.control_dependencies([check]):
    return tf.identity(beams)


def gather_tree_from_array(t, parent_ids, sequence_length):
  """Reorders a ``[max_time, batch * beam, ...]`` tensor along the beams' parent pointers."""
  max_time = (tf.compat.dimension_value(parent_ids.shape[0]) or
              tf.shape(parent_ids)[0])
  batch_size = (tf.compat.dimension_value(parent_ids.shape[1]) or
                tf.shape(parent_ids)[1])
  beam_width = (tf.compat.dimension_value(parent_ids.shape[2]) or
                tf.shape(parent_ids)[2])
  beam_ids = tf.tile(tf.expand_dims(tf.expand_dims(tf.range(beam_width), 0),
                                    0), [max_time, batch_size, 1])
  max_sequence_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1),
                                 tf.int32)
  sorted_beam_ids = gather_tree(step_ids=beam_ids, parent_ids=parent_ids,
                                max_sequence_lengths=max_sequence_lengths,
                                end_token=beam_width + 1)
  in_bound_steps = tf.transpose(
      tf.sequence_mask(sequence_length, maxlen=max_time), perm=[2, 0, 1])
  sorted_beam_ids = v1.where(in_bound_steps, x=sorted_beam_ids, y=beam_ids)
  time_ind = tf.tile(tf.reshape(tf.range(max_time), [-1, 1, 1]),
                     [1, batch_size, beam_width])
  batch_ind = tf.transpose(
      tf.tile(tf.reshape(tf.range(batch_size), [-1, 1, 1]),
              [1, max_time, beam_width]), perm=[1, 0, 2])
  indices = tf.stack([time_ind, batch_ind, sorted_beam_ids], -1)
  final_shape = tf.shape(t)
  gather_from = tf.reshape(t, [max_time, batch_size, beam_width, -1])
  return tf.reshape(tf.gather_nd(gather_from, indices), final_shape)


def _check_ndims(t):
  if t.shape.ndims is None:
    raise ValueError(
        "Expected tensor (%s) to have known rank, but ndims == None." % t)


def _can_sort(shape, batch_size, beam_width):
  """Whether TensorArray elements of ``shape`` can be reshaped to ``[batch, beam, -1]`` (TF1's warning if not)."""
  if (batch_size is not None and shape.dims[0].value is not None and
      (shape[0] != batch_size * beam_width or
       (shape.ndims >= 2 and shape.dims[1].value is not None and
        (shape[0] != batch_size or shape[1] != beam_width)))):
    logging.warning(
        "TensorArray reordering expects elements to be reshapable to %s which "
        "is incompatible with the current shape %s. Consider setting "
        "reorder_tensor_arrays to False to disable TensorArray reordering "
        "during the beam search.",
        tf.TensorShape([batch_size, beam_width, None]), shape)
    return False
  return True


def _check_batch_beam(t, batch_size, beam_width):
  """An assert that ``t``'s elements reshape to ``[batch, beam, -1]``."""
  message = ("TensorArray reordering expects elements to be reshapable to "
             "[batch_size, beam_size, -1] which is incompatible with the "
             "dynamic shape of %s elements. Consider setting "
             "reorder_tensor_arrays to False to disable TensorArray reordering "
             "during the beam search." %
             (t if tf.executing_eagerly() else t.name))
  shape = tf.shape(t)
  if t.shape.ndims == 2:
    condition = tf.equal(shape[1], batch_size * beam_width)
  else:
    condition = tf.logical_or(
        tf.equal(shape[1], batch_size * beam_width),
        tf.logical_and(tf.equal(shape[1], batch_size),
                       tf.equal(shape[2], beam_width)))
  return tf.debugging.Assert(condition, [message])


class BeamSearchDecoder(decoder.Decoder):
  """TF1's ``BeamSearchDecoder``: beam search over ``cell``, fed ``embedding(ids)``.

  ``initial_state`` (and an attention mechanism's memory) must already be
  tiled to ``batch * beam_width`` (:func:`tile_batch`). Run it with
  ``dynamic_decode``; the final outputs are ``FinalBeamSearchDecoderOutput``.
  """

  def __init__(self, cell, embedding, start_tokens, end_token, initial_state,
               beam_width, output_layer=None, length_penalty_weight=0.0,
               coverage_penalty_weight=0.0, reorder_tensor_arrays=True):
    _compat.assert_like_rnncell("cell", cell)
    basic_decoder.check_output_layer(output_layer)
    self._cell = cell
    self._output_layer = output_layer
    self._reorder_tensor_arrays = reorder_tensor_arrays
    self._beam_width = beam_width
    self._length_penalty_weight = length_penalty_weight
    self._coverage_penalty_weight = coverage_penalty_weight
    if callable(embedding):
      self._embedding_fn = embedding
    else:
      self._embedding_fn = lambda ids: tf.nn.embedding_lookup(embedding, ids)
    self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                              name="start_tokens")
    if self._start_tokens.shape.ndims != 1:
      raise ValueError("start_tokens must be a vector")
    self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32,
                                           name="end_token")
    if self._end_token.shape.ndims != 0:
      raise ValueError("end_token must be a scalar")
    self._batch_size = tf.size(start_tokens)
    self._initial_cell_state = tf.nest.map_structure(
        self._maybe_split_batch_beams, initial_state, self._cell.state_size)
    self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1),
                                 [1, self._beam_width])
    self._start_inputs = self._embedding_fn(self._start_tokens)
    self._finished = tf.one_hot(
        tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
        on_value=False, off_value=True, dtype=tf.bool)

  @property
  def batch_size(self):
    return self._batch_size

  @property
  def tracks_own_finished(self):
    """Finished beams are kept finished by the step (they are reordered, not masked)."""
    return True

  @property
  def output_size(self):
    beams = tf.TensorShape([self._beam_width])
    return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams,
                                   parent_ids=beams)

  @property
  def output_dtype(self):
    dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
    return BeamSearchDecoderOutput(
        scores=tf.nest.map_structure(
            lambda _: dtype,
            basic_decoder.rnn_output_size(self._cell, self._output_layer)),
        predicted_ids=tf.int32, parent_ids=tf.int32)

  def initialize(self, name=None):
    dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
    log_probs = tf.one_hot(
        tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
        on_value=tf.convert_to_tensor(0.0, dtype=dtype),
        off_value=tf.convert_to_tensor(-np.inf, dtype=dtype), dtype=dtype)
    attention_probs = get_attention_probs(self._initial_cell_state,
                                          self._coverage_penalty_weight)
    state = BeamSearchDecoderState(
        cell_state=self._initial_cell_state, log_probs=log_probs,
        finished=self._finished,
        lengths=tf.zeros([self._batch_size, self._beam_width], dtype=tf.int64),
        accumulated_attention_probs=(
            () if attention_probs is None else attention_probs))
    return self._finished, self._start_inputs, state

  def finalize(self, outputs, final_state, sequence_lengths):
    """The beams followed back to their start (and TensorArray states reordered along them)."""
    del sequence_lengths
    max_sequence_lengths = tf.cast(
        tf.reduce_max(final_state.lengths, axis=1), tf.int32)
    predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                max_sequence_lengths=max_sequence_lengths,
                                end_token=self._end_token)
    if self._reorder_tensor_arrays:
      final_state = final_state._replace(cell_state=tf.nest.map_structure(
          lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids,
                                                 final_state.lengths),
          final_state.cell_state))
    outputs = FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs,
                                           predicted_ids=predicted_ids)
    return outputs, final_state

  def _static_batch_size(self):
    return tf.get_static_value(self._batch_size)

  def _merge_batch_beams(self, t, s=None):
    """``[batch, beam, ...]`` -> ``[batch * beam, ...]``."""
    s = _static_shape(s)
    reshaped = tf.reshape(t, tf.concat(
        ([self._batch_size * self._beam_width], tf.shape(t)[2:]), 0))
    static = self._static_batch_size()
    reshaped.set_shape(tf.TensorShape(
        [None if static is None else static * self._beam_width]).concatenate(s))
    return reshaped

  def _split_batch_beams(self, t, s=None):
    """``[batch * beam, ...]`` -> ``[batch, beam, ...]`` (TF1's error when it does not fit)."""
    s = _static_shape(s)
    reshaped = tf.reshape(t, tf.concat(
        ([self._batch_size, self._beam_width], tf.shape(t)[1:]), 0))
    expected = tf.TensorShape(
        [self._static_batch_size(), self._beam_width]).concatenate(s)
    if not reshaped.shape.is_compatible_with(expected):
      raise ValueError("Unexpected behavior when reshaping between beam width "
                       "and batch size.  The reshaped tensor has shape: %s.  "
                       "We expected it to have shape "
                       "(batch_size, beam_width, depth) == %s.  Perhaps you "
                       "forgot to create a zero_state with "
                       "batch_size=encoder_batch_size * beam_width?" %
                       (reshaped.shape, expected))
    reshaped.set_shape(expected)
    return reshaped

  def _maybe_split_batch_beams(self, t, s):
    if isinstance(t, tf.TensorArray):
      return t
    _check_ndims(t)
    return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

  def _maybe_merge_batch_beams(self, t, s):
    if isinstance(t, tf.TensorArray):
      return t
    _check_ndims(t)
    return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

  def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
    if not isinstance(t, tf.TensorArray):
      return t
    if t.element_shape.ndims is None or t.element_shape.ndims < 1:
      logging.warning(
          "The TensorArray %s in the cell state is not amenable to sorting "
          "based on the beam search result. For a TensorArray to be sorted, "
          "its elements shape must be defined and have at least a rank of 1, "
          "but saw shape: %s", t.handle.name if not tf.executing_eagerly()
          else "", t.element_shape)
      return t
    if not _can_sort(t.element_shape, self._static_batch_size(),
                     self._beam_width):
      return t
    t = t.stack()
    with tf.control_dependencies(
        [c for c in [_check_batch_beam(t, self._batch_size, self._beam_width)]
         if c is not None]):
      return gather_tree_from_array(t, parent_ids, sequence_length)

  def step(self, time, inputs, state, name=None):
    with v1.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
      inputs = tf.nest.map_structure(
          lambda x: self._merge_batch_beams(x, s=x.shape[2:]), inputs)
      cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams,
                                         state.cell_state,
                                         self._cell.state_size)
      cell_outputs, next_cell_state = self._cell(inputs, cell_state)
      cell_outputs = tf.nest.map_structure(
          lambda out: self._split_batch_beams(out, out.shape[1:]),
          cell_outputs)
      next_cell_state = tf.nest.map_structure(
          self._maybe_split_batch_beams, next_cell_state,
          self._cell.state_size)
      if self._output_layer is not None:
        cell_outputs = self._output_layer(cell_outputs)
      output, next_state = _beam_search_step(
          time=time, logits=cell_outputs, next_cell_state=next_cell_state,
          beam_state=state, batch_size=self._batch_size,
          beam_width=self._beam_width, end_token=self._end_token,
          length_penalty_weight=self._length_penalty_weight,
          coverage_penalty_weight=self._coverage_penalty_weight)
      finished = next_state.finished
      sample_ids = output.predicted_ids
      next_inputs = v1.cond(tf.reduce_all(finished),
                            lambda: self._start_inputs,
                            lambda: self._embedding_fn(sample_ids))
    return output, next_state, next_inputs, finished


def _static_shape(s):
  if isinstance(s, tf.Tensor):
    return tf.TensorShape(tf.get_static_value(s))
  return tf.TensorShape(s)


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size,
                      beam_width, end_token, length_penalty_weight,
                      coverage_penalty_weight):
  """One step: extend every beam by every token, keep the best ``beam_width``."""
  static_batch_size = tf.get_static_value(batch_size)
  previously_finished = beam_state.finished
  not_finished = tf.logical_not(previously_finished)
  step_log_probs = _mask_probs(tf.nn.log_softmax(logits), end_token,
                               previously_finished)
  total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs
  vocab_size = (tf.compat.dimension_value(logits.shape[-1]) or
                tf.shape(logits)[-1])
  lengths_to_add = tf.one_hot(
      indices=tf.fill([batch_size, beam_width], end_token), depth=vocab_size,
      on_value=tf.constant(0, tf.int64), off_value=tf.constant(1, tf.int64),
      dtype=tf.int64)
  lengths_to_add *= tf.expand_dims(tf.cast(not_finished, tf.int64), 2)
  new_lengths = lengths_to_add + tf.expand_dims(beam_state.lengths, 2)
  accumulated_attention_probs = None
  attention_probs = get_attention_probs(next_cell_state,
                                        coverage_penalty_weight)
  if attention_probs is not None:
    attention_probs *= tf.expand_dims(tf.cast(not_finished, tf.float32), 2)
    accumulated_attention_probs = (beam_state.accumulated_attention_probs +
                                   attention_probs)
  scores = _get_scores(
      log_probs=total_probs, sequence_lengths=new_lengths,
      length_penalty_weight=length_penalty_weight,
      coverage_penalty_weight=coverage_penalty_weight,
      finished=previously_finished,
      accumulated_attention_probs=accumulated_attention_probs)

  time = tf.convert_to_tensor(time, name="time")
  scores_flat = tf.reshape(scores, [batch_size, -1])
  next_beam_size = tf.convert_to_tensor(beam_width, dtype=tf.int32,
                                        name="beam_width")
  next_beam_scores, word_indices = tf.nn.top_k(scores_flat, k=next_beam_size)
  if not tf.executing_eagerly():
    next_beam_scores.set_shape([static_batch_size, beam_width])
    word_indices.set_shape([static_batch_size, beam_width])
  next_beam_probs = _tensor_gather_helper(
      gather_indices=word_indices, gather_from=total_probs,
      batch_size=batch_size, range_size=beam_width * vocab_size,
      gather_shape=[-1], name="next_beam_probs")
  next_word_ids = tf.cast(tf.math.floormod(word_indices, vocab_size,
                                           name="next_beam_word_ids"),
                          tf.int32)
  next_beam_ids = tf.cast(word_indices / vocab_size, tf.int32,
                          name="next_beam_parent_ids")
  previously_finished = _tensor_gather_helper(
      gather_indices=next_beam_ids, gather_from=previously_finished,
      batch_size=batch_size, range_size=beam_width, gather_shape=[-1])
  next_finished = tf.logical_or(previously_finished,
                                tf.equal(next_word_ids, end_token),
                                name="next_beam_finished")
  next_lengths = _tensor_gather_helper(
      gather_indices=next_beam_ids, gather_from=beam_state.lengths,
      batch_size=batch_size, range_size=beam_width, gather_shape=[-1])
  next_lengths += tf.cast(tf.logical_not(previously_finished), tf.int64)
  next_accumulated_attention_probs = ()
  if accumulated_attention_probs is not None:
    next_accumulated_attention_probs = _tensor_gather_helper(
        gather_indices=next_beam_ids, gather_from=accumulated_attention_probs,
        batch_size=batch_size, range_size=beam_width,
        gather_shape=[batch_size * beam_width, -1],
        name="next_accumulated_attention_probs")
  next_cell_state = tf.nest.map_structure(
      lambda gather_from: _maybe_tensor_gather_helper(
          gather_indices=next_beam_ids, gather_from=gather_from,
          batch_size=batch_size, range_size=beam_width,
          gather_shape=[batch_size * beam_width, -1]),
      next_cell_state)
  next_state = BeamSearchDecoderState(
      cell_state=next_cell_state, log_probs=next_beam_probs,
      lengths=next_lengths, finished=next_finished,
      accumulated_attention_probs=next_accumulated_attention_probs)
  output = BeamSearchDecoderOutput(scores=next_beam_scores,
                                   predicted_ids=next_word_ids,
                                   parent_ids=next_beam_ids)
  return output, next_state


def get_attention_probs(next_cell_state, coverage_penalty_weight):
  """The alignments the coverage penalty uses (None when it is off)."""
  if coverage_penalty_weight == 0.0:
    return None
  per_layer = []
  if isinstance(next_cell_state, attention_wrapper.AttentionWrapperState):
    per_layer = [attention_probs_from_attn_state(next_cell_state)]
  elif isinstance(next_cell_state, tuple):
    per_layer = [attention_probs_from_attn_state(s) for s in next_cell_state
                 if isinstance(s, attention_wrapper.AttentionWrapperState)]
  if not per_layer:
    raise ValueError(
        "coverage_penalty_weight must be 0.0 if no cell is attentional.")
  if len(per_layer) == 1:
    return per_layer[0]
  return tf.reduce_mean(tf.concat([tf.expand_dims(p, -1) for p in per_layer],
                                  -1), -1)


def attention_probs_from_attn_state(attention_state):
  probs = attention_state.alignments
  if isinstance(probs, tuple):
    probs = tf.reduce_mean(tf.concat([tf.expand_dims(p, -1) for p in probs],
                                     -1), -1)
  return probs


def _get_scores(log_probs, sequence_lengths, length_penalty_weight,
                coverage_penalty_weight, finished, accumulated_attention_probs):
  """Log-probabilities over the length penalty, plus the coverage penalty."""
  penalty = tf.cast(_length_penalty(sequence_lengths, length_penalty_weight),
                    dtype=log_probs.dtype)
  scores = log_probs / penalty
  coverage_penalty_weight = tf.convert_to_tensor(
      coverage_penalty_weight, name="coverage_penalty_weight")
  if coverage_penalty_weight.shape.ndims != 0:
    raise ValueError("coverage_penalty_weight should be a scalar, "
                     "but saw shape: %s" % coverage_penalty_weight.shape)
  if tf.get_static_value(coverage_penalty_weight) == 0.0:
    return scores
  if accumulated_attention_probs is None:
    raise ValueError(
        "accumulated_attention_probs can be None only if coverage penalty is "
        "disabled.")
  accumulated = v1.where(tf.equal(accumulated_attention_probs, 0.0),
                         tf.ones_like(accumulated_attention_probs),
                         accumulated_attention_probs)
  coverage = tf.reduce_sum(tf.math.log(tf.minimum(accumulated, 1.0)), 2)
  coverage *= tf.cast(finished, tf.float32)
  return scores + tf.expand_dims(coverage * coverage_penalty_weight, 2)


def _length_penalty(sequence_lengths, penalty_factor):
  """Wu et al. (2016): ``((5 + length) / 6) ** penalty_factor`` (1 when the factor is 0)."""
  penalty_factor = tf.convert_to_tensor(penalty_factor, name="penalty_factor")
  penalty_factor.set_shape(())
  static = tf.get_static_value(penalty_factor)
  if static is not None and static == 0:
    return 1.0
  return tf.math.divide(
      (5. + tf.cast(sequence_lengths, tf.float32)) ** penalty_factor,
      (5. + 1.) ** penalty_factor)


def _mask_probs(probs, eos_token, finished):
  """A finished beam can only continue with ``eos_token`` (log-probability 0)."""
  vocab_size = tf.shape(probs)[2]
  finished_row = tf.one_hot(
      eos_token, vocab_size, dtype=probs.dtype,
      on_value=tf.convert_to_tensor(0., dtype=probs.dtype),
      off_value=probs.dtype.min)
  finished_probs = tf.tile(tf.reshape(finished_row, [1, 1, -1]),
                           tf.concat([tf.shape(finished), [1]], 0))
  finished_mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab_size])
  return v1.where(finished_mask, finished_probs, probs)


def _maybe_tensor_gather_helper(gather_indices, gather_from, batch_size,
                                range_size, gather_shape):
  if isinstance(gather_from, tf.TensorArray):
    return gather_from
  _check_ndims(gather_from)
  if gather_from.shape.ndims >= len(gather_shape):
    return _tensor_gather_helper(gather_indices=gather_indices,
                                 gather_from=gather_from,
                                 batch_size=batch_size, range_size=range_size,
                                 gather_shape=gather_shape)
  return gather_from


def _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                          gather_shape, name=None):
  """Entries ``gather_indices`` of each batch entry's rows of ``gather_from``."""
  with v1.name_scope(name, "tensor_gather_helper"):
    range_ = tf.expand_dims(tf.range(batch_size) * range_size, 1)
    gather_indices = tf.reshape(gather_indices + range_, [-1])
    output = tf.gather(tf.reshape(gather_from, gather_shape), gather_indices)
    final_shape = tf.shape(gather_from)[:1 + len(gather_shape)]
    output = tf.reshape(output, final_shape, name="output")
    if not tf.executing_eagerly():
      output.set_shape(tf.TensorShape([tf.get_static_value(batch_size)])
                       .concatenate(gather_from.shape[1:1 + len(gather_shape)]))
    return output
