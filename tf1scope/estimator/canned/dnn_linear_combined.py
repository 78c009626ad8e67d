"""TF1's ``DNNLinearCombinedClassifier`` and ``DNNLinearCombinedRegressor`` ("wide and deep").

The model function is TF1's: the DNN's logits under ``variable_scope("dnn")``
and the linear model's under ``variable_scope("linear")`` (with its own
``fraction_of_zero_values`` and ``activation`` summaries), added; each part
trained by its own optimizer on its own scope's trainable variables
(Adagrad with learning rate 0.001 for the DNN, FTRL with ``min(0.005,
1/sqrt(number of linear columns))`` for the linear part, by default), then
the global step incremented once.
"""

import math

import tensorflow as tf

from tf1scope.estimator.canned import dnn
from tf1scope.estimator.canned import heads
from tf1scope.estimator.canned import linear
from tf1scope.estimator.canned import optimizers
from tf1scope.estimator.estimator import Estimator

v1 = tf.compat.v1

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _single_optimizer(optimizer):
  if isinstance(optimizer, v1.train.SyncReplicasOptimizer):
    raise ValueError(
        "SyncReplicasOptimizer does not support multi optimizers case. "
        "Therefore, it is not supported in DNNLinearCombined model. If you "
        "want to use this optimizer, please use either DNN or Linear model.")
  return optimizer


def combined_model_fn(features, labels, mode, head, linear_feature_columns,
                      linear_optimizer, dnn_feature_columns, dnn_optimizer,
                      dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                      input_layer_partitioner, config, batch_norm=False,
                      linear_sparse_combiner="sum"):
  """TF1's wide-and-deep model function."""
  if not isinstance(features, dict):
    raise ValueError("features should be a dictionary of `Tensor`s. "
                     f"Given type: {type(features)}")
  if not linear_feature_columns and not dnn_feature_columns:
    raise ValueError(
        "Either linear_feature_columns or dnn_feature_columns must be defined.")
  replicas = getattr(config, "num_ps_replicas", 0) if config else 0
  input_layer_partitioner = input_layer_partitioner or (
      v1.min_max_variable_partitioner(max_partitions=replicas,
                                      min_slice_size=64 << 20))
  parts = []   # (logits, optimizer, absolute scope name)
  if dnn_feature_columns:
    optimizer = _single_optimizer(optimizers.get_optimizer_instance(
        dnn_optimizer, _DNN_LEARNING_RATE))
    if not dnn_hidden_units:
      raise ValueError("dnn_hidden_units must be defined when "
                       "dnn_feature_columns is specified.")
    with v1.variable_scope(
        "dnn", values=tuple(features.values()),
        partitioner=v1.min_max_variable_partitioner(max_partitions=replicas)
    ) as scope:
      logits = dnn.dnn_logits(features, mode, head.logits_dimension,
                              dnn_hidden_units, dnn_feature_columns,
                              dnn_activation_fn, dnn_dropout,
                              input_layer_partitioner, batch_norm)
      parts.append((logits, optimizer, scope.name))
  if linear_feature_columns:
    optimizer = _single_optimizer(optimizers.get_optimizer_instance(
        linear_optimizer, min(_LINEAR_LEARNING_RATE,
                              1. / math.sqrt(len(linear_feature_columns)))))
    with v1.variable_scope("linear", values=tuple(features.values()),
                           partitioner=input_layer_partitioner) as scope:
      logits = linear.linear_logits(features, head.logits_dimension,
                                    linear_feature_columns,
                                    linear_sparse_combiner)
      dnn.layer_summary(logits, scope.name)
      parts.append((logits, optimizer, scope.name))
  logits = parts[0][0] if len(parts) == 1 else parts[0][0] + parts[1][0]

  def train_op_fn(loss):
    train_ops = [
        optimizer.minimize(loss, var_list=v1.get_collection(
            v1.GraphKeys.TRAINABLE_VARIABLES, scope=scope))
        for _, optimizer, scope in parts]
    with tf.control_dependencies([tf.group(*train_ops)]):
      return v1.assign_add(v1.train.get_global_step(), 1).op

  return head.create_estimator_spec(features=features, mode=mode,
                                    labels=labels, train_op_fn=train_op_fn,
                                    logits=logits)


class _Combined(Estimator):
  """An Estimator whose model function is :func:`combined_model_fn` with ``head``."""

  def _init_combined(self, head, model_dir, linear_feature_columns,
                     linear_optimizer, dnn_feature_columns, dnn_optimizer,
                     dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                     input_layer_partitioner, config, warm_start_from,
                     batch_norm, linear_sparse_combiner):
    linear_feature_columns = list(linear_feature_columns or [])
    dnn_feature_columns = list(dnn_feature_columns or [])
    if not linear_feature_columns + dnn_feature_columns:
      raise ValueError("Either linear_feature_columns or dnn_feature_columns "
                       "must be defined.")

    def model_fn(features, labels, mode, config):
      return combined_model_fn(
          features, labels, mode, head, linear_feature_columns,
          linear_optimizer, dnn_feature_columns, dnn_optimizer,
          dnn_hidden_units, dnn_activation_fn, dnn_dropout,
          input_layer_partitioner, config, batch_norm, linear_sparse_combiner)

    Estimator.__init__(self, model_fn, model_dir=model_dir, config=config,
                       warm_start_from=warm_start_from)


class DNNLinearCombinedClassifier(_Combined):
  """TF1's ``tf.compat.v1.estimator.DNNLinearCombinedClassifier`` (same arguments, names and checkpoints)."""

  def __init__(self, model_dir=None, linear_feature_columns=None,
               linear_optimizer="Ftrl", dnn_feature_columns=None,
               dnn_optimizer="Adagrad", dnn_hidden_units=None,
               dnn_activation_fn=tf.nn.relu, dnn_dropout=None, n_classes=2,
               weight_column=None, label_vocabulary=None,
               input_layer_partitioner=None, config=None, warm_start_from=None,
               loss_reduction=heads.SUM, batch_norm=False,
               linear_sparse_combiner="sum"):
    head = heads.classifier_head(n_classes, weight_column, label_vocabulary,
                                 loss_reduction)
    self._init_combined(head, model_dir, linear_feature_columns,
                        linear_optimizer, dnn_feature_columns, dnn_optimizer,
                        dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                        input_layer_partitioner, config, warm_start_from,
                        batch_norm, linear_sparse_combiner)


class DNNLinearCombinedRegressor(_Combined):
  """TF1's ``tf.compat.v1.estimator.DNNLinearCombinedRegressor`` (same arguments, names and checkpoints)."""

  def __init__(self, model_dir=None, linear_feature_columns=None,
               linear_optimizer="Ftrl", dnn_feature_columns=None,
               dnn_optimizer="Adagrad", dnn_hidden_units=None,
               dnn_activation_fn=tf.nn.relu, dnn_dropout=None,
               label_dimension=1, weight_column=None,
               input_layer_partitioner=None, config=None, warm_start_from=None,
               loss_reduction=heads.SUM, batch_norm=False,
               linear_sparse_combiner="sum"):
    head = heads.regression_head(label_dimension, weight_column, loss_reduction)
    self._init_combined(head, model_dir, linear_feature_columns,
                        linear_optimizer, dnn_feature_columns, dnn_optimizer,
                        dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                        input_layer_partitioner, config, warm_start_from,
                        batch_norm, linear_sparse_combiner)
