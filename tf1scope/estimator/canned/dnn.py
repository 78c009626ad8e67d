"""TF1's ``DNNClassifier`` and ``DNNRegressor``: feed-forward networks on feature columns.

The model function is TF1's: under ``variable_scope("dnn")`` (partitioned
as TF1 partitioned it) the feature columns' ``input_layer``, then
``hiddenlayer_<i>`` dense layers (Glorot uniform kernels, zero biases) with
optional dropout and batch normalization, then ``logits``; a
``fraction_of_zero_values`` scalar and an ``activation`` histogram per
layer; the head's loss trained with Adagrad (learning rate 0.05) by
default. Variable, slot and summary names are TF1's, so TF1's checkpoints
of these estimators resume here and the other way round.
"""

import tensorflow as tf

from tf1scope import layers
from tf1scope.estimator.canned import heads
from tf1scope.estimator.canned import optimizers
from tf1scope.estimator.estimator import Estimator
from tf1scope.estimator.model_fn import ModeKeys

v1 = tf.compat.v1

_LEARNING_RATE = 0.05


def layer_summary(value, tag):
  v1.summary.scalar(f"{tag}/fraction_of_zero_values", tf.math.zero_fraction(value))
  v1.summary.histogram(f"{tag}/activation", value)


def _dense(net, units, activation):
  """TF1's dense layer in the current variable scope: ``kernel`` and ``bias``."""
  kernel = v1.get_variable("kernel", [net.shape[-1], units],
                           initializer=v1.glorot_uniform_initializer())
  bias = v1.get_variable("bias", [units], initializer=v1.zeros_initializer())
  net = tf.nn.bias_add(tf.matmul(net, kernel), bias)
  return activation(net) if activation is not None else net


def dnn_logits(features, mode, units, hidden_units, feature_columns,
               activation_fn, dropout, input_layer_partitioner, batch_norm):
  """The logits of TF1's DNN model (in the caller's ``dnn`` scope)."""
  training = mode == ModeKeys.TRAIN
  with v1.variable_scope("input_from_feature_columns",
                         partitioner=input_layer_partitioner):
    net = v1.feature_column.input_layer(features, list(feature_columns))
  for i, size in enumerate(hidden_units):
    with v1.variable_scope(f"hiddenlayer_{i}", values=(net,)) as scope:
      net = _dense(net, size, activation_fn)
      if dropout is not None and training:
        net = layers.dropout(net, rate=dropout, training=True)
      if batch_norm:   # TF1 made it in the layer's scope
        net = layers.batch_normalization(net, momentum=0.999, training=training,
                                         name=f"batchnorm_{i}")
    layer_summary(net, scope.name)
  with v1.variable_scope("logits", values=(net,)) as scope:
    logits = _dense(net, units, None)
  layer_summary(logits, scope.name)
  return logits


def dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                 optimizer="Adagrad", activation_fn=tf.nn.relu, dropout=None,
                 input_layer_partitioner=None, config=None, batch_norm=False):
  """TF1's DNN model function: the logits and the head's spec, in ``variable_scope("dnn")``."""
  optimizer = optimizers.get_optimizer_instance(optimizer, _LEARNING_RATE)
  if not isinstance(features, dict):
    raise ValueError("features should be a dictionary of `Tensor`s. "
                     f"Given type: {type(features)}")
  replicas = getattr(config, "num_ps_replicas", 0) if config else 0
  with v1.variable_scope(
      "dnn", values=tuple(features.values()),
      partitioner=v1.min_max_variable_partitioner(max_partitions=replicas)):
    input_layer_partitioner = input_layer_partitioner or (
        v1.min_max_variable_partitioner(max_partitions=replicas,
                                        min_slice_size=64 << 20))
    logits = dnn_logits(features, mode, head.logits_dimension, hidden_units,
                        feature_columns, activation_fn, dropout,
                        input_layer_partitioner, batch_norm)
    return head.create_estimator_spec(features=features, mode=mode,
                                      labels=labels, optimizer=optimizer,
                                      logits=logits)


class _DNN(Estimator):
  """An Estimator whose model function is :func:`dnn_model_fn` with ``head``."""

  def _init_dnn(self, head, hidden_units, feature_columns, model_dir, optimizer,
                activation_fn, dropout, input_layer_partitioner, config,
                warm_start_from, batch_norm):
    feature_columns = tuple(feature_columns or [])

    def model_fn(features, labels, mode, config):
      return dnn_model_fn(features, labels, mode, head, hidden_units,
                          feature_columns, optimizer, activation_fn, dropout,
                          input_layer_partitioner, config, batch_norm)

    Estimator.__init__(self, model_fn, model_dir=model_dir, config=config,
                       warm_start_from=warm_start_from)


class DNNClassifier(_DNN):
  """TF1's ``tf.compat.v1.estimator.DNNClassifier`` (same arguments, names and checkpoints).

  >>> import numpy as np, tensorflow as tf
  >>> import tf1scope.compat.v1 as tf1
  >>> x = tf1.feature_column.numeric_column("x", shape=[2])
  >>> classifier = tf1.estimator.DNNClassifier(hidden_units=[4], feature_columns=[x])
  >>> data = lambda: tf.data.Dataset.from_tensor_slices(
  ...     ({"x": np.eye(2, dtype=np.float32)}, [0, 1])).batch(2)
  >>> _ = classifier.train(lambda: data().repeat(), steps=2)
  >>> sorted(classifier.evaluate(data))[:3]
  ['accuracy', 'accuracy_baseline', 'auc']
  """

  def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
               weight_column=None, label_vocabulary=None, optimizer="Adagrad",
               activation_fn=tf.nn.relu, dropout=None,
               input_layer_partitioner=None, config=None, warm_start_from=None,
               loss_reduction=heads.SUM, batch_norm=False):
    head = heads.classifier_head(n_classes, weight_column, label_vocabulary,
                                 loss_reduction)
    self._init_dnn(head, hidden_units, feature_columns, model_dir, optimizer,
                   activation_fn, dropout, input_layer_partitioner, config,
                   warm_start_from, batch_norm)


class DNNRegressor(_DNN):
  """TF1's ``tf.compat.v1.estimator.DNNRegressor`` (same arguments, names and checkpoints)."""

  def __init__(self, hidden_units, feature_columns, model_dir=None,
               label_dimension=1, weight_column=None, optimizer="Adagrad",
               activation_fn=tf.nn.relu, dropout=None,
               input_layer_partitioner=None, config=None, warm_start_from=None,
               loss_reduction=heads.SUM, batch_norm=False):
    head = heads.regression_head(label_dimension, weight_column, loss_reduction)
    self._init_dnn(head, hidden_units, feature_columns, model_dir, optimizer,
                   activation_fn, dropout, input_layer_partitioner, config,
                   warm_start_from, batch_norm)
