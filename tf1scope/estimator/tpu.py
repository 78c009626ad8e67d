"""TF1's ``tf.estimator.tpu`` (``tf.contrib.tpu``) on CPU and GPU: ``TPUEstimator(use_tpu=False)``.

TF1 research code (BERT, ALBERT, EfficientNet...) is written against
``TPUEstimator`` and runs on CPU and GPU with ``use_tpu=False``. As TF1's in
that mode:

* ``input_fn`` and ``model_fn`` must take ``params``; ``params["batch_size"]``
  is the mode's batch size (``train_batch_size``, ``eval_batch_size``,
  ``predict_batch_size``), and the model function's ``params["use_tpu"]`` is
  False (an export's has no batch size);
* the model function may return a ``TPUEstimatorSpec``: its
  ``eval_metrics=(metric_fn, tensors)`` become the metrics
  (``metric_fn(*tensors)``, or ``**tensors`` for a dict), its ``scaffold_fn()``
  the scaffold (BERT's calls ``init_from_checkpoint`` there), and its
  ``host_call=(fn, tensors)`` runs with every step;
* the loss and step logging and ``global_step/sec`` are replaced by TF1's
  ``ExamplesPerSecondHook`` (``global_step/sec`` and ``examples/sec``) every
  ``ceil(log_step_count_steps / iterations_per_loop)`` steps.

``use_tpu=True`` needs a TPU system, which is not here: it raises.
"""

import copy
import math

import tensorflow as tf

from tf1scope import _compat
from tf1scope.estimator import run_config as run_config_lib
from tf1scope.estimator.estimator import Estimator
from tf1scope.estimator.model_fn import EstimatorSpec
from tf1scope.estimator.model_fn import ModeKeys
from tf1scope.estimator.model_fn import checked_hooks
from tf1scope.estimator.model_fn import taken_arguments

v1 = tf.compat.v1

_BATCH_SIZE_KEY = "batch_size"
_CTX_KEY = "context"
_USE_TPU_KEY = "use_tpu"
_RESERVED_PARAMS_KEYS = [_BATCH_SIZE_KEY, _CTX_KEY]


class InputPipelineConfig:
  """TF1's ways of feeding TPU cores (kept for the code that names them)."""
  PER_SHARD_V1 = 1
  PER_HOST_V1 = 2
  PER_HOST_V2 = 3
  BROADCAST = 4
  SLICED = 5


class TPUConfig:
  """TF1's ``TPUConfig``: ``iterations_per_loop`` (steps or ``"<n>s"``) and the TPU layout."""

  def __init__(self, iterations_per_loop=2, num_shards=None,
               num_cores_per_replica=None, per_host_input_for_training=True,
               tpu_job_name=None, initial_infeed_sleep_secs=None,
               input_partition_dims=None,
               eval_training_input_configuration=InputPipelineConfig.PER_HOST_V1,
               experimental_host_call_every_n_steps=1, **kwargs):
    _iterations(iterations_per_loop)   # checked as TF1 checks it
    if num_shards is not None and (not isinstance(num_shards, int) or
                                   num_shards <= 0):
      raise ValueError(
          f"TPUConfig num_shards must be positive integer, got {num_shards}")
    self.iterations_per_loop = iterations_per_loop
    self.num_shards = num_shards
    self.num_cores_per_replica = num_cores_per_replica
    self.per_host_input_for_training = per_host_input_for_training
    self.tpu_job_name = tpu_job_name
    self.initial_infeed_sleep_secs = initial_infeed_sleep_secs
    self.input_partition_dims = input_partition_dims
    self.eval_training_input_configuration = eval_training_input_configuration
    self.experimental_host_call_every_n_steps = experimental_host_call_every_n_steps
    self.__dict__.update(kwargs)


def _iterations(value):
  """(count, "count") or (seconds, "seconds") of ``iterations_per_loop``, as TF1 parses it."""
  if isinstance(value, int):
    if value <= 0:
      raise ValueError(
          f"Must specify a positive integer for iterations_per_loop. Got {value}")
    return value, "count"
  text = str(value)
  if text.endswith("s") and text[:-1].isdigit() and int(text[:-1]) > 0:
    return int(text[:-1]), "seconds"
  raise ValueError(
      "Must specify either a positive integer or a string with a positive "
      f"number of seconds (e.g. '300s') for iterations_per_loop. Got {value!r}")


