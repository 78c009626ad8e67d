"""``tf.contrib.seq2seq.sequence_loss``: weighted cross-entropy over a batch of sequences."""

import tensorflow as tf


def _check_ranks(logits, targets, weights):
  if len(logits.shape) != 3:
    raise ValueError("Logits must be a "
                     "[batch_size x sequence_length x logits] tensor")
  if len(targets.shape) != 2:
    raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
  if len(weights.shape) != 2:
    raise ValueError("Weights must be a [batch_size x sequence_length] tensor")


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False,
                  sum_over_batch=False, softmax_loss_function=None, name=None):
  """TF1's ``sequence_loss``: per-step cross-entropy, weighted, then reduced.

  ``logits`` ``[batch, time, classes]``, ``targets`` and ``weights``
  ``[batch, time]``. Averaging divides by the sum of the weights; TF1's
  "sum" reductions divide by the number of nonzero weights. Reducing over
  neither axis gives ``[batch, time]``; over one, a vector.

  >>> import tensorflow as tf
  >>> logits = tf.zeros([2, 3, 4])                 # uniform over 4 classes
  >>> loss = sequence_loss(logits, tf.zeros([2, 3], tf.int32), tf.ones([2, 3]))
  >>> round(float(loss), 4)                        # log(4)
  1.3863
  """
  _check_ranks(logits, targets, weights)
  if average_across_timesteps and sum_over_timesteps:
    raise ValueError("average_across_timesteps and sum_over_timesteps cannot "
                     "be set to True at same time.")
  if average_across_batch and sum_over_batch:
    raise ValueError("average_across_batch and sum_over_batch cannot be set "
                     "to True at same time.")
  with tf.compat.v1.name_scope(name, "sequence_loss", [logits, targets, weights]):
    classes = tf.shape(logits)[2]
    flat_logits = tf.reshape(logits, [-1, classes])
    flat_targets = tf.reshape(targets, [-1])
    if softmax_loss_function is None:
      crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
          labels=flat_targets, logits=flat_logits)
    else:
      crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
    crossent *= tf.reshape(weights, [-1])
    if average_across_timesteps and average_across_batch:
      return tf.math.divide_no_nan(tf.reduce_sum(crossent),
                                   tf.reduce_sum(weights))
    if sum_over_timesteps and sum_over_batch:
      count = tf.cast(tf.math.count_nonzero(weights), crossent.dtype)
      return tf.math.divide_no_nan(tf.reduce_sum(crossent), count)
    crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
    if average_across_timesteps or average_across_batch:
      axis = [0] if average_across_batch else [1]
      return tf.math.divide_no_nan(tf.reduce_sum(crossent, axis=axis),
                                   tf.reduce_sum(weights, axis=axis))
    if sum_over_timesteps or sum_over_batch:
      axis = [0] if sum_over_batch else [1]
      count = tf.cast(tf.math.count_nonzero(weights, axis=axis), crossent.dtype)
      return tf.math.divide_no_nan(tf.reduce_sum(crossent, axis=axis), count)
    return crossent
