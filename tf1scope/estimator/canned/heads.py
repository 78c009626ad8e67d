"""The heads of TF1's canned Estimators: logits to predictions, loss, metrics and spec.

Three heads, as TF1's ``tf.compat.v1.estimator`` classes made them:

* binary (``n_classes=2``): sigmoid cross entropy on one logit;
* multi-class (``n_classes > 2``): softmax cross entropy;
* regression (``label_dimension``): mean squared error.

Each gives TF1's predictions (``logits``, ``logistic``, ``probabilities``,
``class_ids``, ``classes``, ``all_class_ids``, ``all_classes``; or
``predictions``), export outputs (``serving_default``, ``classification``,
``regression``, ``predict``), its training loss (weighted, reduced by
``loss_reduction``, ``SUM`` by default) with the ``loss`` and
``average_loss`` summaries, and its evaluation metrics, named as TF1 named
them (``accuracy``, ``average_loss``, ``precision``, ``recall``, ``auc``,
``auc_precision_recall``, ``label/mean``, ``prediction/mean``,
``accuracy_baseline``).
"""

import tensorflow as tf

from tf1scope import _compat
from tf1scope.estimator.model_fn import EstimatorSpec
from tf1scope.estimator.model_fn import ModeKeys

v1 = tf.compat.v1
SUM = v1.losses.Reduction.SUM

_LABELS_MISSING = (
    "You must provide a labels Tensor. Given: None. Suggested troubleshooting "
    "steps: Check that your data contain your label feature. Check that your "
    "input_fn properly parses and returns labels.")


def classifier_head(n_classes, weight_column, label_vocabulary, loss_reduction):
  """TF1's head for a classifier: binary for two classes, else multi-class."""
  if n_classes is None or n_classes < 2:
    raise ValueError(
        f"n_classes must be > 1 for classification: {n_classes}")
  if label_vocabulary is not None and not isinstance(label_vocabulary,
                                                     (list, tuple)):
    raise ValueError(
        "label_vocabulary should be a list or a tuple. "
        f"Given type: {type(label_vocabulary)}")
  _check_reduction(loss_reduction)
  return Head("binary" if n_classes == 2 else "multi", n_classes, weight_column,
              label_vocabulary, loss_reduction)


def regression_head(label_dimension, weight_column, loss_reduction):
  """TF1's head for a regressor of ``label_dimension`` values."""
  if label_dimension < 1:
    raise ValueError(f"Invalid label_dimension {label_dimension}.")
  _check_reduction(loss_reduction)
  return Head("regression", label_dimension, weight_column, None,
              loss_reduction)


def _check_reduction(loss_reduction):
  if (loss_reduction not in v1.losses.Reduction.all() or
      loss_reduction == v1.losses.Reduction.NONE):
    raise ValueError(f"Invalid loss_reduction: {loss_reduction}")


