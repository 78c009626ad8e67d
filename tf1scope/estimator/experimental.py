"""TF1's ``tf.estimator.experimental``: early stopping, ``InMemoryEvaluatorHook``, the canned logit functions."""

from tf1scope.estimator.early_stopping import make_early_stopping_hook
from tf1scope.estimator.early_stopping import read_eval_metrics
from tf1scope.estimator.early_stopping import stop_if_higher_hook
from tf1scope.estimator.early_stopping import stop_if_lower_hook
from tf1scope.estimator.early_stopping import stop_if_no_decrease_hook
from tf1scope.estimator.early_stopping import stop_if_no_increase_hook
from tf1scope.estimator.in_memory_evaluation import InMemoryEvaluatorHook
from tf1scope.estimator.logit_fns import call_logit_fn
from tf1scope.estimator.logit_fns import dnn_logit_fn_builder
from tf1scope.estimator.logit_fns import linear_logit_fn_builder

__all__ = ["InMemoryEvaluatorHook", "call_logit_fn", "dnn_logit_fn_builder",
           "linear_logit_fn_builder", "make_early_stopping_hook", "read_eval_metrics",
           "stop_if_higher_hook", "stop_if_lower_hook",
           "stop_if_no_decrease_hook", "stop_if_no_increase_hook"]
