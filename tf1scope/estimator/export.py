"""TF1's ``tf.estimator.export``: serving input receivers, export outputs, SavedModel export.

``Estimator.export_saved_model`` writes what TF1's did: a TF1 SavedModel
(``saved_model.pb``, ``variables/``) in a timestamped directory, tagged
``serve``, with the signatures of the ``EstimatorSpec``'s ``export_outputs``
(``serving_default``: the predictions, unless the model function chose
others), built in a TF1 graph from the ``serving_input_receiver_fn``, with the
variables of the Estimator's checkpoint. TensorFlow Serving, TF1's
``saved_model.loader`` and TF2's ``tf.saved_model.load`` read it.
"""

import collections
import os
import shutil

import tensorflow as tf

from tf1scope import _compat
from tf1scope.estimator import warm_starting
from tf1scope.estimator.model_fn import ModeKeys
from tf1scope.estimator.model_fn import call_model_fn

v1 = tf.compat.v1

ExportOutput = _compat.ExportOutput
PredictOutput = _compat.PredictOutput
ClassificationOutput = _compat.ClassificationOutput
RegressionOutput = _compat.RegressionOutput
EvalOutput = _compat.EvalOutput   # TF1 named it; exporting EVAL is not provided

# TF1's names for a single tensor given instead of a dict.
_SINGLE_NAMES = {"feature": "feature", "receiver_tensor": "input",
                 "receiver_tensors_alternative": "input"}


def _tensor_dict(tensors, field, allow_int_keys=False):
  """``tensors`` as a dict of name -> tensor, checked as TF1 checks a receiver's fields."""
  if tensors is None:
    raise ValueError(f"{field}s must be defined.")
  if not isinstance(tensors, dict):
    tensors = {_SINGLE_NAMES[field]: tensors}
  for name, tensor in tensors.items():
    if not isinstance(name, str):
      if not allow_int_keys:
        raise ValueError(f"{field} keys must be strings: {name}.")
      if not isinstance(name, int):
        raise ValueError(f"{field} keys must be strings or ints: {name}.")
    if not isinstance(tensor, (tf.Tensor, tf.SparseTensor, tf.RaggedTensor)):
      raise ValueError(f"{field} {name} must be a Tensor, SparseTensor, or "
                       "RaggedTensor.")
  return tensors


class ServingInputReceiver(collections.namedtuple(
    "ServingInputReceiver",
    ["features", "receiver_tensors", "receiver_tensors_alternatives"])):
  """What a ``serving_input_receiver_fn`` returns: the model's features and the tensors serving feeds.

  >>> import tensorflow as tf
  >>> with tf.Graph().as_default():
  ...   x = tf.compat.v1.placeholder(tf.float32, [None, 2])
  ...   receiver = ServingInputReceiver(x, x)
  >>> sorted(receiver.features), sorted(receiver.receiver_tensors)
  (['feature'], ['input'])
  """

  __slots__ = ()

  def __new__(cls, features, receiver_tensors,
              receiver_tensors_alternatives=None):
    features = _tensor_dict(features, "feature", allow_int_keys=True)
    receiver_tensors = _tensor_dict(receiver_tensors, "receiver_tensor")
    if receiver_tensors_alternatives is not None:
      if not isinstance(receiver_tensors_alternatives, dict):
        raise ValueError("receiver_tensors_alternatives must be a dict: "
                         f"{receiver_tensors_alternatives}.")
      receiver_tensors_alternatives = {
          name: _tensor_dict(group, "receiver_tensors_alternative")
          for name, group in receiver_tensors_alternatives.items()}
    return super().__new__(cls, features, receiver_tensors,
                           receiver_tensors_alternatives)


