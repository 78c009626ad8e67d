"""TF1's ``tf.estimator.Estimator``: a ``tf.Module`` that runs a ``model_fn`` in passes."""

import contextlib
import copy
import functools
import os
import tempfile
import warnings

from absl import logging
import numpy as np
import tensorflow as tf

from tf1scope import _compat
from tf1scope import api
from tf1scope import checkpoints
from tf1scope import decorator
from tf1scope.estimator import export
from tf1scope.estimator import hooks as hooks_lib
from tf1scope.estimator import run_config as run_config_lib
from tf1scope.estimator import summaries
from tf1scope.estimator import warm_starting
from tf1scope.estimator.model_fn import ModeKeys
from tf1scope.estimator.model_fn import call_model_fn
from tf1scope.estimator.model_fn import check_model_fn
from tf1scope.estimator.model_fn import checked_hooks
from tf1scope.estimator.model_fn import taken_arguments
from tf1scope.estimator.run_config import RunConfig

v1 = tf.compat.v1


def _call_input_fn(input_fn, mode, params, config):
  """``input_fn()``, given ``mode``, ``params`` and ``config`` if it takes them (as TF1)."""
  return input_fn(**taken_arguments(_compat.fn_args(input_fn), mode=mode,
                                    params=params, config=config))


def _batches(input_fn, mode, params, config):
  """(element structure, iterable of batches) of what ``input_fn`` returns."""
  result = _call_input_fn(input_fn, mode, params, config)
  if isinstance(result, tf.data.Dataset):
    return result.element_spec, iter(result)
  batch = tf.nest.map_structure(
      lambda t: t if isinstance(t, tf.SparseTensor) else tf.convert_to_tensor(t),
      result)
  return tf.nest.map_structure(tf.type_spec_from_value, batch), _repeat(batch)


def _repeat(batch):
  while True:   # tensors from input_fn: the same batch every step, as TF1 fed it
    yield batch


def _split(element):
  """(features, labels) of one input element (TF1: a 2-tuple, else features only)."""
  if isinstance(element, tuple) and len(element) == 2:
    return element
  return element, None


class _Step:
  """One traced pass in a mode: what TF1's session.run calls of it fetch, and its hooks."""

  def __init__(self, wrapped, spec, local_variables, hooks, fetches,
               make_own_hooks=None, saver=None):
    self.spec = spec
    self._make_saver = saver   # what TF1's CheckpointSaverHook finds in SAVERS
    self._saver = None
    self._hooks = hooks   # (the spec's chief hooks, the call's, the spec's), begun in the pass
    self._make_own_hooks = make_own_hooks
    self.graph = wrapped.graph
    # Local variables (metrics) start at these values in every evaluation,
    # as TF1's local_variables_initializer sets them.
    self.initial_locals = [(v, v.numpy()) for v in local_variables]
    self._wrapped = wrapped
    self.fetches_by_name = fetches
    self._pruned = {}
    self._reads = {}   # graph variable ref -> its read in the pass's graph

  def hooks_for_call(self):
    """The hooks of one call (the Estimator's own new each call, and begun), in TF1's order.

    TF1's ``MonitoredTrainingSession`` order: the spec's chief hooks, the
    step counter and summary saver, the call's hooks, the NaN and logging
    hooks, the spec's hooks.
    """
    own = self._make_own_hooks() if self._make_own_hooks else None
    chief, given, from_spec = self._hooks
    own_chief, own = own or ([], [])
    hooks = chief + own_chief + given + own + from_spec
    if self._make_saver is not None:
      _compat.give_default_saver(hooks, self.saver)
    return hooks

  @property
  def saver(self):
    if self._saver is None and self._make_saver is not None:
      self._saver = self._make_saver()
    return self._saver

  def run(self, name, element):
    return self.fetch(self.fetches_by_name[name], element)

  def fetch(self, fetches, element=None):
    """Runs ``fetches`` (tensors, ops, variables or names) of the pass's graph, fed ``element``.

    A variable gives its value before the step: what TF1's session read
    for a fetched variable, whose read nothing orders after the update.
    """
    leaves = tf.nest.flatten(fetches)
    values = [v.read_value() if _made_eagerly(v) else None for v in leaves]
    graph_fetches = [self._graph_element(f) for f, value in zip(leaves, values)
                     if value is None]
    if graph_fetches:
      ran = iter(self._run(graph_fetches, element))
      values = [next(ran) if value is None else value for value in values]
    return tf.nest.pack_sequence_as(fetches, values)

  def _run(self, fetches, element):
    key = (element is None, repr([f.name for f in fetches]))
    pruned = self._pruned.get(key)
    if pruned is None:
      feeds = [] if element is None else self._wrapped.inputs
      pruned = self._pruned[key] = self._wrapped.prune(feeds=feeds,
                                                       fetches=fetches)
    if element is None:
      return pruned()
    return pruned(*tf.nest.flatten(element, expand_composites=True))

  def needs_input(self, fetches):
    """Whether running ``fetches`` needs a batch of the input (TF1: pulls one from the pipeline)."""
    captured = {id(t) for t in self.graph.internal_captures}
    inputs = {t.op for t in self._wrapped.inputs if id(t) not in captured}
    seen = set()
    todo = [f if isinstance(f, tf.Operation) else f.op for f in
            (self._graph_element(f) for f in tf.nest.flatten(fetches))
            if not _made_eagerly(f)]
    while todo:
      op = todo.pop()
      if op in inputs:
        return True
      if op not in seen:
        seen.add(op)
        todo.extend(t.op for t in op.inputs)
        todo.extend(op.control_inputs)
    return False

  def _graph_element(self, fetch):
    if isinstance(fetch, str):
      return self.graph.as_graph_element(fetch)
    if isinstance(fetch, tf.Variable):
      # Of the pass's graph: an assign's result (TF1 runs the assign, then
      # reads); the read is made once.
      read = self._reads.get(fetch.ref())
      if read is None:
        with self.graph.as_default():
          read = self._reads[fetch.ref()] = fetch.read_value()
      return read
    return fetch


