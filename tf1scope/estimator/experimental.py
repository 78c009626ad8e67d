"""TF1's ``tf.estimator.experimental``: the early-stopping hooks and ``InMemoryEvaluatorHook``."""

from tf1scope.estimator.early_stopping import make_early_stopping_hook
from tf1scope.estimator.early_stopping import read_eval_metrics
from tf1scope.estimator.early_stopping import stop_if_higher_hook
from tf1scope.estimator.early_stopping import stop_if_lower_hook
from tf1scope.estimator.early_stopping import stop_if_no_decrease_hook
from tf1scope.estimator.early_stopping import stop_if_no_increase_hook
from tf1scope.estimator.in_memory_evaluation import InMemoryEvaluatorHook

__all__ = ["InMemoryEvaluatorHook", "make_early_stopping_hook", "read_eval_metrics",
           "stop_if_higher_hook", "stop_if_lower_hook",
           "stop_if_no_decrease_hook", "stop_if_no_increase_hook"]