class TensorServingInputReceiver(collections.namedtuple(
    "TensorServingInputReceiver",
    ["features", "receiver_tensors", "receiver_tensors_alternatives"])):
  """A receiver whose single feature tensor reaches the model as it is (not in a dict)."""

  __slots__ = ()

  def __new__(cls, features, receiver_tensors,
              receiver_tensors_alternatives=None):
    if features is None:
      raise ValueError("features must be defined.")
    checked = ServingInputReceiver(features, receiver_tensors,
                                   receiver_tensors_alternatives)
    return super().__new__(cls, checked.features["feature"],
                           checked.receiver_tensors,
                           checked.receiver_tensors_alternatives)


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
  """A receiver fn fed serialized ``tf.Example``\\ s (``examples``), parsed by ``feature_spec``."""
  def serving_input_receiver_fn():
    serialized = v1.placeholder(tf.string, [default_batch_size],
                                name="input_example_tensor")
    features = v1.io.parse_example(serialized, feature_spec)
    return ServingInputReceiver(features, {"examples": serialized})
  return serving_input_receiver_fn


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
  """A receiver fn fed every feature directly: a placeholder shaped like each tensor of ``features``."""
  def serving_input_receiver_fn():
    placeholders = {}
    for name, t in features.items():
      shape = tf.TensorShape([default_batch_size]).concatenate(t.shape[1:])
      op_name = getattr(getattr(t, "op", None), "name", None)  # eager: none
      placeholders[name] = v1.placeholder(t.dtype, shape, name=op_name)
    return ServingInputReceiver(placeholders, placeholders)
  return serving_input_receiver_fn


def export_saved_model(estimator, export_dir_base, serving_input_receiver_fn,
                       assets_extra=None, as_text=False, checkpoint_path=None):
  """``estimator.export_saved_model(...)``: see :meth:`tf1scope.estimator.Estimator.export_saved_model`."""
  box = estimator._box  # pylint: disable=protected-access
  if checkpoint_path is None:
    checkpoint_path = estimator.latest_checkpoint()
  if checkpoint_path is None and box.warm_start is not None:   # as TF1
    checkpoint_path = warm_starting.checkpoint_of(box.warm_start)
  if checkpoint_path is None:
    raise ValueError(f"Couldn't find trained model at {estimator.model_dir}.")
  export_dir = _compat.timestamped_export_dir(export_dir_base)
  temp_dir = _compat.temp_export_dir(export_dir)
  with tf.Graph().as_default():
    if box.config.tf_random_seed is not None:
      v1.set_random_seed(box.config.tf_random_seed)
    v1.train.get_or_create_global_step()
    receiver = serving_input_receiver_fn()
    spec = call_model_fn(box.model_fn, box.model_fn_args, receiver.features,
                         None, ModeKeys.PREDICT, box.params, box.config)
    export_outputs = _compat.export_outputs_for_mode(
        ModeKeys.PREDICT, serving_export_outputs=spec.export_outputs,
        predictions=spec.predictions)
    signatures = _compat.build_all_signature_defs(
        receiver.receiver_tensors, export_outputs,
        receiver.receiver_tensors_alternatives, serving_only=True)
    with v1.Session() as sess:
      saver = spec.scaffold.saver or v1.train.Saver(sharded=True)
      saver.restore(sess, checkpoint_path)
      local_init_op = (spec.scaffold.local_init_op or
                       v1.train.Scaffold.default_local_init_op())
      builder = v1.saved_model.Builder(temp_dir)
      builder.add_meta_graph_and_variables(
          sess, [v1.saved_model.tag_constants.SERVING],
          signature_def_map=signatures,
          assets_collection=v1.get_collection(v1.GraphKeys.ASSET_FILEPATHS),
          main_op=local_init_op, saver=saver, strip_default_attrs=True)
      builder.save(as_text)
  if assets_extra:
    extra = os.path.join(os.fsdecode(temp_dir), "assets.extra")
    for dest, source in assets_extra.items():
      target = os.path.join(extra, dest)
      os.makedirs(os.path.dirname(target), exist_ok=True)
      shutil.copy(source, target)
  tf.io.gfile.rename(temp_dir, export_dir)
  return export_dir