class Estimator(tf.Module):
  """TF1's ``tf.estimator.Estimator`` for a ``model_fn``, its variables owned by this module.

  ``train``, ``evaluate`` and ``predict`` take the arguments of TF1's, run
  the model function in a pass per mode and input structure (traced once),
  and fetch what TF1's Estimator fetches. The global step is created before
  the model function runs, so ``tf.train.get_global_step()`` finds it.
  Evaluation adds TF1's ``loss`` metric (the mean loss) and returns
  ``global_step``. ``SessionRunHook``\\ s run around the steps as in TF1
  (:mod:`tf1scope.estimator.hooks`), with TF1's own NaN-loss and logging
  hooks in training. ``export_saved_model`` writes TF1's serving SavedModel.
  """

  def __init__(self, model_fn, model_dir=None, config=None, params=None,
               warm_start_from=None):
    super().__init__(name="estimator")
    if not callable(model_fn):
      raise ValueError("model_fn must be callable.")
    model_fn_args = check_model_fn(model_fn, params)
    config = config if config is not None else RunConfig()
    run_config_lib.check_single_process(config)
    if model_dir is not None and config.model_dir not in (None, model_dir):
      raise ValueError(
          "model_dir are set both in constructor and `RunConfig`, but with "
          f"different values. In constructor: '{model_dir}', in `RunConfig`: "
          f"'{config.model_dir}'.")
    model_dir = model_dir if model_dir is not None else config.model_dir
    if model_dir is None:   # as TF1: a temporary directory
      model_dir = tempfile.mkdtemp()
      logging.warning("Using temporary folder as model directory: %s",
                      model_dir)
    self._box = _Untracked(model_fn=model_fn, model_fn_args=model_fn_args,
                           params=copy.deepcopy(params or {}),   # as TF1
                           config=config.replace(model_dir=model_dir),
                           model_dir=model_dir, steps={}, global_step=None,
                           writers={}, kept=None,
                           warm_start_from=warm_start_from,
                           warm_start=warm_starting.settings_from(
                               warm_start_from))

  @property
  def model_dir(self):
    return self._box.model_dir

  @property
  def config(self):
    return self._box.config

  @property
  def params(self):
    return self._box.params

  @property
  def model_fn(self):
    """The model function bound to ``params``: ``model_fn(features, labels, mode, config)``, as TF1's."""
    box = self._box

    def public_model_fn(features, labels, mode, config):
      return call_model_fn(box.model_fn, box.model_fn_args, features, labels,
                           mode, box.params, config)
    return public_model_fn

  @property
  def warm_start_from(self):
    """What the Estimator was made with as ``warm_start_from`` (None if nothing)."""
    return self._box.warm_start_from

  # --- the pass ----------------------------------------------------------------

  @decorator.track_tf1_style_variables
  def _call_model_fn(self, features, labels, mode, hooks):
    box = self._box
    seed = box.config.tf_random_seed
    if seed is not None:
      v1.set_random_seed(seed)
    box.global_step = v1.train.get_or_create_global_step()
    # The read of the global step hooks find (TF's _get_or_create_global_step_read
    # names it by the variable's op, which an eager variable does not have).
    with tf.name_scope("global_step/"):
      step_read = tf.identity(box.global_step.read_value(), name="read_for_hooks")
    v1.add_to_collection(_compat.GLOBAL_STEP_READ_KEY, step_read)
    # As TF1's Estimator, training builds the model after that read, so
    # hooks see the step before each update.
    with tf.control_dependencies([step_read] if mode == ModeKeys.TRAIN else []):
      spec = call_model_fn(box.model_fn, box.model_fn_args, features, labels,
                           mode, box.params, box.config)
    if mode == ModeKeys.EVAL:
      if "loss" in spec.eval_metric_ops:
        raise ValueError(
            'Metric with name "loss" is not allowed, because Estimator '
            "already defines a default metric with the same name.")
      metrics = dict(spec.eval_metric_ops)
      metrics["loss"] = v1.metrics.mean(spec.loss)
      spec = spec._replace(eval_metric_ops=metrics)
    if box.warm_start is not None and self.latest_checkpoint() is None:
      # After model_fn, as TF1: the variables it made start from the
      # checkpoint (a checkpoint in model_dir would win over it).
      v1.train.warm_start(*box.warm_start)
    summary = None
    if mode == ModeKeys.TRAIN:
      # TF1's Estimator adds a loss summary when the model function made none.
      if not any(s.op.name == "loss"
                 for s in v1.get_collection(v1.GraphKeys.SUMMARIES)):
        v1.summary.scalar("loss", spec.loss)
      summary = v1.summary.merge_all()
    if mode == ModeKeys.TRAIN:
      chief, from_spec = list(spec.training_chief_hooks), list(spec.training_hooks)
    elif mode == ModeKeys.EVAL:
      chief, from_spec = [], list(spec.evaluation_hooks)
    else:
      chief, from_spec = [], list(spec.prediction_hooks)
    hooks = (chief, list(hooks), from_spec)
    hooks_lib.begin(chief + hooks[1] + from_spec)   # in the pass: what hooks make is the owner's
    saver = _saver(spec) if mode == ModeKeys.TRAIN else None
    return spec, list(v1.local_variables()), hooks, summary, step_read, saver

  def _step(self, mode, element_spec, hooks):
    """The traced pass of ``mode`` for inputs of ``element_spec``.

    Made on first use and kept; with hooks given to the call or returned in
    the spec, made for each call (TF1 built a graph per call, and its hooks
    began in it).
    """
    hooks = checked_hooks(hooks)
    key = (mode, repr(element_spec))   # nested dicts of TypeSpecs do not hash
    steps = self._box.steps
    step = steps.get(key)
    if step is not None and not hooks:
      return step
    traced = {}

    def pass_fn(*flat):
      element = tf.nest.pack_sequence_as(element_spec, flat,
                                         expand_composites=True)
      if mode == ModeKeys.PREDICT:
        features, labels = element, None   # predict's input is features only
      else:
        features, labels = _split(element)
      spec, local_variables, all_hooks, summary, step_read, saver = (
          self._call_model_fn(features, labels, mode, hooks))
      traced.update(spec=spec, local_variables=local_variables,
                    hooks=all_hooks, summary=summary, step_read=step_read,
                    saver=saver)
      return []

    with warnings.catch_warnings():
      # TF1 summary ops stay TF1's in the pass (the Estimator writes what
      # they make); TensorFlow would warn that it found no TF2 writer.
      warnings.filterwarnings("ignore", message="Cannot activate TF2 "
                              "compatibility support for TF1 summary ops")
      seed = self._box.config.tf_random_seed
      with (_compat.global_seed(seed) if seed is not None
            else contextlib.nullcontext()):
        wrapped = v1.wrap_function(
            pass_fn, tf.nest.flatten(element_spec, expand_composites=True))
    spec = traced["spec"]
    if mode == ModeKeys.TRAIN:
      fetches = {"train": [spec.loss, spec.train_op]}
    elif mode == ModeKeys.EVAL:
      fetches = {"update": [op for _, op in spec.eval_metric_ops.values()],
                 "values": {k: value for k, (value, _) in
                            spec.eval_metric_ops.items()}}
    else:
      fetches = {"predict": spec.predictions}
    make_own_hooks = None
    if mode == ModeKeys.TRAIN:
      make_own_hooks = functools.partial(self._own_train_hooks, wrapped.graph,
                                         spec.loss, traced["step_read"],
                                         traced["summary"])
    saver = None
    if traced["saver"] is not None:
      saver = functools.partial(_estimator_saver, traced["saver"],
                                self._box.config)
    step = _Step(wrapped, spec, traced["local_variables"], traced["hooks"],
                 fetches, make_own_hooks, saver)
    chief, _, from_spec = traced["hooks"]
    if not hooks and not chief and not from_spec:
      # Kept unless hooks begin in it: the call's, or the spec's (TF1 called
      # model_fn, and so made its hooks, in every call).
      steps[key] = step
    return step

  def _own_train_hooks(self, graph, loss, step_read, summary):
    """The hooks TF1's Estimator adds to each train call, begun in a pass over ``graph``.

    TF1's: (chief) every ``log_step_count_steps`` steps a
    ``StepCounterHook`` (the ``global_step/sec`` summary in ``model_dir``),
    every ``save_summary_steps`` a ``SummarySaverHook`` of the model's merged
    summaries, written to ``model_dir``; (worker) a ``NanTensorHook`` on the
    loss and every ``log_step_count_steps`` steps a ``LoggingTensorHook`` of
    loss and step. Returns (chief hooks, worker hooks).
    """
    config = self._box.config
    chief, worker = [], [v1.train.NanTensorHook(loss)]
    if config.log_step_count_steps:
      chief.append(v1.train.StepCounterHook(
          every_n_steps=config.log_step_count_steps, output_dir=self.model_dir))
      worker.append(v1.train.LoggingTensorHook(
          {"loss": loss, "step": step_read},
          every_n_iter=config.log_step_count_steps))
    if config.save_summary_steps:
      chief.append(v1.train.SummarySaverHook(
          save_steps=config.save_summary_steps, output_dir=self.model_dir,
          summary_op=summary))
    with graph.as_default():
      self._begin_in_pass(chief + worker, step_read)
    return chief, worker

  @decorator.track_tf1_style_variables
  def _begin_in_pass(self, hooks, step_read):
    """``begin()`` of ``hooks`` in a pass that finds the global step and its read, as the model's did."""
    v1.train.get_or_create_global_step()
    v1.add_to_collection(_compat.GLOBAL_STEP_READ_KEY, step_read)
    hooks_lib.begin(hooks)

  def _input_params(self, input_fn, mode):
    """The ``params`` ``input_fn`` gets in ``mode`` (TF1: the Estimator's)."""
    del input_fn, mode
    return self._box.params

  def _restore(self):
    """Reads the latest checkpoint of model_dir, if any (TF1: every call starts there)."""
    path = self.latest_checkpoint()
    if path is not None:
      checkpoints.restore_tf1_checkpoint(self, path)
    return path is not None

  def _writer(self, directory):
    writers = self._box.writers
    if directory not in writers:
      writers[directory] = summaries.EventWriter(directory)
    return writers[directory]

  def _global_step(self):
    step = self._box.global_step
    return int(step.numpy()) if step is not None else 0

  def _save(self, listeners, step):
    """Writes ``model.ckpt-<step>``, telling ``listeners`` (no session: None); True to stop."""
    for listener in listeners:
      listener.before_save(None, step)
    os.makedirs(self.model_dir, exist_ok=True)
    box = self._box
    if box.kept is None:   # what earlier runs left, read before a save rewrites it
      state = tf.train.get_checkpoint_state(self.model_dir)
      box.kept = [os.path.abspath(p) for p in
                  (state.all_model_checkpoint_paths if state else [])]
    path = checkpoints.save_tf1_checkpoint(
        self, os.path.join(self.model_dir, f"model.ckpt-{step}"))
    self._keep_newest(path)
    return any([listener.after_save(None, step) for listener in listeners])

  def _keep_newest(self, path):
    """TF1's ``Saver(max_to_keep=keep_checkpoint_max)``: older checkpoints deleted, the rest listed."""
    box = self._box
    path = os.path.abspath(path)
    box.kept = [p for p in box.kept if p != path] + [path]
    keep = box.config.keep_checkpoint_max
    while keep and len(box.kept) > keep:
      old = box.kept.pop(0)
      for name in (tf.io.gfile.glob(old + ".index") +
                   tf.io.gfile.glob(old + ".data-*") +
                   tf.io.gfile.glob(old + ".meta")):
        tf.io.gfile.remove(name)
    _compat.write_checkpoint_state(self.model_dir, path, box.kept)

  # --- TF1's Estimator methods --------------------------------------------------

  def train(self, input_fn, hooks=None, steps=None, max_steps=None,
            saving_listeners=None):
    """Runs ``steps`` training steps (or until ``max_steps`` or the input ends); returns self."""
    if steps is not None and max_steps is not None:
      raise ValueError("Can not provide both steps and max_steps.")
    if steps is not None and steps <= 0:
      raise ValueError(f"Must specify steps > 0, given: {steps}")
    if max_steps is not None and max_steps <= 0:
      raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
    listeners = tuple(saving_listeners or ())
    for listener in listeners:
      if not isinstance(listener, v1.train.CheckpointSaverListener):
        raise TypeError("All saving_listeners must be `CheckpointSaverListener` "
                        f"instances, given: {listener}")
    box = self._box
    # model_dir's writer, made before hooks begin in the pass (TF1's hooks
    # share it; made in the pass, it would record the pass's collections).
    self._writer(self.model_dir)
    element_spec, batches = _batches(
        input_fn, ModeKeys.TRAIN, self._input_params(input_fn, ModeKeys.TRAIN),
        box.config)
    step = self._step(ModeKeys.TRAIN, element_spec, hooks)
    restored = self._restore()
    if max_steps is not None and self._global_step() >= max_steps:
      return self   # TF1: "Skipping training since max_steps has already saved."
    session = hooks_lib.PassSession(step, batches, self)
    hooks = step.hooks_for_call()
    timer = self._checkpoint_timer(hooks, listeners)
    self._initialize(restored, step, session)
    # The Estimator's own checkpoints, as TF1's CheckpointSaverHook wrote
    # them: at the start, every save_checkpoints_steps steps or
    # save_checkpoints_secs seconds, and at the end; a listener's after_save
    # returning True stops training (not at the start: TF1 ignored it there).
    if timer is not None:
      for listener in listeners:
        listener.begin()
      at = self._global_step()
      self._save(listeners, at)
      timer.update_last_triggered_step(at)
    hooks_lib.after_create_session(hooks, session)

    def save_if_due():   # after each step, before the hooks' after_run (TF1's order)
      at = self._global_step()
      if timer is None or not timer.should_trigger_for_step(at):
        return False
      timer.update_last_triggered_step(at)
      return self._save(listeners, at)

    done, stop = 0, False
    while not stop and (steps is None or done < steps):
      if max_steps is not None and self._global_step() >= max_steps:
        break
      element = next(batches, None)   # only once the step will run, as TF1
      if element is None:
        break
      _, stop = hooks_lib.run_step(step, step.fetches_by_name["train"], element,
                                   hooks, session, first=save_if_due)
      done += 1
    last = self._global_step()
    if timer is not None:
      if last != timer.last_triggered_step():
        self._save(listeners, last)
      for listener in listeners:
        listener.end(None, last)
    hooks_lib.end(hooks, session)
    return self

  def _checkpoint_timer(self, hooks, listeners):
    """When the Estimator writes its own checkpoints in ``train``: a timer, or None (TF1's rules).

    None when a ``CheckpointSaverHook`` among the hooks saves (the
    ``saving_listeners`` then join the first such hook, as in TF1) or when
    the config sets neither ``save_checkpoints_steps`` nor
    ``save_checkpoints_secs`` (then listeners raise TF1's ValueError).
    """
    config = self._box.config
    saver_hooks = [h for h in hooks if isinstance(h, v1.train.CheckpointSaverHook)]
    if saver_hooks:
      if listeners:
        _compat.add_saving_listeners(saver_hooks[0], listeners)
      return None
    if not (config.save_checkpoints_secs or config.save_checkpoints_steps):
      if listeners:
        raise ValueError(
            "There should be a CheckpointSaverHook to use saving_listeners. "
            "Please set one of the RunConfig.save_checkpoints_steps or "
            "RunConfig.save_checkpoints_secs.")
      return None
    return v1.train.SecondOrStepTimer(
        every_secs=config.save_checkpoints_secs or None,
        every_steps=config.save_checkpoints_steps or None)

  def _initialize(self, restored, step, session):
    """TF1's session start: without a checkpoint, the spec scaffold's ``init_fn(scaffold, session)``."""
    init_fn = step.spec.scaffold.init_fn
    if not restored and init_fn is not None:
      init_fn(session)

  def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None,
               name=None):
    """Runs the metric updates over the input (or ``steps`` batches); returns the metric values.

    As TF1's, the values are also written as summaries to ``model_dir/eval``
    (``eval_<name>``) at the evaluated global step.
    """
    if steps is not None and steps <= 0:
      raise ValueError(f"Must specify steps > 0, given: {steps}")
    return self._evaluate(input_fn, steps, hooks, checkpoint_path, name)

  def _evaluate(self, input_fn, steps, hooks, checkpoint_path, name,
                in_memory=None):
    """``evaluate``; with ``in_memory`` (an Estimator): of its variables as they are, no checkpoint.

    ``in_memory`` other than this Estimator gives its values to the
    variables of the same TF1 name here, as TF1 copied them into the
    evaluation graph.
    """
    box = self._box
    element_spec, batches = _batches(
        input_fn, ModeKeys.EVAL, self._input_params(input_fn, ModeKeys.EVAL),
        box.config)
    step = self._step(ModeKeys.EVAL, element_spec, hooks)
    if in_memory is not None and in_memory is not self:
      ours = api.variables_by_name(self)
      for var_name, variable in api.variables_by_name(in_memory).items():
        if var_name in ours:
          ours[var_name].assign(variable)
    if in_memory is not None:
      scaffold = step.spec.scaffold
      if scaffold.saver is not None:
        raise ValueError("InMemoryEvaluator does not support custom saver")
      if scaffold.init_fn is not None:
        raise ValueError("InMemoryEvaluator does not support custom init_fn")
      evaluated, restored = None, True
    else:
      evaluated = checkpoint_path or self.latest_checkpoint()
      restored = self._restore_from(checkpoint_path)
    for variable, value in step.initial_locals:
      variable.assign(value)
    session = hooks_lib.PassSession(step, batches, self)
    hooks = step.hooks_for_call()
    self._initialize(restored, step, session)
    hooks_lib.after_create_session(hooks, session)
    last = None
    done = 0
    while steps is None or done < steps:
      element = next(batches, None)   # only once the step will run, as TF1
      if element is None:
        break
      _, stop = hooks_lib.run_step(step, step.fetches_by_name["update"], element,
                                   hooks, session)
      last = element
      done += 1
      if stop:
        break
    if last is None:
      raise ValueError("evaluate: input_fn gave no batch to evaluate.")
    values = step.run("values", last)
    hooks_lib.end(hooks, session)
    results = {k: np.asarray(v) for k, v in values.items()}
    results[v1.GraphKeys.GLOBAL_STEP] = np.int64(self._global_step())
    writer = self._writer(self.eval_dir(name))
    writer.write(summaries.metrics_summary(results), self._global_step())
    if evaluated:   # as TF1: which checkpoint the metrics are of
      writer.write(summaries.checkpoint_path_summary(evaluated),
                   self._global_step())
    writer.flush()
    return results

  def predict(self, input_fn, predict_keys=None, hooks=None,
              checkpoint_path=None, yield_single_examples=True):
    """Yields the predictions for the input: per example (TF1's default) or per batch."""
    box = self._box
    element_spec, batches = _batches(
        input_fn, ModeKeys.PREDICT,
        self._input_params(input_fn, ModeKeys.PREDICT), box.config)
    if isinstance(element_spec, tuple) and len(element_spec) == 2:
      element_spec = element_spec[0]   # TF1 drops the labels when predicting
      batches = (element[0] for element in batches)
    step = self._step(ModeKeys.PREDICT, element_spec, hooks)
    restored = self._restore_from(checkpoint_path)
    predictions = step.spec.predictions
    if predict_keys is not None:
      if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of "
                         "non-dict predictions.")
      missing = [k for k in predict_keys if k not in predictions]
      if missing:
        raise ValueError(
            f"Expected to run at least one output from {list(predictions)}, "
            f"provided {predict_keys}.")
    return self._predictions(step, batches, predict_keys, yield_single_examples,
                             restored)

  def _predictions(self, step, batches, predict_keys, single, restored):
    session = hooks_lib.PassSession(step, batches, self)
    hooks = step.hooks_for_call()
    self._initialize(restored, step, session)
    hooks_lib.after_create_session(hooks, session)
    for features in batches:
      out, stop = hooks_lib.run_step(step, step.fetches_by_name["predict"],
                                     features, hooks, session)
      if isinstance(out, dict):
        out = {k: v.numpy() for k, v in out.items()
               if predict_keys is None or k in predict_keys}
        if not single:
          yield out
        else:
          for i in range(len(next(iter(out.values())))):
            yield {k: v[i] for k, v in out.items()}
      elif not single:
        yield out.numpy()
      else:
        yield from out.numpy()
      if stop:
        break
    hooks_lib.end(hooks, session)

  def _restore_from(self, checkpoint_path):
    if checkpoint_path is not None:
      checkpoints.restore_tf1_checkpoint(self, checkpoint_path)
      return True
    return self._restore()

  def export_saved_model(self, export_dir_base, serving_input_receiver_fn,
                         assets_extra=None, as_text=False, checkpoint_path=None,
                         experimental_mode=ModeKeys.PREDICT):
    """Writes a TF1 SavedModel for serving under ``export_dir_base/<timestamp>``; returns its path.

    As TF1's: the model function in PREDICT mode, in a TF1 graph fed by
    ``serving_input_receiver_fn``, with the variables of ``checkpoint_path``
    (default: the latest in ``model_dir``) and the signatures of its
    ``export_outputs``.
    """
    if experimental_mode != ModeKeys.PREDICT:
      raise NotImplementedError(
          f"export_saved_model exports the {ModeKeys.PREDICT!r} mode only, "
          f"not {experimental_mode!r}.")
    return export.export_saved_model(self, export_dir_base,
                                     serving_input_receiver_fn, assets_extra,
                                     as_text, checkpoint_path)

  export_savedmodel = export_saved_model   # TF 1.x's older name

  def eval_dir(self, name=None):
    """Where evaluations write their summaries: ``model_dir/eval`` (``eval_<name>``)."""
    return os.path.join(self.model_dir,
                        "eval" if name is None else f"eval_{name}")

  def latest_checkpoint(self):
    return tf.train.latest_checkpoint(self.model_dir)

  def get_variable_names(self):
    """The names of the variables in the latest checkpoint, as TF1 lists them."""
    return [name for name, _ in tf.train.list_variables(self._trained())]

  def get_variable_value(self, name):
    """A variable's value in the latest checkpoint, as TF1 reads it."""
    return tf.train.load_variable(self._trained(), name)

  def _trained(self):
    path = self.latest_checkpoint()
    if path is None:
      raise ValueError(
          f"Could not find trained model in model_dir: {self.model_dir}.")
    return path




