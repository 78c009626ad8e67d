"""TF1's ``tf.estimator`` model-function contract: ``ModeKeys``, ``EstimatorSpec`` and the calling rules."""

import collections

import tensorflow as tf

from tf1scope import _compat

v1 = tf.compat.v1


class ModeKeys:
  """TF1's ``tf.estimator.ModeKeys``: the mode a model_fn is called in."""
  TRAIN = "train"
  EVAL = "eval"
  PREDICT = "infer"

_SPEC_FIELDS = ("mode", "predictions", "loss", "train_op", "eval_metric_ops",
                "export_outputs", "training_chief_hooks", "training_hooks",
                "scaffold", "evaluation_hooks", "prediction_hooks")

_DEFAULT_GRAPH_ERROR = (
    '{0} with "{1}" must be from the default graph. Build it inside the '
    "model_fn, in the graph the model_fn is called in.")


def _from_default_graph(what, name, value):
  """TF1's check that a spec's tensor belongs to the graph the model_fn runs in."""
  if tf.executing_eagerly():
    return
  if getattr(value, "graph", None) is not v1.get_default_graph():
    raise ValueError(_DEFAULT_GRAPH_ERROR.format(what, name))


def _tensor(value, what):
  if not tf.is_tensor(value) or isinstance(value, tf.Variable):
    raise TypeError(f"{what} must be Tensor, given: {value}")
  return value


def checked_hooks(hooks, kind="SessionRunHook"):
  """``hooks`` as a tuple; TF1's TypeError for one that is not a ``SessionRunHook``."""
  hooks = tuple(hooks or ())
  for hook in hooks:
    if not isinstance(hook, v1.train.SessionRunHook):
      raise TypeError(f"All hooks must be {kind} instances, given: {hook}")
  return hooks


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _SPEC_FIELDS)):
  """What a TF1 ``model_fn`` returns, checked as TF1's ``tf.estimator.EstimatorSpec``.

  TRAIN needs ``loss`` and ``train_op``, EVAL ``loss``, PREDICT
  ``predictions``; a loss with one element is reshaped to a scalar; errors
  and their messages are TF1's.

  >>> import tensorflow as tf
  >>> spec = EstimatorSpec(ModeKeys.EVAL, loss=tf.constant([2.0]))
  >>> spec.loss.shape, spec.predictions, spec.eval_metric_ops
  (TensorShape([]), {}, {})
  """

  __slots__ = ()

  def __new__(cls, mode, predictions=None, loss=None, train_op=None,
              eval_metric_ops=None, export_outputs=None,
              training_chief_hooks=None, training_hooks=None, scaffold=None,
              evaluation_hooks=None, prediction_hooks=None):
    if train_op is None:
      if mode == ModeKeys.TRAIN:
        raise ValueError("Missing train_op.")
    else:
      if not isinstance(train_op, tf.Operation) and not tf.is_tensor(train_op):
        raise TypeError(
            f"train_op must be Operation or Tensor, given: {train_op}")
      if isinstance(train_op, tf.Variable):
        train_op = train_op.op
      _from_default_graph("train_op", train_op.name, train_op)
    if loss is None:
      if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
        raise ValueError("Missing loss.")
    else:
      loss = _tensor(loss, "loss")
      if loss.shape.num_elements() not in (None, 1):
        raise ValueError(f"Loss must be scalar, given: {loss}")
      if not loss.shape.is_compatible_with(tf.TensorShape([])):
        loss = tf.reshape(loss, [])
      _from_default_graph("loss", getattr(loss, "name", ""), loss)
    if predictions is None:
      if mode == ModeKeys.PREDICT:
        raise ValueError("Missing predictions.")
      predictions = {}
    elif isinstance(predictions, dict):
      predictions = {k: _tensor(v, f"predictions[{k}]")
                     for k, v in predictions.items()}
      for key, value in predictions.items():
        _from_default_graph("prediction values",
                            f"{key}: {getattr(value, 'name', '')}", value)
    else:
      predictions = _tensor(predictions, "predictions")
      _from_default_graph("prediction values",
                          getattr(predictions, "name", ""), predictions)
    if eval_metric_ops is None:
      eval_metric_ops = {}
    elif not isinstance(eval_metric_ops, dict):
      raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops}")
    else:
      for key, value in eval_metric_ops.items():
        if not isinstance(value, tuple) or len(value) != 2:
          raise TypeError(
              "Values of eval_metric_ops must be (metric_value, update_op) "
              f"tuples, given: {value} for key: {key}")
    if mode == ModeKeys.PREDICT:   # TF1 checks them, adding serving_default
      export_outputs = _compat.checked_export_outputs(export_outputs,
                                                      predictions)
    scaffold = scaffold or v1.train.Scaffold()
    if not isinstance(scaffold, v1.train.Scaffold):
      raise TypeError(f"scaffold must be tf.train.Scaffold. Given: {scaffold}")
    return super().__new__(
        cls, mode=mode, predictions=predictions, loss=loss,
        train_op=train_op, eval_metric_ops=eval_metric_ops,
        export_outputs=export_outputs,
        training_chief_hooks=checked_hooks(training_chief_hooks),
        training_hooks=checked_hooks(training_hooks), scaffold=scaffold,
        evaluation_hooks=checked_hooks(evaluation_hooks),
        prediction_hooks=checked_hooks(prediction_hooks))

  def _replace(self, **changes):
    if "mode" in changes and changes["mode"] != self.mode:
      raise ValueError("mode of EstimatorSpec cannot be changed.")
    return EstimatorSpec(**{**self._asdict(), **changes})


_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}


def check_model_fn(model_fn, params):
  """TF1's checks of a model_fn's arguments (``verify_model_fn_args``)."""
  args = set(_compat.fn_args(model_fn))
  if "features" not in args:
    raise ValueError(f"model_fn ({model_fn}) must include features argument.")
  if params is not None and "params" not in args:
    raise ValueError(
        f"model_fn ({model_fn}) does not include params argument, but params "
        f"({params}) is passed to Estimator.")
  unexpected = sorted(args - _MODEL_FN_ARGS)
  if unexpected:
    raise ValueError(
        f"model_fn ({model_fn}) has following not expected args: {unexpected}")
  return args


def taken_arguments(args, **values):
  """The ``values`` whose names are among a function's ``args`` (how TF1 passes mode, params, config)."""
  return {name: value for name, value in values.items() if name in args}


def call_model_fn(model_fn, args, features, labels, mode, params, config):
  """``model_fn(features=..., ...)`` with the arguments it takes (``args``), as TF1 calls it."""
  if labels is not None and "labels" not in args:
    raise ValueError("model_fn does not take labels, but input_fn returns labels.")
  spec = model_fn(features=features, **taken_arguments(
      args, labels=labels, mode=mode, params=params, config=config))
  if not isinstance(spec, EstimatorSpec):
    raise ValueError("model_fn should return an EstimatorSpec.")
  return spec
