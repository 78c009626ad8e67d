"""TF1's ``tf.estimator.add_metrics``: an Estimator with more evaluation metrics."""

from tf1scope import _compat
from tf1scope.estimator.estimator import Estimator
from tf1scope.estimator.model_fn import ModeKeys
from tf1scope.estimator.model_fn import taken_arguments

_METRIC_FN_ARGS = ("features", "labels", "predictions", "config")


def add_metrics(estimator, metric_fn):
  """A new Estimator on ``estimator``'s model_dir and config whose evaluation adds ``metric_fn``'s metrics.

  ``metric_fn`` takes any of ``features``, ``labels``, ``predictions`` and
  ``config`` and returns a dict of ``(value, update_op)`` metrics, as TF1's.
  """
  invalid = list(set(_compat.fn_args(metric_fn)) - set(_METRIC_FN_ARGS))
  if invalid:
    raise ValueError(
        f"metric_fn ({metric_fn}) has following not expected args: {invalid}")
  model_fn = estimator.model_fn

  def new_model_fn(features, labels, mode, config):
    spec = model_fn(features, labels, mode, config)
    if mode != ModeKeys.EVAL:
      return spec
    metrics = dict(spec.eval_metric_ops or {})
    metrics.update(metric_fn(**taken_arguments(
        _compat.fn_args(metric_fn), features=features, labels=labels,
        predictions=spec.predictions, config=config)))
    return spec._replace(eval_metric_ops=metrics)

  return Estimator(new_model_fn, model_dir=estimator.model_dir,
                   config=estimator.config,
                   warm_start_from=estimator.warm_start_from)


__all__ = ["add_metrics"]