def _made_eagerly(fetch):
  """A variable of the owner (made eagerly), not an assign's result in the pass's graph."""
  return isinstance(fetch, tf.Variable) and not _compat.is_assign_result(fetch)


def _saver(spec):
  """What makes the Saver TF1's Estimator put in SAVERS: the spec's, the model function's, or its own.

  In the pass: the Saver of the spec's scaffold or of the SAVERS collection,
  else the pass's global variables and saveable objects, which
  :func:`_estimator_saver` saves (eagerly, outside the pass).
  """
  savers = v1.get_collection(v1.GraphKeys.SAVERS)
  if spec.scaffold.saver is not None or savers:
    return spec.scaffold.saver or savers[0]
  return (v1.global_variables() +
          v1.get_collection(v1.GraphKeys.SAVEABLE_OBJECTS))


def _estimator_saver(saver_or_variables, config):
  """TF1's Estimator Saver (keeping ``keep_checkpoint_max``) over a pass's variables.

  TF1's was sharded: on one device that writes the same files as an
  unsharded Saver, which is what an eager Saver can be (TensorFlow's
  sharded save reads ``.op`` of eager tensors).
  """
  if isinstance(saver_or_variables, v1.train.Saver):
    return saver_or_variables
  return v1.train.Saver(
      saver_or_variables, max_to_keep=config.keep_checkpoint_max,
      keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
      save_relative_paths=True)


class _Untracked:
  """Python state of an Estimator that tf.Module must not track."""

  def __init__(self, **kwargs):
    self.__dict__.update(kwargs)
