"""TF1's ``tf.estimator.train_and_evaluate``, ``TrainSpec`` and ``EvalSpec``, for one process.

``train_and_evaluate`` trains once, to ``TrainSpec.max_steps`` (or until
the input ends), and evaluates after checkpoints, as TF1's local run does:
the first checkpoint after training started, then at most one every
``EvalSpec.throttle_secs``, and the last one. Each evaluation runs the
``EvalSpec``'s exporters into ``<model_dir>/export/<exporter name>``
(``FinalExporter`` once the evaluated global step reaches ``max_steps``).
It returns TF1's ``(eval_result, export_results)`` of the last evaluation.
"""

import collections
import os
import time

import tensorflow as tf

from tf1scope.estimator.estimator import Estimator
from tf1scope.estimator.exporter import Exporter
from tf1scope.estimator.model_fn import checked_hooks

v1 = tf.compat.v1


def _check_input_fn(input_fn):
  if not callable(input_fn):
    raise TypeError(f"`input_fn` must be callable, given: {input_fn}")


def _checked_hooks(hooks):
  return checked_hooks(hooks, kind="`SessionRunHook`")   # TF1's message here


def _checked_exporters(exporters):
  if not exporters:
    return ()
  if isinstance(exporters, Exporter):
    exporters = [exporters]
  try:
    exporters = list(exporters)
  except TypeError:
    exporters = None
  if exporters is None or not all(isinstance(e, Exporter) for e in exporters):
    raise TypeError("`exporters` must be an Exporter, an iterable of Exporter, "
                    f"or `None`, found {exporters}.")
  names = [e.name for e in exporters]
  for exporter in exporters:
    if not exporter.name:
      raise ValueError("An Exporter cannot have a name that is `None` or "
                       f"empty. All exporter names: {names}")
    if not isinstance(exporter.name, str):
      raise ValueError("An Exporter must have a string name. Given: "
                       f"{type(exporter.name)}")
  if len(set(names)) != len(names):
    raise ValueError("`exporters` must have unique names. Such a name cannot "
                     f"be `None`. All exporter names: {names}")
  return tuple(exporters)


class TrainSpec(collections.namedtuple("TrainSpec",
                                       ["input_fn", "max_steps", "hooks",
                                        "saving_listeners"])):
  """TF1's ``tf.estimator.TrainSpec``: what ``train_and_evaluate`` trains on, and for how long."""

  __slots__ = ()

  def __new__(cls, input_fn, max_steps=None, hooks=None, saving_listeners=None):
    _check_input_fn(input_fn)
    if max_steps is not None and max_steps <= 0:
      raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
    return super().__new__(cls, input_fn, max_steps, _checked_hooks(hooks),
                           tuple(saving_listeners or ()))


class EvalSpec(collections.namedtuple("EvalSpec",
                                      ["input_fn", "steps", "name", "hooks",
                                       "exporters", "start_delay_secs",
                                       "throttle_secs"])):
  """TF1's ``tf.estimator.EvalSpec``: what ``train_and_evaluate`` evaluates, exports, and how often."""

  __slots__ = ()

  def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
              start_delay_secs=120, throttle_secs=600):
    _check_input_fn(input_fn)
    if steps is not None and steps <= 0:
      raise ValueError(f"Must specify steps > 0, given: {steps}")
    if name is not None and not isinstance(name, str):
      raise TypeError(f"`name` must be string, given: {name}")
    hooks = _checked_hooks(hooks)
    exporters = _checked_exporters(exporters)
    if start_delay_secs < 0:
      raise ValueError(
          f"Must specify start_delay_secs >= 0, given: {start_delay_secs}")
    if throttle_secs < 0:
      raise ValueError(f"Must specify throttle_secs >= 0, given: {throttle_secs}")
    return super().__new__(cls, input_fn, steps, name, hooks, exporters,
                           start_delay_secs, throttle_secs)


def train_and_evaluate(estimator, train_spec, eval_spec):
  """Trains ``estimator`` on ``train_spec`` and evaluates and exports on ``eval_spec`` (see the module)."""
  if not isinstance(estimator, Estimator):
    raise TypeError("`estimator` must have type `tf.estimator.Estimator`. "
                    f"Got: {type(estimator)}")
  if not isinstance(train_spec, TrainSpec):
    raise TypeError("`train_spec` must have type `tf.estimator.TrainSpec`. "
                    f"Got: {type(train_spec)}")
  if not isinstance(eval_spec, EvalSpec):
    raise TypeError("`eval_spec` must have type `tf.estimator.EvalSpec`. "
                    f"Got: {type(eval_spec)}")
  listener = _EvaluateAfterSave(estimator, eval_spec, train_spec.max_steps)
  estimator.train(train_spec.input_fn, hooks=train_spec.hooks,
                  max_steps=train_spec.max_steps,
                  saving_listeners=train_spec.saving_listeners + (listener,))
  return listener.result


class _EvaluateAfterSave(v1.train.CheckpointSaverListener):
  """Evaluates (and exports) after checkpoints, as TF1's local train_and_evaluate.

  Not the checkpoint written before the first step (the model is not trained
  yet); then the next one, and afterwards at most one every
  ``throttle_secs``; and the last checkpoint if it was not evaluated.
  """

  def __init__(self, estimator, eval_spec, max_steps):
    self._estimator = estimator
    self._spec = eval_spec
    self._max_steps = max_steps
    self._first = True
    self._last_time = None
    self._last_step = None
    self.result = (None, [])

  def after_save(self, session, global_step_value):
    del session
    if self._first:
      self._first = False
      return False
    now = time.time()
    if self._last_time is None or now - self._last_time >= self._spec.throttle_secs:
      self._evaluate(global_step_value, now)
    return False

  def end(self, session, global_step_value):
    del session
    if global_step_value != self._last_step:
      self._evaluate(global_step_value, time.time())

  def _evaluate(self, step, now):
    self._last_time, self._last_step = now, step
    estimator, spec = self._estimator, self._spec
    checkpoint = estimator.latest_checkpoint()
    metrics = estimator.evaluate(spec.input_fn, steps=spec.steps,
                                 hooks=spec.hooks, checkpoint_path=checkpoint,
                                 name=spec.name)
    final = self._max_steps is not None and int(
        metrics[v1.GraphKeys.GLOBAL_STEP]) >= self._max_steps
    exports = []
    for exporter in spec.exporters:
      path = os.path.join(estimator.model_dir, "export", exporter.name)
      exports.append(exporter.export(estimator, path, checkpoint, metrics,
                                     final))
    self.result = (metrics, exports)
