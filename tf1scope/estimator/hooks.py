"""TF1's ``SessionRunHook`` protocol around the steps of an Estimator's passes.

As TF1's ``MonitoredSession`` drives them: ``begin()`` while the model's
graph is built (here: at the end of the pass, so variables a hook makes are
the owner's), ``after_create_session(session, coord)``, then around each
step ``before_run(run_context)``, whose ``SessionRunArgs.fetches`` are run
in the same step as the step's own fetches, and ``after_run(run_context,
run_values)``; ``run_context.request_stop()`` ends the loop, and
``end(session)`` follows the last step. ``coord`` is None.

Hooks get what TF1's ``session.run`` gave them: numpy values (``None`` for
an op, ``SparseTensorValue`` for a sparse tensor) and a ``RunMetadata``.
The session a hook gets runs fetches of the pass's graph
(``session.run(tensor)``); a fetch that needs the input takes the next
batch of ``input_fn``, as TF1's session pulled it from the input pipeline
(and raises ``OutOfRangeError`` when there is none). Feeding tensors
(``feed_dict``) and tracing a step (``RunOptions(trace_level=...)``, as
``ProfilerHook`` asks) raise ``NotImplementedError``.
"""

import tensorflow as tf

v1 = tf.compat.v1


def session_values(results):
  """``results`` of a step as TF1's ``session.run`` returned them: numpy values."""
  def value(result):
    if isinstance(result, tf.SparseTensor):
      return v1.SparseTensorValue(result.indices.numpy(), result.values.numpy(),
                                  result.dense_shape.numpy())
    if tf.is_tensor(result):
      return result.numpy()
    return result
  return tf.nest.map_structure(value, results)


class PassSession:
  """What hooks get as their session: ``run(fetches)`` over the pass's graph, as TF1's session.run.

  ``inputs`` is the iterator of the call's batches: a fetch that depends
  on the input takes the next one.
  """

  def __init__(self, step, inputs=None, owner=None):
    self._step = step
    self._inputs = inputs
    self.owner = owner   # the Estimator whose step runs

  @property
  def graph(self):
    return self._step.graph

  def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
    del run_metadata
    if feed_dict:
      raise NotImplementedError(
          "A hook's session.run(..., feed_dict=...) is not supported: the "
          "steps of a tf1scope Estimator take their inputs from input_fn.")
    _check_options(options, "session.run")
    element = None
    if self._step.needs_input(fetches):
      element = next(self._inputs, None) if self._inputs is not None else None
      if element is None:
        raise tf.errors.OutOfRangeError(
            None, None, "End of sequence: session.run needs the input for "
            f"{fetches!r} and input_fn has no batch left.")
    return session_values(self._step.fetch(fetches, element))


def _check_options(options, who):
  if options is not None and options.trace_level != v1.RunOptions.NO_TRACE:
    raise NotImplementedError(
        f"{who} asks to trace the step (RunOptions.trace_level="
        f"{v1.RunOptions.TraceLevel.Name(options.trace_level)}), which a "
        "tf1scope Estimator does not do; profile with "
        "tf.profiler.experimental.start/stop around train() instead.")


def begin(hooks):
  for hook in hooks:
    hook.begin()


def after_create_session(hooks, session):
  for hook in hooks:
    hook.after_create_session(session, None)


def run_step(step, fetches, element, hooks, session, first=None):
  """``step.fetch(fetches, element)`` with the hooks around it: (results, stop requested).

  ``first()``, if given, runs right after the step, before the hooks'
  ``after_run`` (where TF1 ran the Estimator's checkpoint saver, the first
  hook); it returns True to request a stop.
  """
  if not hooks:
    results = step.fetch(fetches, element)
    return results, bool(first is not None and first())
  context = v1.train.SessionRunContext(v1.train.SessionRunArgs(fetches), session)
  requests = []
  for hook in hooks:
    request = hook.before_run(context)
    if request is not None:
      if request.feed_dict:
        raise NotImplementedError(
            f"{type(hook).__name__}.before_run asks to feed tensors (feed_dict), "
            "which a tf1scope Estimator does not support: its steps take their "
            "inputs from input_fn.")
      _check_options(request.options, f"{type(hook).__name__}.before_run")
    requests.append(None if request is None else request.fetches)
  asked = [i for i, r in enumerate(requests) if r is not None]
  results, extra = step.fetch([fetches, [requests[i] for i in asked]], element)
  if first is not None and first():
    context.request_stop()
  values = [None] * len(hooks)
  for i, value in zip(asked, session_values(extra)):
    values[i] = value
  for hook, value in zip(hooks, values):
    hook.after_run(context, v1.train.SessionRunValues(
        results=value, options=v1.RunOptions(), run_metadata=v1.RunMetadata()))
  return results, context.stop_requested


def end(hooks, session):
  for hook in hooks:
    hook.end(session)