class RunConfig(run_config_lib.RunConfig):
  """TF1's TPU ``RunConfig``: a ``RunConfig`` with a ``tpu_config``, ``master`` and ``cluster``."""

  def __init__(self, tpu_config=None, evaluation_master=None, master=None,
               cluster=None, **kwargs):
    super().__init__(**kwargs)
    self.tpu_config = tpu_config or TPUConfig()
    self.evaluation_master = evaluation_master or ""
    self.master = master or ""
    self.cluster = cluster

  _REPLACEABLE = run_config_lib.RunConfig._REPLACEABLE + ("tpu_config",)


def _with_items(params, **items):
  """A copy of ``params`` (a dict, or an HParams-like object) with ``items`` added, as TF1 added them."""
  params = copy.deepcopy(params)
  for key, value in items.items():
    if hasattr(params, "set_hparam"):
      if key in params:
        params.set_hparam(key, value)
      else:
        params.add_hparam(key, value)
    else:
      params[key] = value
  return params


def _check_host_call(name, call):
  if call is None:
    return
  if not isinstance(call, (tuple, list)):
    raise ValueError(f"{name} should be tuple or list")
  if len(call) != 2:
    raise ValueError(f"{name} should have two elements.")
  if not callable(call[0]):
    raise TypeError(f"{name}[0] should be callable.")
  if not isinstance(call[1], (tuple, list, dict)):
    raise ValueError(f"{name}[1] should be tuple or list, or dict.")


def _run_host_call(call):
  fn, tensors = call
  return fn(**tensors) if isinstance(tensors, dict) else fn(*tensors)


class TPUEstimatorSpec:
  """TF1's ``TPUEstimatorSpec``; ``as_estimator_spec()`` is the ``EstimatorSpec`` it means on CPU."""

  def __init__(self, mode, predictions=None, loss=None, train_op=None,
               eval_metrics=None, export_outputs=None, scaffold_fn=None,
               host_call=None, training_hooks=None, evaluation_hooks=None,
               prediction_hooks=None):
    _check_host_call("eval_metrics", eval_metrics)
    _check_host_call("host_call", host_call)
    self.mode = mode
    self.predictions = predictions
    self.loss = loss
    self.train_op = train_op
    self.eval_metrics = eval_metrics
    self.export_outputs = export_outputs
    self.scaffold_fn = scaffold_fn
    self.host_call = host_call
    self.training_hooks = tuple(checked_hooks(training_hooks))
    self.evaluation_hooks = tuple(checked_hooks(evaluation_hooks))
    self.prediction_hooks = tuple(checked_hooks(prediction_hooks))

  def as_estimator_spec(self):
    eval_metric_ops = (_run_host_call(self.eval_metrics)
                       if self.eval_metrics is not None else None)
    hooks = ()
    if self.host_call is not None:
      hooks = (_HostCallHook(_run_host_call(self.host_call)),)
    return EstimatorSpec(
        mode=self.mode, predictions=self.predictions, loss=self.loss,
        train_op=self.train_op, eval_metric_ops=eval_metric_ops,
        export_outputs=self.export_outputs,
        scaffold=self.scaffold_fn() if self.scaffold_fn else None,
        training_hooks=self.training_hooks + hooks,
        evaluation_hooks=self.evaluation_hooks + hooks,
        prediction_hooks=self.prediction_hooks + hooks)


class _HostCallHook(v1.train.SessionRunHook):
  """Runs a host call's ops with every step (TF1's CPU outfeed hook)."""

  def __init__(self, ops):
    self._ops = ops

  def before_run(self, run_context):
    return v1.train.SessionRunArgs(self._ops)


