"""TF1's ``tf.estimator.WarmStartSettings``: where a new model's variables start from."""

import collections
import os

import tensorflow as tf

v1 = tf.compat.v1

VocabInfo = v1.train.VocabInfo


class WarmStartSettings(collections.namedtuple(
    "WarmStartSettings", ["ckpt_to_initialize_from", "vars_to_warm_start",
                          "var_name_to_vocab_info", "var_name_to_prev_var_name"])):
  """The arguments of ``tf.compat.v1.train.warm_start`` an Estimator calls it with.

  ``vars_to_warm_start``: a regex over the trainable variables (default: all
  of them) or a list of names or regexes over all global variables, as TF1.
  """

  __slots__ = ()

  def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
              var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
    if not ckpt_to_initialize_from:
      raise ValueError(
          "`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
    return super().__new__(cls, ckpt_to_initialize_from, vars_to_warm_start,
                           var_name_to_vocab_info or {},
                           var_name_to_prev_var_name or {})


def settings_from(warm_start_from):
  """TF1's reading of ``Estimator(warm_start_from=...)``: None, a path, a SavedModel or settings."""
  if warm_start_from is None or isinstance(warm_start_from, WarmStartSettings):
    return warm_start_from
  if isinstance(warm_start_from, (str, bytes)):
    path = os.fsdecode(warm_start_from)
    variables = os.path.join(path, "variables", "variables")
    if tf.io.gfile.exists(variables + ".index"):   # a SavedModel's variables
      return WarmStartSettings(ckpt_to_initialize_from=variables)
    return WarmStartSettings(ckpt_to_initialize_from=path)
  raise ValueError("warm_start_from must be a string or a WarmStartSettings, "
                   f"instead got {type(warm_start_from)}")


def checkpoint_of(settings):
  """The checkpoint file the settings name (the latest one of a directory)."""
  path = settings.ckpt_to_initialize_from
  if tf.io.gfile.isdir(path):
    return tf.train.latest_checkpoint(path)
  return path
