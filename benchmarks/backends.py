"""The three ways of running the workloads: native TF2, tf1scope, and the tf_keras shim.

A backend makes a fresh module for a workload. ``native`` is the floor; the
other two run the same TF1-style bodies under their decorator. ``tf_keras``
only works in a process started with ``TF_USE_LEGACY_KERAS=1`` (it replaces
Keras 3 process-wide), so ``run.py`` measures it in a subprocess.
"""

import functools
import os

from benchmarks import workloads


class Unsupported(Exception):
  """The backend cannot run this workload (the message says why)."""


class Native:
  name = "native"

  def mlp(self, layers, width):
    return workloads.NativeMLP(layers, width)

  def convnet(self):
    return workloads.NativeConvNet()

  def convnet_layers(self):
    return workloads.NativeConvNet()   # same ops as the layers version

  def many_variables(self, n, block):
    return workloads.NativeManyVariables(n, block)


class TF1Style:
  """Runs the TF1-style bodies under a ``track_tf1_style_variables`` decorator."""

  def __init__(self, name, decorator, layers_module=None, layers_missing=""):
    self.name = name
    self._mlp = workloads.tf1_style_class(decorator, workloads.mlp_tf1)
    self._conv = workloads.tf1_style_class(decorator, workloads.convnet_tf1)
    self._many = workloads.tf1_style_class(decorator,
                                           workloads.many_variables_tf1)
    self._layers_missing = layers_missing
    self._conv_layers = None
    if layers_module is not None:
      body = functools.partial(workloads.convnet_layers, layers=layers_module)
      body.__name__ = "convnet_layers"
      self._conv_layers = workloads.tf1_style_class(decorator, body)

  def mlp(self, layers, width):
    return self._mlp(layers=layers, width=width)

  def convnet(self):
    return self._conv()

  def convnet_layers(self):
    if self._conv_layers is None:
      raise Unsupported(self._layers_missing)
    return self._conv_layers()

  def many_variables(self, n, block):
    return self._many(n=n, block=block)


def tf1scope_backend():
  import tf1scope  # pylint: disable=g-import-not-at-top
  try:
    import tf1scope.layers as layers  # pylint: disable=g-import-not-at-top
    missing = ""
  except ImportError as e:
    layers, missing = None, f"tf1scope.layers is not available ({e})"
  return TF1Style("tf1scope", tf1scope.track_tf1_style_variables,
                  layers_module=layers, layers_missing=missing)


def tf_keras_backend():
  """The legacy tf_keras shim; raises Unsupported when it cannot run here."""
  if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
    raise Unsupported("tf_keras needs TF_USE_LEGACY_KERAS=1 set before "
                      "TensorFlow is imported")
  try:
    import tf_keras  # pylint: disable=g-import-not-at-top,unused-import
  except ImportError as e:
    raise Unsupported(f"tf_keras is not installed ({e}); "
                      "pip install tf_keras==2.21.0") from e
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  return TF1Style(
      "tf_keras", tf.compat.v1.keras.utils.track_tf1_style_variables,
      layers_missing="the shim does not reuse functional tf.compat.v1.layers "
      "in a decorated tf.Module or Layer: every call makes new variables")


def make(name):
  return {"native": Native, "tf1scope": tf1scope_backend,
          "tf_keras": tf_keras_backend}[name]()
