"""TF1 Estimator code in TensorFlow 2: ``EstimatorSpec``, ``ModeKeys``, ``RunConfig`` and ``Estimator``.

TensorFlow 2.16 removed ``tf.estimator``. A TF1 ``model_fn(features, labels,
mode, params, config)`` returning a ``tf.estimator.EstimatorSpec``, and the
script that trains it with ``Estimator(model_fn, model_dir).train(input_fn,
steps=...)``, run unchanged after ``import tf1scope.compat.v1 as tf``.

Each call of ``train``, ``evaluate`` or ``predict`` runs the model function
as one pass of :func:`tf1scope.track_tf1_style_variables` inside
``tf.compat.v1.wrap_function``: a graph with TF1's session semantics, in
which only what a step fetches runs (the train op and the loss; the metric
update ops; the predictions), as in the ``session.run`` calls of TF1's
Estimator. The variables belong to the :class:`Estimator`, a ``tf.Module``.
Every call starts from the latest TF1 checkpoint in ``model_dir`` (a
temporary directory if none is given) and ``train`` writes checkpoints, as
TF1's Estimator does, so training runs started by TF1 resume, and TF1
restores what this one writes. ``train_and_evaluate`` with ``TrainSpec``,
``EvalSpec`` and the exporters, and ``export_saved_model``, are TF1's too.

>>> import tensorflow as tf
>>> import tf1scope.compat.v1 as tf1
>>> def model_fn(features, labels, mode):
...   w = tf1.get_variable("w", [1], initializer=tf1.zeros_initializer())
...   loss = tf1.reduce_mean(tf1.square(features * w - labels))
...   step = tf1.train.get_global_step()
...   train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(
...       loss, global_step=step)
...   return tf1.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
...                                      predictions=features * w)
>>> def input_fn():
...   data = ([[1.0], [2.0]], [[2.0], [4.0]])
...   return tf.data.Dataset.from_tensor_slices(data).batch(2).repeat()
>>> estimator = tf1.estimator.Estimator(model_fn)
>>> _ = estimator.train(input_fn, steps=50)
>>> round(float(estimator.get_variable_value("w")[0]), 3)
2.0
>>> sorted(estimator.evaluate(input_fn, steps=1))
['global_step', 'loss']
"""


from tf1scope.estimator import experimental
from tf1scope.estimator import export
from tf1scope.estimator import inputs
from tf1scope.estimator import tpu
from tf1scope.estimator.canned import BaselineClassifier
from tf1scope.estimator.canned import BaselineRegressor
from tf1scope.estimator.canned import DNNClassifier
from tf1scope.estimator.canned import DNNLinearCombinedClassifier
from tf1scope.estimator.canned import DNNLinearCombinedRegressor
from tf1scope.estimator.canned import DNNRegressor
from tf1scope.estimator.canned import LinearClassifier
from tf1scope.estimator.canned import LinearRegressor
from tf1scope.estimator.estimator import Estimator
from tf1scope.estimator.exporter import BestExporter
from tf1scope.estimator.exporter import Exporter
from tf1scope.estimator.exporter import FinalExporter
from tf1scope.estimator.exporter import LatestExporter
from tf1scope.estimator.model_fn import EstimatorSpec
from tf1scope.estimator.model_fn import ModeKeys
from tf1scope.estimator.run_config import RunConfig
from tf1scope.estimator.training import EvalSpec
from tf1scope.estimator.training import TrainSpec
from tf1scope.estimator.training import train_and_evaluate
from tf1scope.estimator.warm_starting import VocabInfo
from tf1scope.estimator.warm_starting import WarmStartSettings
from tf1scope.estimator.extenders import add_metrics
from tf1scope.estimator.parsing import classifier_parse_example_spec
from tf1scope.estimator.parsing import regressor_parse_example_spec

# TF1's tf.estimator exported these hooks of tf.compat.v1.train under its own
# names too (the same objects).
import tensorflow as _tf  # noqa: E402  pylint: disable=g-import-not-at-top,wrong-import-position
_train = _tf.compat.v1.train
CheckpointSaverHook = _train.CheckpointSaverHook
CheckpointSaverListener = _train.CheckpointSaverListener
FeedFnHook = _train.FeedFnHook
FinalOpsHook = _train.FinalOpsHook
GlobalStepWaiterHook = _train.GlobalStepWaiterHook
LoggingTensorHook = _train.LoggingTensorHook
NanLossDuringTrainingError = _train.NanLossDuringTrainingError
NanTensorHook = _train.NanTensorHook
ProfilerHook = _train.ProfilerHook
SecondOrStepTimer = _train.SecondOrStepTimer
SessionRunArgs = _train.SessionRunArgs
SessionRunContext = _train.SessionRunContext
SessionRunHook = _train.SessionRunHook
SessionRunValues = _train.SessionRunValues
StepCounterHook = _train.StepCounterHook
StopAtStepHook = _train.StopAtStepHook
SummarySaverHook = _train.SummarySaverHook
del _train, _tf

__all__ = ["BaselineClassifier", "BaselineRegressor", "BestExporter", "CheckpointSaverHook", "CheckpointSaverListener",
           "DNNClassifier", "DNNLinearCombinedClassifier",
           "DNNLinearCombinedRegressor", "DNNRegressor", "Estimator",
           "EstimatorSpec", "EvalSpec", "Exporter", "FeedFnHook",
           "FinalExporter", "FinalOpsHook", "GlobalStepWaiterHook",
           "LatestExporter", "LinearClassifier", "LinearRegressor",
           "LoggingTensorHook", "ModeKeys", "NanLossDuringTrainingError",
           "NanTensorHook", "ProfilerHook", "RunConfig", "SecondOrStepTimer",
           "SessionRunArgs", "SessionRunContext", "SessionRunHook",
           "SessionRunValues", "StepCounterHook", "StopAtStepHook",
           "SummarySaverHook", "TrainSpec", "VocabInfo", "WarmStartSettings",
           "add_metrics", "classifier_parse_example_spec", "experimental",
           "export", "inputs", "regressor_parse_example_spec", "tpu",
           "train_and_evaluate"]
