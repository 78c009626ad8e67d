"""``tf.contrib`` as far as it lives on: ``rnn``, ``data``, ``tpu``, and from TF-Slim ``layers``, ``slim``, ``framework``.

TensorFlow 2.0 removed ``tf.contrib``. Through ``import tf1scope.compat.v1
as tf``, ``tf.contrib`` is this module:

* ``tf.contrib.rnn``: the RNN cells TF1 had under both names
  (``tf.contrib.rnn.LSTMCell`` was ``tf.nn.rnn_cell.LSTMCell``), from
  :mod:`tf1scope.rnn_cell`; the cells that existed only in contrib
  (``LayerNormBasicLSTMCell``, ``LSTMBlockCell``, ``GRUBlockCellV2``,
  ``NASCell``, ...) and ``stack_bidirectional_dynamic_rnn``, from
  :mod:`tf1scope.rnn_cell_contrib`; and ``static_rnn``,
  ``static_bidirectional_rnn`` and ``static_state_saving_rnn`` (TensorFlow's
  own). The contrib cells not provided (``GridLSTMCell``, ``NTMCell``, ...)
  raise ``AttributeError`` naming them.
* ``tf.contrib.seq2seq``: :mod:`tf1scope.seq2seq` (decoders, helpers,
  attention, beam search, ``sequence_loss``).
* ``tf.contrib.crf``: :mod:`tf1scope.crf` (``crf_log_likelihood``,
  ``crf_decode``, ``viterbi_decode``, ...).
* ``tf.contrib.data``: the dataset transformations TF 1.x moved to
  ``tf.data.experimental`` (``map_and_batch``, ``parallel_interleave``,
  ``shuffle_and_repeat``, ...), and ``batch_and_drop_remainder``.
* ``tf.contrib.training``: ``HParams`` and ``parse_values``
  (:mod:`tf1scope.compat.hparam`, TF1's rules and errors), and with TF-Slim
  installed the training and evaluation helpers TF-Slim took from it
  (``create_train_op``, ``clip_gradient_norms``, ``checkpoints_iterator``,
  ``get_or_create_eval_step``, ...).
* ``tf.contrib.tpu``: ``TPUEstimator`` (with ``use_tpu=False``, on CPU and
  GPU), ``TPUEstimatorSpec``, ``RunConfig``, ``TPUConfig`` and
  ``InputPipelineConfig``, :mod:`tf1scope.estimator.tpu`.
* With ``pip install tf-slim``, which was made from contrib's model-building
  parts: ``tf.contrib.layers`` (``layer_norm``, ``fully_connected``,
  ``conv2d``, ``batch_norm``, ``xavier_initializer``, ``l2_regularizer``, ...)
  is ``tf_slim.layers``, ``tf.contrib.slim`` is
  :mod:`tf1scope.compat.slim` and ``tf.contrib.framework`` (``arg_scope``,
  ``model_variable``, ``get_variables_to_restore``, ...) is ``tf_slim.ops``,
  all with the repairs of :mod:`tf1scope.compat.slim`.

So TF1 model code such as BERT's ``tf.contrib.layers.layer_norm(x,
begin_norm_axis=-1, begin_params_axis=-1)`` or a seq2seq model's
``tf.contrib.rnn.LSTMCell`` runs unchanged:

>>> import tensorflow as tf2, tf1scope
>>> import tf1scope.compat.v1 as tf
>>> class Norm(tf2.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     return tf.contrib.layers.layer_norm(
...         x, begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm")
>>> norm = Norm(); _ = norm(tf2.ones([2, 4]))
>>> list(tf1scope.variables_by_name(norm))
['LayerNorm/beta', 'LayerNorm/gamma']
>>> tf.contrib.rnn.LSTMCell is tf.nn.rnn_cell.LSTMCell
True

Any other part of ``tf.contrib`` raises ``AttributeError`` naming it.
"""

import importlib
import types

import tensorflow as _tf

from tf1scope import rnn_cell as _rnn_cell
from tf1scope import rnn_cell_contrib as _rnn_cell_contrib
from tf1scope import crf
from tf1scope import seq2seq
from tf1scope.compat import hparam as _hparam

_CELLS = ("RNNCell", "BasicRNNCell", "GRUCell", "BasicLSTMCell", "LSTMCell",
          "LSTMStateTuple", "MultiRNNCell", "DropoutWrapper",
          "ResidualWrapper", "DeviceWrapper")
_RNN_FUNCTIONS = ("static_rnn", "static_bidirectional_rnn",
                  "static_state_saving_rnn")
_FROM_SLIM = ("layers", "slim", "framework")
_PROVIDED = ("rnn", "seq2seq", "crf", "data", "training", "tpu") + _FROM_SLIM


def _rnn_module():
  module = types.ModuleType(
      __name__ + ".rnn",
      "tf.contrib.rnn: TF1's core RNN cells, its contrib-only cells and the "
      "static RNN functions.")
  for name in _CELLS:
    setattr(module, name, getattr(_rnn_cell, name))
  for name in _rnn_cell_contrib.__all__:
    setattr(module, name, getattr(_rnn_cell_contrib, name))
  for name in _RNN_FUNCTIONS:
    setattr(module, name, getattr(_tf.compat.v1.nn, name))

  def missing(name):
    raise AttributeError(
        f"module 'tf1scope.compat.contrib.rnn' has no attribute '{name}': "
        f"tf.contrib.rnn.{name} was removed in TensorFlow 2.0 with tf.contrib; "
        "tf1scope provides the cells TF1 also had in tf.nn.rnn_cell ("
        + ", ".join(_CELLS) + "), the contrib cells "
        + ", ".join(n for n in _rnn_cell_contrib.__all__ if n[0].isupper())
        + ", and " + ", ".join(_RNN_FUNCTIONS + tuple(
            n for n in _rnn_cell_contrib.__all__ if n[0].islower())) + ".")
  module.__getattr__ = missing
  return module


