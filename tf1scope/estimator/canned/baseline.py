"""TF1's ``BaselineClassifier`` and ``BaselineRegressor``: models that learn only a bias.

The model function is TF1's: one variable ``baseline/bias`` (zeros, one per
logit) broadcast to the batch (the batch size is the first dimension of
the features, checked equal across them, the weight column excepted), and
the head's loss trained with FTRL (learning rate 0.3) by default. A
baseline says what a model must beat: the classifier learns the label
distribution, the regressor the label mean.
"""

import tensorflow as tf

from tf1scope.estimator.canned import heads
from tf1scope.estimator.canned import optimizers
from tf1scope.estimator.estimator import Estimator

v1 = tf.compat.v1

_LEARNING_RATE = 0.3


def baseline_model_fn(features, labels, mode, head, optimizer,
                      weight_column=None, config=None):
  """TF1's baseline model function: a learned bias as the logits, and the head's spec."""
  del config
  weight_key = heads.weight_key(weight_column)
  checks, batch_size = [], None
  for key, feature in features.items():
    if key == weight_key:   # not a serving input
      continue
    first = tf.shape(feature)[0]
    if batch_size is None:
      batch_size = first
    else:
      checks.append(v1.assert_equal(batch_size, first))
  with tf.control_dependencies(checks):
    with v1.variable_scope("baseline"):
      bias = v1.get_variable("bias", shape=[head.logits_dimension],
                             initializer=v1.zeros_initializer())
      logits = tf.multiply(bias, tf.ones([batch_size, head.logits_dimension]))

  def train_op_fn(loss):
    made = optimizers.get_optimizer_instance(optimizer, _LEARNING_RATE)
    return made.minimize(loss, global_step=v1.train.get_global_step())

  return head.create_estimator_spec(features=features, mode=mode, logits=logits,
                                    labels=labels, train_op_fn=train_op_fn)


class _Baseline(Estimator):

  def _init_baseline(self, head, model_dir, weight_column, optimizer, config):
    def model_fn(features, labels, mode, config):
      return baseline_model_fn(features, labels, mode, head, optimizer,
                               weight_column, config)
    Estimator.__init__(self, model_fn, model_dir=model_dir, config=config)


class BaselineClassifier(_Baseline):
  """TF1's ``tf.compat.v1.estimator.BaselineClassifier`` (same arguments, names and checkpoints)."""

  def __init__(self, model_dir=None, n_classes=2, weight_column=None,
               label_vocabulary=None, optimizer="Ftrl", config=None,
               loss_reduction=heads.SUM):
    head = heads.classifier_head(n_classes, weight_column, label_vocabulary,
                                 loss_reduction)
    self._init_baseline(head, model_dir, weight_column, optimizer, config)


class BaselineRegressor(_Baseline):
  """TF1's ``tf.compat.v1.estimator.BaselineRegressor`` (same arguments, names and checkpoints)."""

  def __init__(self, model_dir=None, label_dimension=1, weight_column=None,
               optimizer="Ftrl", config=None, loss_reduction=heads.SUM):
    head = heads.regression_head(label_dimension, weight_column, loss_reduction)
    self._init_baseline(head, model_dir, weight_column, optimizer, config)
