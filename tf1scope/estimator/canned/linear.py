"""TF1's ``LinearClassifier`` and ``LinearRegressor``: a linear model on feature columns.

The model function is TF1's: under ``variable_scope("linear")``
(partitioned as TF1 partitioned it) the feature columns' ``linear_model``
(``linear_model/<column>/weights``, ``linear_model/bias_weights``), a
``bias`` summary (a scalar for one logit, else a histogram) and
``fraction_of_zero_weights``, and the head's loss trained with FTRL by
default (learning rate 0.2 for ``"Ftrl"``; without an optimizer,
``min(0.2, 1/sqrt(number of columns))``). Variable, slot and summary names
are TF1's.
"""

import math

import tensorflow as tf

from tf1scope.estimator.canned import heads
from tf1scope.estimator.canned import optimizers
from tf1scope.estimator.estimator import Estimator

v1 = tf.compat.v1

_LEARNING_RATE = 0.2


def _default_optimizer(feature_columns):
  return v1.train.FtrlOptimizer(
      learning_rate=min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns))))


def _shards(variable):
  """A variable, or the shards of a partitioned one."""
  if isinstance(variable, (tf.Variable, tf.Tensor)):
    return [variable]
  return list(variable)


def _fraction_of_zero(variables):
  """The fraction of zero entries over all ``variables`` (the model's sparsity)."""
  with tf.name_scope("zero_fraction"):
    sizes = [tf.size(v, out_type=tf.int64) for v in variables]
    zeros = tf.add_n([tf.math.zero_fraction(v) * tf.cast(size, tf.float32)
                      for v, size in zip(variables, sizes)])
    return tf.identity(zeros / tf.cast(tf.add_n(sizes), tf.float32),
                       name="zero_fraction_or_nan")


def linear_logits(features, units, feature_columns, sparse_combiner):
  """The logits of TF1's linear model (in the caller's ``linear`` scope), with its summaries."""
  columns_to_variables = {}
  logits = v1.feature_column.linear_model(
      features, list(feature_columns), units=units,
      sparse_combiner=sparse_combiner, cols_to_vars=columns_to_variables)
  bias = [s for v in columns_to_variables.pop("bias") for s in _shards(v)]
  weights = [s for vs in columns_to_variables.values() for v in vs
             for s in _shards(v)]
  if units > 1:
    v1.summary.histogram("bias", bias)
  else:
    v1.summary.scalar("bias", bias[0][0])
  v1.summary.scalar("fraction_of_zero_weights", _fraction_of_zero(weights))
  return logits


def linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                    partitioner, config, sparse_combiner="sum"):
  """TF1's linear model function: the logits and the head's spec, in ``variable_scope("linear")``."""
  if not isinstance(features, dict):
    raise ValueError("features should be a dictionary of `Tensor`s. "
                     f"Given type: {type(features)}")
  replicas = getattr(config, "num_ps_replicas", 0) if config else 0
  partitioner = partitioner or v1.min_max_variable_partitioner(
      max_partitions=replicas, min_slice_size=64 << 20)
  with v1.variable_scope("linear", values=tuple(features.values()),
                         partitioner=partitioner):
    logits = linear_logits(features, head.logits_dimension, feature_columns,
                           sparse_combiner)
    optimizer = optimizers.get_optimizer_instance(
        optimizer or _default_optimizer(feature_columns), _LEARNING_RATE)
    return head.create_estimator_spec(features=features, mode=mode,
                                      labels=labels, optimizer=optimizer,
                                      logits=logits)


class _Linear(Estimator):
  """An Estimator whose model function is :func:`linear_model_fn` with ``head``."""

  def _init_linear(self, head, feature_columns, model_dir, optimizer, config,
                   partitioner, warm_start_from, sparse_combiner):
    feature_columns = tuple(feature_columns or [])
    if sparse_combiner not in ("mean", "sqrtn", "sum"):
      raise ValueError(
          "sparse_combiner must be one of 'mean', 'sqrtn' or 'sum', given: "
          f"{sparse_combiner!r}.")

    def model_fn(features, labels, mode, config):
      return linear_model_fn(features, labels, mode, head, feature_columns,
                             optimizer, partitioner, config, sparse_combiner)

    Estimator.__init__(self, model_fn, model_dir=model_dir, config=config,
                       warm_start_from=warm_start_from)


class LinearClassifier(_Linear):
  """TF1's ``tf.compat.v1.estimator.LinearClassifier`` (same arguments, names and checkpoints)."""

  def __init__(self, feature_columns, model_dir=None, n_classes=2,
               weight_column=None, label_vocabulary=None, optimizer="Ftrl",
               config=None, partitioner=None, warm_start_from=None,
               loss_reduction=heads.SUM, sparse_combiner="sum"):
    head = heads.classifier_head(n_classes, weight_column, label_vocabulary,
                                 loss_reduction)
    self._init_linear(head, feature_columns, model_dir, optimizer, config,
                      partitioner, warm_start_from, sparse_combiner)


class LinearRegressor(_Linear):
  """TF1's ``tf.compat.v1.estimator.LinearRegressor`` (same arguments, names and checkpoints)."""

  def __init__(self, feature_columns, model_dir=None, label_dimension=1,
               weight_column=None, optimizer="Ftrl", config=None,
               partitioner=None, warm_start_from=None,
               loss_reduction=heads.SUM, sparse_combiner="sum"):
    head = heads.regression_head(label_dimension, weight_column, loss_reduction)
    self._init_linear(head, feature_columns, model_dir, optimizer, config,
                      partitioner, warm_start_from, sparse_combiner)
