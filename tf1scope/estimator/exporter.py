"""TF1's ``tf.estimator.Exporter``\\ s: the SavedModel exports ``train_and_evaluate`` makes after evaluating."""

import os

import tensorflow as tf


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
