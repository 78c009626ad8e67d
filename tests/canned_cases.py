"""Canned Estimator cases, run by TF1's classes (``make_canned_fixture.py``) and tf1scope's.

Each case builds its estimator from the ``tf.compat.v1`` module it is given
(TensorFlow 2.15's, or ``tf1scope.compat.v1``), on the same small data: a
numeric feature ``x`` of three values, a categorical id ``c`` in [0, 4) and
an example weight ``w``.
"""

import numpy as np

STEPS = 6

X = (np.arange(24, dtype=np.float32).reshape(8, 3) - 10.0) / 10.0
C = np.array([[0], [1], [2], [3], [1], [2], [0], [3]], dtype=np.int64)
W = np.array([[1.0], [2.0], [1.0], [0.5], [1.0], [2.0], [1.5], [1.0]],
             dtype=np.float32)
LABELS = {
    "binary": np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=np.int64),
    "multi": np.array([0, 1, 2, 0, 2, 1, 0, 2], dtype=np.int64),
    "regression": (X.sum(axis=1, keepdims=True) * 0.5 + 0.1).astype(np.float32),
    "vocab": np.array([b"a", b"b", b"c", b"a", b"c", b"b", b"a", b"c"]),
    "yes_no": np.array([b"no", b"yes", b"yes", b"no", b"yes", b"no", b"no",
                        b"yes"]),
}


class Case:
  """An estimator class, its arguments, and the labels it learns."""

  def __init__(self, cls, labels, deep, **kwargs):
    self.cls, self.labels, self.deep, self.kwargs = cls, labels, deep, kwargs

  def columns(self, tf1, deep=None):
    """The feature columns: embedded ``c`` for a DNN, ``c`` itself for a linear model."""
    fc = tf1.feature_column
    x = fc.numeric_column("x", shape=[3])
    c = fc.categorical_column_with_identity("c", num_buckets=4)
    if deep if deep is not None else self.deep:
      return [x, fc.embedding_column(c, dimension=2)]
    return [x, c]

  def make(self, tf1, model_dir, config):
    cls = getattr(tf1.estimator, self.cls)
    if self.deep == "none":   # a baseline: no feature columns
      return cls(model_dir=model_dir, config=config, **self.kwargs)
    if self.deep == "both":   # wide and deep
      columns = {"linear_feature_columns": self.columns(tf1, deep=False),
                 "dnn_feature_columns": self.columns(tf1, deep=True)}
    else:
      columns = {"feature_columns": self.columns(tf1)}
    return cls(model_dir=model_dir, config=config, **columns, **self.kwargs)

  def _features(self, tf, rows):
    return {"x": tf.constant(X[rows]), "c": tf.constant(C[rows]),
            "w": tf.constant(W[rows])}

  def train_input_fn(self, tf):
    def input_fn():
      data = tf.data.Dataset.from_tensor_slices(
          ({"x": X, "c": C, "w": W}, LABELS[self.labels]))
      return data.batch(4).repeat()
    return input_fn

  def eval_input_fn(self, tf):
    def input_fn():
      data = tf.data.Dataset.from_tensor_slices(
          ({"x": X, "c": C, "w": W}, LABELS[self.labels]))
      return data.batch(3)
    return input_fn

  def predict_input_fn(self, tf):
    def input_fn():
      return tf.data.Dataset.from_tensor_slices({"x": X[:3], "c": C[:3],
                                                 "w": W[:3]}).batch(3)
    return input_fn

  def serving_input_receiver_fn(self, tf1):
    spec = tf1.feature_column.make_parse_example_spec(
        self.columns(tf1, deep=self.deep in ("both", True)))
    return tf1.estimator.export.build_parsing_serving_input_receiver_fn(spec)


CASES = {
    "dnn_binary": Case("DNNClassifier", "binary", True, hidden_units=[4, 3]),
    "dnn_multi": Case("DNNClassifier", "multi", True, hidden_units=[4],
                      n_classes=3, weight_column="w"),
    "dnn_regressor": Case("DNNRegressor", "regression", True, hidden_units=[3]),
    "dnn_batch_norm": Case("DNNClassifier", "binary", True, hidden_units=[3, 2],
                           batch_norm=True, optimizer="Adam"),
    "dnn_vocabulary": Case("DNNClassifier", "vocab", True, hidden_units=[3],
                           n_classes=3, label_vocabulary=["a", "b", "c"]),
    "linear_vocabulary": Case("LinearClassifier", "yes_no", False,
                              label_vocabulary=["no", "yes"], optimizer="SGD"),
    "combined_binary": Case("DNNLinearCombinedClassifier", "binary", "both",
                            dnn_hidden_units=[3]),
    "combined_regressor": Case("DNNLinearCombinedRegressor", "regression",
                               "both", dnn_hidden_units=[4, 2],
                               dnn_optimizer="SGD", weight_column="w"),
    "baseline_multi": Case("BaselineClassifier", "multi", "none", n_classes=3,
                           weight_column="w"),
    "baseline_regressor": Case("BaselineRegressor", "regression", "none"),
    "linear_binary": Case("LinearClassifier", "binary", False),
    "linear_multi": Case("LinearClassifier", "multi", False, n_classes=3),
    "linear_regressor": Case("LinearRegressor", "regression", False,
                             weight_column="w"),
}
