"""TF1's ``tf.estimator.Exporter``\\ s: the SavedModel exports ``train_and_evaluate`` makes after evaluating."""

import os

import tensorflow as tf

from tf1scope import _compat

v1 = tf.compat.v1


class Exporter:
  """Base class: ``export(estimator, export_path, checkpoint_path, eval_result, is_the_final_export)``."""

  @property
  def name(self):
    raise NotImplementedError

  def export(self, estimator, export_path, checkpoint_path, eval_result,
             is_the_final_export):
    raise NotImplementedError


class _SavedModelExporter(Exporter):

  def __init__(self, name, serving_input_receiver_fn, assets_extra=None,
               as_text=False):
    self._name = name
    self._serving_input_receiver_fn = serving_input_receiver_fn
    self._assets_extra = assets_extra
    self._as_text = as_text

  @property
  def name(self):
    return self._name

  def _export(self, estimator, export_path, checkpoint_path):
    return estimator.export_saved_model(
        export_path, self._serving_input_receiver_fn,
        assets_extra=self._assets_extra, as_text=self._as_text,
        checkpoint_path=checkpoint_path)


class FinalExporter(_SavedModelExporter):
  """Exports once, after the last evaluation of ``train_and_evaluate``."""

  def export(self, estimator, export_path, checkpoint_path, eval_result,
             is_the_final_export):
    del eval_result
    if not is_the_final_export:
      return None
    return self._export(estimator, export_path, checkpoint_path)


class LatestExporter(_SavedModelExporter):
  """Exports after every evaluation and keeps the newest ``exports_to_keep`` exports."""

  def __init__(self, name, serving_input_receiver_fn, assets_extra=None,
               as_text=False, exports_to_keep=5):
    super().__init__(name, serving_input_receiver_fn, assets_extra, as_text)
    if exports_to_keep is not None and exports_to_keep <= 0:
      raise ValueError(
          "`exports_to_keep`, if provided, must be a positive number. Got "
          f"{exports_to_keep}")
    self._exports_to_keep = exports_to_keep

  def export(self, estimator, export_path, checkpoint_path, eval_result,
             is_the_final_export):
    del eval_result, is_the_final_export
    result = self._export(estimator, export_path, checkpoint_path)
    self._keep_newest(export_path)
    return result

  def _keep_newest(self, export_path):
    if self._exports_to_keep is None or not os.path.isdir(export_path):
      return
    exports = sorted((int(d), d) for d in os.listdir(export_path) if d.isdigit())
    for _, old in exports[:-self._exports_to_keep]:
      tf.io.gfile.rmtree(os.path.join(export_path, old))


def _loss_smaller(best_eval_result, current_eval_result):
  """TF1's default comparison: the current evaluation is better when its ``loss`` is smaller."""
  if not best_eval_result or "loss" not in best_eval_result:
    raise ValueError("best_eval_result cannot be empty or no loss is found in it.")
  if not current_eval_result or "loss" not in current_eval_result:
    raise ValueError(
        "current_eval_result cannot be empty or no loss is found in it.")
  return best_eval_result["loss"] > current_eval_result["loss"]


def _check_compare_fn(compare_fn):
  if compare_fn is None:
    raise ValueError("`compare_fn` must not be None.")
  args = set(_compat.fn_args(compare_fn))
  for needed in ("best_eval_result", "current_eval_result"):
    if needed not in args:
      raise ValueError(f"compare_fn ({compare_fn}) must include {needed} argument.")
  others = list(args - {"best_eval_result", "current_eval_result"})
  if others:
    raise ValueError(
        f"compare_fn ({compare_fn}) has following not expected args: {others}")


class BestExporter(LatestExporter):
  """Exports when an evaluation is the best so far (``compare_fn``), keeping ``exports_to_keep``.

  As TF1's: the best result so far is first read from the evaluation events
  in ``model_dir/event_file_pattern`` (so a restarted run remembers it), the
  first evaluation of a run always exports, and later ones export when
  ``compare_fn(best_eval_result=..., current_eval_result=...)`` is true.
  """

  def __init__(self, name="best_exporter", serving_input_receiver_fn=None,
               event_file_pattern="eval/*.tfevents.*", compare_fn=_loss_smaller,
               assets_extra=None, as_text=False, exports_to_keep=5):
    _check_compare_fn(compare_fn)
    super().__init__(name, serving_input_receiver_fn, assets_extra, as_text,
                     exports_to_keep)
    self._compare_fn = compare_fn
    self._event_file_pattern = event_file_pattern
    self._model_dir = None
    self._best = None
    self._exported = False

  def export(self, estimator, export_path, checkpoint_path, eval_result,
             is_the_final_export):
    del is_the_final_export
    if self._model_dir != estimator.model_dir and self._event_file_pattern:
      self._model_dir = estimator.model_dir
      self._best = self._best_in_events(
          os.path.join(self._model_dir, self._event_file_pattern))
    if (self._best is None or not self._exported or
        self._compare_fn(best_eval_result=self._best,
                         current_eval_result=eval_result)):
      self._best = eval_result
      result = self._export(estimator, export_path, checkpoint_path)
      self._keep_newest(export_path)
      self._exported = True
      return result
    return None

  def _best_in_events(self, pattern):
    """The best evaluation the events matching ``pattern`` hold (scalars by tag), or None."""
    best = None
    for path in sorted(tf.io.gfile.glob(pattern)):
      for event in v1.train.summary_iterator(path):
        result = {v.tag: v.simple_value for v in event.summary.value
                  if v.HasField("simple_value")}
        if result and (best is None or self._compare_fn(best, result)):
          best = result
    return best
