"""TF1's ``tf.estimator.experimental.InMemoryEvaluatorHook``: evaluations during training, of the variables in memory.

As TF1's: an evaluation before the first step (``after_create_session``),
one every ``every_n_iter`` steps of the hook, and one at the end, each of
the training variables as they are (not of a checkpoint), written to
``eval`` (``eval_<name>``) at the global step. TF1 copied the training
variables into an evaluation graph by name; here, when the hook's
Estimator is the one training, they are the same variables, and otherwise
the hook's Estimator takes the trainer's values by TF1 name.
"""

import tensorflow as tf

from tf1scope.estimator.model_fn import checked_hooks

v1 = tf.compat.v1


class InMemoryEvaluatorHook(v1.train.SessionRunHook):
  """Evaluates ``estimator`` on ``input_fn`` during training, every ``every_n_iter`` steps."""

  def __init__(self, estimator, input_fn, steps=None, hooks=None, name=None,
               every_n_iter=100):
    if every_n_iter is None or every_n_iter <= 0:
      raise ValueError(f"invalid every_n_iter={every_n_iter}.")
    config = estimator.config
    if (getattr(config, "num_ps_replicas", 0) > 0 or
        getattr(config, "num_worker_replicas", 1) > 1):
      raise ValueError(
          "InMemoryEvaluator supports only single machine (aka Local) setting.")
    self._estimator = estimator
    self._input_fn = input_fn
    self._steps = steps
    self._hooks = checked_hooks(hooks)
    self._name = name
    self._timer = v1.train.SecondOrStepTimer(every_steps=every_n_iter)
    self._iter_count = 0

  def begin(self):
    self._timer.reset()
    self._iter_count = 0

  def after_create_session(self, session, coord):
    del coord
    self._evaluate(session)

  def after_run(self, run_context, run_values):
    del run_values
    self._iter_count += 1
    if self._timer.should_trigger_for_step(self._iter_count):
      self._evaluate(run_context.session)

  def end(self, session):
    self._evaluate(session)

  def _evaluate(self, session):
    trainer = getattr(session, "owner", None)
    self._estimator._evaluate(  # pylint: disable=protected-access
        self._input_fn, self._steps, list(self._hooks), None, self._name,
        in_memory=trainer if trainer is not None else self._estimator)
    self._timer.update_last_triggered_step(self._iter_count)