rnn = _rnn_module()

# tf.contrib.data's dataset transformations, which TF 1.x moved to
# tf.data.experimental under the same names.
_DATA = ("map_and_batch", "parallel_interleave", "shuffle_and_repeat",
         "sample_from_datasets", "choose_from_datasets", "ignore_errors",
         "unbatch", "group_by_window", "bucket_by_sequence_length", "scan",
         "rejection_resample", "prefetch_to_device", "copy_to_device",
         "Counter", "get_single_element", "make_csv_dataset", "CsvDataset",
         "SqlDataset", "Reducer", "TFRecordWriter", "enumerate_dataset")


def _data_module():
  module = types.ModuleType(
      __name__ + ".data",
      "tf.contrib.data: the dataset transformations now in tf.data.experimental.")
  for name in _DATA:
    if hasattr(_tf.data.experimental, name):
      setattr(module, name, getattr(_tf.data.experimental, name))

  def batch_and_drop_remainder(batch_size):
    """TF1's ``tf.contrib.data.batch_and_drop_remainder``: full batches only."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)
  module.batch_and_drop_remainder = batch_and_drop_remainder

  def missing(name):
    raise AttributeError(
        f"module 'tf1scope.compat.contrib.data' has no attribute '{name}': "
        f"tf.contrib.data.{name} is not in tf.data.experimental; tf1scope "
        "provides the transformations that are ("
        + ", ".join(sorted(n for n in vars(module) if not n.startswith("_")))
        + ").")
  module.__getattr__ = missing
  return module


data = _data_module()


# tf.contrib.training's helpers that TF-Slim kept (tf_slim.training), by module.
_TRAINING_FROM_SLIM = {
    "tf_slim.training.training": (
        "add_gradients_summaries", "clip_gradient_norms",
        "clip_gradient_norms_fn", "create_train_op", "multiply_gradients",
        "train"),
    "tf_slim.training.evaluation": (
        "StopAfterNEvalsHook", "SummaryAtEndHook", "checkpoints_iterator",
        "evaluate_once", "evaluate_repeatedly", "get_or_create_eval_step",
        "wait_for_new_checkpoint"),
}


def _training_module():
  module = types.ModuleType(
      __name__ + ".training",
      "tf.contrib.training: HParams and parse_values, and TF-Slim's training "
      "helpers.")
  module.HParams = _hparam.HParams
  module.parse_values = _hparam.parse_values
  from_slim = {name: source for source, names in _TRAINING_FROM_SLIM.items()
               for name in names}

  def missing(name):
    source = from_slim.get(name)
    if source is None:
      raise AttributeError(
          f"module 'tf1scope.compat.contrib.training' has no attribute "
          f"'{name}': tf.contrib.training.{name} was removed in TensorFlow 2.0 "
          "with tf.contrib; tf1scope provides HParams, parse_values and, from "
          "tf-slim, " + ", ".join(sorted(from_slim)) + ".")
    try:
      value = getattr(importlib.import_module(source), name)
    except ImportError as error:
      raise AttributeError(
          f"tf.contrib.training.{name} comes from TF-Slim here, which is not "
          f"installed: pip install tf-slim ({error})") from error
    setattr(module, name, value)
    return value
  module.__getattr__ = missing
  return module


training = _training_module()


def _from_slim(name):
  from tf1scope.compat import slim  # pylint: disable=g-import-not-at-top
  if name == "slim":
    return slim
  if name == "layers":
    # The package: tf_slim's attribute "layers" is its layers.layers module.
    return importlib.import_module("tf_slim.layers")
  framework = types.ModuleType(
      __name__ + ".framework",
      "tf.contrib.framework's arg scopes and variable helpers, from tf_slim.ops.")
  for module_name in ("tf_slim.ops.arg_scope", "tf_slim.ops.variables"):
    module = importlib.import_module(module_name)
    for attribute in module.__all__:
      setattr(framework, attribute, getattr(module, attribute))
  return framework


def __getattr__(name):
  if name == "tpu":   # TPUEstimator and friends, for use_tpu=False
    from tf1scope.estimator import tpu  # pylint: disable=g-import-not-at-top
    globals()[name] = tpu
    return tpu
  if name in _FROM_SLIM:
    try:
      value = _from_slim(name)
    except ImportError as error:
      raise AttributeError(
          f"tf.contrib.{name} comes from TF-Slim here, which is not "
          f"installed: pip install tf-slim ({error})") from error
    globals()[name] = value
    return value
  raise AttributeError(
      f"module 'tf1scope.compat.contrib' has no attribute '{name}': "
      f"tf.contrib.{name} was removed in TensorFlow 2.0, and tf1scope provides "
      f"only tf.contrib.{', tf.contrib.'.join(_PROVIDED)} (the last three "
      "from tf-slim).")


def __dir__():
  return sorted(set(globals()) | set(_PROVIDED))
