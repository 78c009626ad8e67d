"""TF1's ``SessionRunHook`` protocol around the steps of an Estimator's passes.

As TF1's ``MonitoredSession`` drives them: ``begin()`` while the model's
graph is built (here: at the end of the pass, so variables a hook makes are
the owner's), ``after_create_session(session, coord)``, then around each
step ``before_run(run_context)``, whose ``SessionRunArgs.fetches`` are run
in the same step as the step's own fetches, and ``after_run(run_context,
run_values)``; ``run_context.request_stop()`` ends the loop, and
``end(session)`` follows the last step. The session a hook gets runs
fetches of the pass's graph (``session.run(tensor)``, no feeds); ``coord``
is None.
"""

import tensorflow as tf

v1 = tf.compat.v1


class PassSession:
  """What hooks get as their session: ``run(fetches)`` over the pass's graph, as TF1's session.run."""

  def __init__(self, step):
    self._step = step

  @property
  def graph(self):
    return self._step.graph

  def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
    del options, run_metadata
    if feed_dict:
      raise NotImplementedError(
          "A hook's session.run(..., feed_dict=...) is not supported: the "
          "steps of a tf1scope Estimator take their inputs from input_fn.")
    return self._step.fetch(fetches)


def begin(hooks):
  for hook in hooks:
    hook.begin()


def after_create_session(hooks, session):
  for hook in hooks:
    hook.after_create_session(session, None)


def run_step(step, fetches, element, hooks, session):
  """``step.fetch(fetches, element)`` with the hooks around it: (results, stop requested)."""
  if not hooks:
    return step.fetch(fetches, element), False
  context = v1.train.SessionRunContext(v1.train.SessionRunArgs(fetches), session)
  requests = []
  for hook in hooks:
    request = hook.before_run(context)
    if request is not None and request.feed_dict:
      raise NotImplementedError(
          f"{type(hook).__name__}.before_run asks to feed tensors (feed_dict), "
          "which a tf1scope Estimator does not support: its steps take their "
          "inputs from input_fn.")
    requests.append(None if request is None else request.fetches)
  asked = [i for i, r in enumerate(requests) if r is not None]
  results, extra = step.fetch([fetches, [requests[i] for i in asked]], element)
  values = [None] * len(hooks)
  for i, value in zip(asked, extra):
    values[i] = value
  for hook, value in zip(hooks, values):
    hook.after_run(context, v1.train.SessionRunValues(
        results=value, options=None, run_metadata=None))
  return results, context.stop_requested


def end(hooks, session):
  for hook in hooks:
    hook.end(session)