class Head:
  """One of TF1's canned heads (see the module docstring)."""

  def __init__(self, kind, size, weight_column, label_vocabulary,
               loss_reduction):
    self.kind = kind
    self._size = size   # n_classes, or label_dimension
    self._weight_column = weight_column
    self._vocabulary = tuple(label_vocabulary) if label_vocabulary else None
    self._reduction = loss_reduction
    self._tables = {}   # the vocabulary's lookup tables, made once

  def _table(self, make):
    """The lookup table ``make(vocabulary)`` makes: made eagerly, once, and kept by the head.

    TF1 made one in each graph; here the table is a constant of the head,
    ready in every pass, as TF2 code makes tables outside its functions.
    """
    if not v1.executing_eagerly_outside_functions():
      # A TF1 graph (an export): TF1's table, made with the graph's others.
      return make(self._vocabulary, v1.lookup.StaticHashTable)
    if make not in self._tables:
      with tf.init_scope():
        self._tables[make] = make(self._vocabulary, tf.lookup.StaticHashTable)
    return self._tables[make]

  @property
  def logits_dimension(self):
    return 1 if self.kind == "binary" else self._size

  # --- predictions ------------------------------------------------------------

  def _predictions(self, logits):
    if self.kind == "regression":
      return {"predictions": logits}
    with tf.name_scope("predictions"):
      if self.kind == "binary":
        logistic = tf.sigmoid(logits, name="logistic")
        scores = tf.concat([tf.zeros_like(logits), logits], axis=-1,
                           name="two_class_logits")
      else:
        scores = logits
      probabilities = tf.nn.softmax(scores, name="probabilities")
      class_ids = tf.expand_dims(tf.argmax(scores, axis=-1, name="class_ids"),
                                 axis=-1)
      if self._vocabulary:
        classes = self._table(_string_table).lookup(class_ids)
      else:
        classes = tf.strings.as_string(class_ids, name="str_classes")
      predictions = {"logits": logits}
      if self.kind == "binary":
        predictions["logistic"] = logistic
      predictions.update(
          probabilities=probabilities, class_ids=class_ids, classes=classes,
          all_class_ids=self._per_example(tf.range(self._size), logits),
          all_classes=self._per_example(self._class_names(), logits))
    return predictions

  def _class_names(self):
    if self._vocabulary:
      return tf.constant(self._vocabulary)
    return tf.strings.as_string(tf.range(self._size))

  @staticmethod
  def _per_example(row, like):
    return tf.tile(tf.expand_dims(row, 0), [tf.shape(like)[0], 1])

  def _export_outputs(self, predictions):
    predict = _compat.PredictOutput(predictions)
    if self.kind == "regression":
      regression = _compat.RegressionOutput(value=predictions["predictions"])
      return {"serving_default": regression, "regression": regression,
              "predict": predict}
    scores = predictions["probabilities"]
    classification = _compat.ClassificationOutput(
        scores=scores, classes=self._per_example(self._class_names(), scores))
    outputs = {"serving_default": classification,
               "classification": classification}
    if self.kind == "binary":
      outputs["regression"] = _compat.RegressionOutput(
          value=predictions["logistic"])
    outputs["predict"] = predict
    return outputs

  # --- loss -------------------------------------------------------------------

  def _labels(self, labels, logits):
    """Labels shaped [batch, dim]: TF1's checks, ids looked up in the vocabulary."""
    if labels is None:
      raise ValueError(_LABELS_MISSING)
    dim = 1 if self.kind != "regression" else self._size
    labels = v1.convert_to_tensor_or_sparse_tensor(labels)
    if isinstance(labels, tf.SparseTensor):
      raise ValueError(
          "SparseTensor labels are not supported. labels must be a Tensor of "
          f"shape [D0, D1, ..., DN, {dim}], e.g. [batch_size, {dim}].")
    if (labels.shape.rank is not None and logits.shape.rank is not None and
        labels.shape.rank == logits.shape.rank - 1):
      labels = tf.expand_dims(labels, -1)
    last = labels.shape[-1] if labels.shape.rank else None
    if last is not None and last != dim:
      raise ValueError(
          f"Mismatched label shape. Expected labels dimension={dim}.  "
          f"Received {last}. Suggested Fix:If your classifier expects one-hot "
          "encoding label,check your n_classes argument to the estimator "
          "and/or the shape of your label. Otherwise, check the shape of your "
          "label.")
    if self.kind == "regression":
      return tf.cast(labels, tf.float32)
    if self._vocabulary:
      if labels.dtype != tf.string:
        raise ValueError("Labels dtype should be string if there is a "
                         f"vocabulary. Instead got {labels.dtype}")
      labels = self._table(_id_table).lookup(labels)
    elif self.kind == "multi" and not labels.dtype.is_integer:
      raise ValueError(
          f"Labels dtype should be integer. Instead got {labels.dtype}.")
    if self.kind == "binary":
      labels = tf.cast(labels, tf.float32)
    with tf.control_dependencies([
        v1.assert_less_equal(labels, tf.cast(self._size - 1, labels.dtype),
                             message="Labels must <= n_classes - 1"),
        v1.assert_non_negative(labels, message="Labels must >= 0")]):
      return tf.identity(labels)

  def _weights(self, features, logits):
    """The example weights, [batch, 1] (1. without a weight column)."""
    column = self._weight_column
    if column is None:
      return 1.
    key = weight_key(column)
    normalize = getattr(column, "normalizer_fn", None)
    weights = features[key]
    if normalize is not None:
      weights = normalize(weights)
    if not (weights.dtype.is_floating or weights.dtype.is_integer):
      raise ValueError("Weight column should be castable to float. "
                       f"Given dtype: {weights.dtype}")
    weights = tf.cast(weights, tf.float32, name="weights")
    if weights.shape.rank is not None and weights.shape.rank == logits.shape.rank - 1:
      weights = tf.expand_dims(weights, -1)
    return weights

  def _loss(self, features, logits, labels):
    labels = self._labels(labels, logits)
    if self.kind == "binary":
      unreduced = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels,
                                                          logits=logits)
    elif self.kind == "multi":
      unreduced = tf.expand_dims(v1.losses.sparse_softmax_cross_entropy(
          labels=labels, logits=logits, reduction=v1.losses.Reduction.NONE), -1)
    else:
      unreduced = v1.losses.mean_squared_error(
          labels=labels, predictions=logits, reduction=v1.losses.Reduction.NONE)
    weights = self._weights(features, logits)
    loss = v1.losses.compute_weighted_loss(unreduced, weights=weights,
                                           reduction=self._reduction)
    return loss, unreduced, weights, labels

  # --- metrics ----------------------------------------------------------------

  def _metrics(self, predictions, labels, weights, unreduced):
    metrics = v1.metrics
    with tf.name_scope("metrics"):
      ops = {"average_loss": metrics.mean(unreduced, weights=weights,
                                          name="average_loss")}
      if self.kind == "regression":
        ops["prediction/mean"] = _weighted_mean(predictions["predictions"],
                                                weights, "prediction/mean")
        ops["label/mean"] = metrics.mean(labels, weights=weights)
        return ops
      class_ids = predictions["class_ids"]
      ops["accuracy"] = metrics.accuracy(labels, class_ids, weights=weights,
                                         name="accuracy")
      if self.kind == "multi":
        return ops
      logistic = predictions["logistic"]
      label_mean = _weighted_mean(labels, weights, "label/mean")
      value, update = label_mean
      ops.update({
          "precision": metrics.precision(labels, class_ids, weights=weights,
                                         name="precision"),
          "recall": metrics.recall(labels, class_ids, weights=weights,
                                   name="recall"),
          "prediction/mean": _weighted_mean(logistic, weights, "prediction/mean"),
          "label/mean": label_mean,
          "accuracy_baseline": (tf.maximum(value, 1. - value),
                                tf.maximum(update, 1. - update)),
          "auc": _auc(labels, logistic, weights, "ROC", "auc"),
          "auc_precision_recall": _auc(labels, logistic, weights, "PR",
                                       "auc_precision_recall"),
      })
    return ops

  # --- the spec ----------------------------------------------------------------

  def create_estimator_spec(self, features, mode, logits, labels=None,
                            optimizer=None, train_op_fn=None):
    """TF1's ``EstimatorSpec`` of this head for ``mode`` (as ``head.create_estimator_spec``)."""
    with tf.name_scope("head"):
      logits = tf.convert_to_tensor(logits)
      last = logits.shape[-1] if logits.shape.rank else None
      if last is not None and last != self.logits_dimension:
        raise ValueError(
            f"logits shape must be [D0, D1, ... DN, logits_dimension], got "
            f"{logits.shape}.")
      predictions = self._predictions(logits)
      if mode == ModeKeys.PREDICT:
        return EstimatorSpec(mode, predictions=predictions,
                             export_outputs=self._export_outputs(predictions))
      loss, unreduced, weights, labels = self._loss(features, logits, labels)
      if mode == ModeKeys.EVAL:
        return EstimatorSpec(mode, predictions=predictions, loss=loss,
                             eval_metric_ops=self._metrics(
                                 predictions, labels, weights, unreduced))
      if optimizer is not None:
        if train_op_fn is not None:
          raise ValueError("train_op_fn and optimizer cannot both be set.")
        train_op = optimizer.minimize(loss,
                                      global_step=v1.train.get_global_step())
      elif train_op_fn is not None:
        train_op = train_op_fn(loss)
      else:
        raise ValueError("train_op_fn and optimizer cannot both be None.")
      updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
      if updates:
        train_op = tf.group(train_op, *updates)
      mean_loss = None
      if self._reduction == SUM:
        mean_loss = loss / tf.reduce_sum(weights * tf.ones_like(unreduced))
    with v1.name_scope(""):
      v1.summary.scalar("loss", loss)
      if mean_loss is not None:
        v1.summary.scalar("average_loss", mean_loss)
    return EstimatorSpec(mode, predictions=predictions, loss=loss,
                         train_op=train_op)


