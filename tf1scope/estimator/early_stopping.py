"""TF1's ``tf.estimator.experimental`` early stopping: hooks that stop training on evaluation metrics.

A hook checks the metrics evaluations wrote to ``estimator.eval_dir()``
(the events ``train_and_evaluate``'s evaluations write) every
``run_every_secs`` seconds or ``run_every_steps`` steps, and stops training
when its rule says so, setting TF1's ``signal_early_stopping/STOP``
variable, which the checkpoint keeps.
"""

import collections
import operator
import os

import tensorflow as tf

v1 = tf.compat.v1


def read_eval_metrics(eval_dir):
  """``{global step: {metric: value}}`` of the scalar summaries in ``eval_dir``, by step."""
  by_step = collections.defaultdict(dict)
  if tf.io.gfile.exists(eval_dir):
    for path in tf.io.gfile.glob(os.path.join(eval_dir, "*.tfevents.*")):
      try:
        for event in v1.train.summary_iterator(path):
          values = {v.tag: v.simple_value for v in event.summary.value
                    if v.HasField("simple_value")}
          if values:
            by_step[event.step].update(values)
      except tf.errors.DataLossError:
        v1.logging.warning("Skipping the rest of %s: it is corrupt.", path)
  return collections.OrderedDict(sorted(by_step.items()))


def _stop_variable():
  with v1.variable_scope("signal_early_stopping", values=[],
                         reuse=v1.AUTO_REUSE):
    return v1.get_variable("STOP", shape=[], dtype=tf.bool,
                           initializer=v1.constant_initializer(False),
                           collections=[v1.GraphKeys.GLOBAL_VARIABLES],
                           trainable=False)


class _StopOnPredicateHook(v1.train.SessionRunHook):
  """Stops training when ``should_stop_fn()`` is true, asked on a timer."""

  def __init__(self, should_stop_fn, run_every_secs=60, run_every_steps=None):
    if not callable(should_stop_fn):
      raise TypeError("`should_stop_fn` must be callable.")
    self._should_stop_fn = should_stop_fn
    self._timer = v1.train.SecondOrStepTimer(every_secs=run_every_secs,
                                             every_steps=run_every_steps)

  def begin(self):
    self._global_step = v1.train.get_global_step()
    stop = _stop_variable()
    self._stop_op = v1.assign(stop, True)

  def before_run(self, run_context):
    return v1.train.SessionRunArgs(self._global_step)

  def after_run(self, run_context, run_values):
    step = run_values.results
    if not self._timer.should_trigger_for_step(step):
      return
    self._timer.update_last_triggered_step(step)
    if self._should_stop_fn():
      v1.logging.info("Requesting early stopping at global step %d", step)
      run_context.session.run(self._stop_op)
      run_context.request_stop()


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60,
                             run_every_steps=None):
  """A hook that stops training once ``should_stop_fn()`` returns True."""
  from tf1scope.estimator.estimator import Estimator  # pylint: disable=g-import-not-at-top
  if not isinstance(estimator, Estimator):
    raise TypeError("`estimator` must have type `tf.estimator.Estimator`. "
                    f"Got: {type(estimator)}")
  if run_every_secs is not None and run_every_steps is not None:
    raise ValueError("Only one of `run_every_secs` and `run_every_steps` must "
                     "be set.")
  return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def _threshold_hook(estimator, metric_name, threshold, higher, eval_dir,
                    min_steps, run_every_secs, run_every_steps):
  eval_dir = eval_dir if eval_dir is not None else estimator.eval_dir()
  crossed = operator.gt if higher else operator.lt

  def should_stop():
    for step, metrics in read_eval_metrics(eval_dir).items():
      if step >= min_steps and crossed(metrics[metric_name], threshold):
        v1.logging.info(
            'At step %s, metric "%s" has value %s, %s the threshold %s set '
            "for early stopping.", step, metric_name, metrics[metric_name],
            "above" if higher else "below", threshold)
        return True
    return False
  return make_early_stopping_hook(estimator, should_stop, run_every_secs,
                                  run_every_steps)


def _no_improvement_hook(estimator, metric_name, max_steps, higher, eval_dir,
                         min_steps, run_every_secs, run_every_steps):
  eval_dir = eval_dir if eval_dir is not None else estimator.eval_dir()
  better = operator.gt if higher else operator.lt

  def should_stop():
    best = best_step = None
    for step, metrics in read_eval_metrics(eval_dir).items():
      if step < min_steps:
        continue
      value = metrics[metric_name]
      if best is None or better(value, best):
        best, best_step = value, step
      if step - best_step >= max_steps:
        v1.logging.info('No %s in metric "%s" for %s steps (at most %s for '
                        "early stopping).",
                        "increase" if higher else "decrease", metric_name,
                        step - best_step, max_steps)
        return True
    return False
  return make_early_stopping_hook(estimator, should_stop, run_every_secs,
                                  run_every_steps)


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None,
                        min_steps=0, run_every_secs=60, run_every_steps=None):
  """Stops once an evaluation at step >= ``min_steps`` has ``metric_name`` above ``threshold``."""
  return _threshold_hook(estimator, metric_name, threshold, True, eval_dir,
                         min_steps, run_every_secs, run_every_steps)


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None,
                       min_steps=0, run_every_secs=60, run_every_steps=None):
  """Stops once an evaluation at step >= ``min_steps`` has ``metric_name`` below ``threshold``."""
  return _threshold_hook(estimator, metric_name, threshold, False, eval_dir,
                         min_steps, run_every_secs, run_every_steps)


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
  """Stops once ``metric_name`` has not risen for ``max_steps_without_increase`` steps."""
  return _no_improvement_hook(estimator, metric_name,
                              max_steps_without_increase, True, eval_dir,
                              min_steps, run_every_secs, run_every_steps)


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
  """Stops once ``metric_name`` has not fallen for ``max_steps_without_decrease`` steps."""
  return _no_improvement_hook(estimator, metric_name,
                              max_steps_without_decrease, False, eval_dir,
                              min_steps, run_every_secs, run_every_steps)
