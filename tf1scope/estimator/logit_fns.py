"""TF1's ``tf.estimator.experimental`` logit functions: the canned models' logits in a model_fn of one's own.

``dnn_logit_fn_builder`` and ``linear_logit_fn_builder`` return TF1's DNN
and linear logit functions (the variables, partitioning and summaries of
:mod:`tf1scope.estimator.canned`), and ``call_logit_fn`` calls one with the
arguments it takes.
"""

import tensorflow as tf

from tf1scope import _compat
from tf1scope.estimator.canned import dnn
from tf1scope.estimator.canned import linear
from tf1scope.estimator.model_fn import taken_arguments


def dnn_logit_fn_builder(units, hidden_units, feature_columns, activation_fn,
                         dropout, input_layer_partitioner, batch_norm):
  """TF1's DNN ``logit_fn(features, mode)``."""
  if not isinstance(units, int):
    raise ValueError(f"units must be an int.  Given type: {type(units)}")

  def dnn_logit_fn(features, mode):
    return dnn.dnn_logits(features, mode, units, hidden_units, feature_columns,
                          activation_fn, dropout, input_layer_partitioner,
                          batch_norm)
  return dnn_logit_fn


def linear_logit_fn_builder(units, feature_columns, sparse_combiner="sum"):
  """TF1's linear ``logit_fn(features)``."""
  def linear_logit_fn(features):
    return linear.linear_logits(features, units, feature_columns,
                                sparse_combiner)
  return linear_logit_fn


def call_logit_fn(logit_fn, features, mode, params, config):
  """``logit_fn(features=..., [mode, params, config])``, checked to give a tensor or a dict of them."""
  results = logit_fn(features=features, **taken_arguments(
      _compat.fn_args(logit_fn), mode=mode, params=params, config=config))
  valid_dict = isinstance(results, dict) and all(
      isinstance(k, str) and isinstance(v, tf.Tensor) for k, v in results.items())
  if not (valid_dict or isinstance(results, tf.Tensor)):
    raise ValueError("logit_fn should return a Tensor or a dictionary mapping "
                     f"strings to Tensors.  logit_fn returned: {results}")
  return results