def weight_key(weight_column):
  """The feature key of a weight column: the string itself, or a numeric column's key."""
  if weight_column is None or isinstance(weight_column, str):
    return weight_column
  if not hasattr(weight_column, "normalizer_fn"):
    raise TypeError("Weight column must be either a string or _NumericColumn. "
                    f"Given type: {type(weight_column)}.")
  return weight_column.key


def _broadcast(weights, like):
  """Example weights broadcast to ``like`` (1. stays a scalar), as TF1's metrics took them."""
  if isinstance(weights, float):
    return weights
  return tf.broadcast_to(weights, tf.shape(like))


def _weighted_mean(values, weights, name):
  values = tf.cast(values, tf.float32)
  return v1.metrics.mean(values, weights=_broadcast(weights, values), name=name)


def _auc(labels, predictions, weights, curve, name):
  return v1.metrics.auc(labels=labels, predictions=predictions,
                        weights=_broadcast(weights, predictions), curve=curve,
                        name=name)


def _id_table(vocabulary, table):
  """TF1's ``index_table_from_tensor(vocabulary)``: a label's id, -1 if unknown."""
  return table(
      tf.lookup.KeyValueTensorInitializer(
          list(vocabulary), list(range(len(vocabulary))), value_dtype=tf.int64),
      default_value=-1)


def _string_table(vocabulary, table):
  """TF1's ``index_to_string_table_from_tensor(vocabulary)``: a class id's label, UNK if unknown."""
  return table(
      tf.lookup.KeyValueTensorInitializer(
          list(range(len(vocabulary))), list(vocabulary), key_dtype=tf.int64),
      default_value="UNK")