class TPUEstimator(Estimator):
  """TF1's ``TPUEstimator`` with ``use_tpu=False``: an Estimator fed ``params["batch_size"]``.

  >>> import numpy as np, tensorflow as tf
  >>> import tf1scope.compat.v1 as tf1
  >>> def model_fn(features, labels, mode, params):
  ...   w = tf1.get_variable("w", [1], initializer=tf1.zeros_initializer())
  ...   loss = tf1.losses.mean_squared_error(labels, features * w)
  ...   train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(
  ...       loss, global_step=tf1.train.get_global_step())
  ...   return tf1.estimator.tpu.TPUEstimatorSpec(mode, loss=loss, train_op=train_op)
  >>> def input_fn(params):
  ...   data = (np.ones([8, 1], np.float32), np.ones([8, 1], np.float32))
  ...   return tf.data.Dataset.from_tensor_slices(data).batch(params["batch_size"]).repeat()
  >>> estimator = tf1.estimator.tpu.TPUEstimator(
  ...     model_fn, config=tf1.estimator.tpu.RunConfig(), use_tpu=False,
  ...     train_batch_size=4)
  >>> _ = estimator.train(input_fn, steps=3)
  >>> int(estimator.get_variable_value("global_step"))
  3
  """

  def __init__(self, model_fn=None, model_dir=None, config=None, params=None,
               use_tpu=True, train_batch_size=None, eval_batch_size=None,
               predict_batch_size=None, batch_axis=None, eval_on_tpu=True,
               export_to_tpu=True, export_to_cpu=True, warm_start_from=None,
               embedding_config_spec=None, export_saved_model_api_version=1):
    del batch_axis, eval_on_tpu, export_to_tpu, export_to_cpu
    del export_saved_model_api_version
    if config is None or not isinstance(config, RunConfig):
      raise ValueError(
          "`config` must be provided with type `tpu_config.RunConfig`")
    if params is not None and any(k in params for k in _RESERVED_PARAMS_KEYS):
      raise ValueError(f"{_RESERVED_PARAMS_KEYS} are reserved keys but existed "
                       f"in params {params}.")
    if use_tpu:
      raise ValueError(
          "TPUEstimator(use_tpu=True) needs a TPU system, which tf1scope does "
          "not run on; pass use_tpu=False to train, evaluate and predict on "
          "CPU or GPU (params['batch_size'] is then the mode's batch size).")
    if embedding_config_spec is not None:
      raise ValueError("embedding_config_spec (TPU embeddings) needs a TPU "
                       "system; use feature columns' embeddings on CPU or GPU.")
    for name, size in (("train_batch_size", train_batch_size),
                       ("eval_batch_size", eval_batch_size),
                       ("predict_batch_size", predict_batch_size)):
      if size is not None and (not isinstance(size, int) or size <= 0):
        raise ValueError(f"{name} must be positive integer; got {size}.")
    self._batch_sizes = {ModeKeys.TRAIN: train_batch_size,
                         ModeKeys.EVAL: eval_batch_size,
                         ModeKeys.PREDICT: predict_batch_size}
    count, unit = _iterations(config.tpu_config.iterations_per_loop)
    log_every = config.log_step_count_steps
    if unit == "seconds":
      self._log_every = (None, count)
    else:
      self._log_every = ((int(math.ceil(log_every / count)), None)
                         if log_every is not None else (None, None))
    self._user_model_fn = model_fn
    self._exporting = False
    super().__init__(self._tpu_model_fn, model_dir=model_dir,
                     config=config.replace(log_step_count_steps=None),
                     params=params if params is not None else {},
                     warm_start_from=warm_start_from)

  # The input function: params["batch_size"] of the mode.

  def _input_params(self, input_fn, mode):
    if "params" not in _compat.fn_args(input_fn):
      raise ValueError(
          f"input_fn ({input_fn}) does not include params argument, required "
          "by TPUEstimator to pass batch size as params[\"batch_size\"]")
    if self._batch_sizes[mode] is None:
      return copy.deepcopy(self.params)
    return _with_items(self.params, **{_BATCH_SIZE_KEY: self._batch_sizes[mode]})

  # The model function: params with the batch size and use_tpu; a TPU spec on CPU.

  def _tpu_model_fn(self, features, labels, mode, config, params):
    items = {_USE_TPU_KEY: False}
    if not self._exporting and self._batch_sizes[mode] is not None:
      items[_BATCH_SIZE_KEY] = self._batch_sizes[mode]
    params = _with_items(params, **items)
    taken = _compat.fn_args(self._user_model_fn)
    if "params" not in taken:   # as TF1: when the model function is called
      raise ValueError(
          f"model_fn ({self._user_model_fn}) does not include params argument, "
          "required by TPUEstimator to pass batch size as params['batch_size']")
    if "labels" not in taken and labels is not None:
      raise ValueError("model_fn does not take labels, but input_fn returns labels.")
    spec = self._user_model_fn(features=features, **taken_arguments(
        taken, labels=labels, mode=mode, config=config, params=params))
    if isinstance(spec, TPUEstimatorSpec):
      spec = spec.as_estimator_spec()
    if self._exporting:
      return spec
    steps, secs = self._log_every
    if steps is not None or secs is not None:
      hook = _compat.ExamplesPerSecondHook(
          self._batch_sizes[mode] or 0, every_n_steps=steps, every_n_secs=secs,
          output_dir=self.model_dir if config.save_summary_steps else None)
      spec = spec._replace(training_hooks=tuple(spec.training_hooks) + (hook,))
    return spec

  def export_saved_model(self, *args, **kwargs):
    self._exporting = True
    try:
      return super().export_saved_model(*args, **kwargs)
    finally:
      self._exporting = False

  export_savedmodel = export_saved_model
