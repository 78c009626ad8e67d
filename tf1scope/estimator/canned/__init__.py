"""TF1's canned Estimators: baseline, DNN, linear and combined ("wide and deep") classifiers and regressors.

Each is an :class:`tf1scope.estimator.Estimator` whose model function is
TF1's for that class, with TF1's arguments, variable names, defaults
(optimizers, learning rates, ``loss_reduction=SUM``), summaries, metrics,
predictions and export signatures, so TF1's checkpoints of them resume.
"""

from tf1scope.estimator.canned.baseline import BaselineClassifier
from tf1scope.estimator.canned.baseline import BaselineRegressor
from tf1scope.estimator.canned.dnn import DNNClassifier
from tf1scope.estimator.canned.dnn import DNNRegressor
from tf1scope.estimator.canned.dnn_linear_combined import DNNLinearCombinedClassifier
from tf1scope.estimator.canned.dnn_linear_combined import DNNLinearCombinedRegressor
from tf1scope.estimator.canned.linear import LinearClassifier
from tf1scope.estimator.canned.linear import LinearRegressor

__all__ = ["BaselineClassifier", "BaselineRegressor", "DNNClassifier", "DNNLinearCombinedClassifier",
           "DNNLinearCombinedRegressor", "DNNRegressor", "LinearClassifier",
           "LinearRegressor"]
