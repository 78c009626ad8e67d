"""Reads the stored TF1 reference (tests/fixtures/layers_reference.*) and runs cases with tf1scope."""

import json
import os

import numpy as np
import tensorflow as tf

import layer_cases
import tf1scope
import tf1scope.layers

v1 = tf.compat.v1
HERE = os.path.dirname(os.path.abspath(__file__))
NPZ_PATH = os.path.join(HERE, "fixtures", "layers_reference.npz")
JSON_PATH = os.path.join(HERE, "fixtures", "layers_reference.json")

with open(JSON_PATH) as _f:
  META = json.load(_f)
with np.load(NPZ_PATH) as _data:
  ARRAYS = dict(_data)

CASES = {c.name: c for c in layer_cases.NUMERIC_CASES}


def array(*parts):
  return ARRAYS["|".join(str(p) for p in parts)]


def tf1_variables(case_name):
  """TF1's variables of a case: {name without ":0": (shape, dtype, trainable)}, in order."""
  out = {}
  for _, name, shape, dtype, trainable in META["cases"][case_name]["variables"]:
    out[name[:-2]] = (shape, dtype, trainable)
  return out


class _Box:
  """Keeps Python objects out of tf.Module's tracking."""

  def __init__(self, value):
    self.value = value


class CaseModule(tf.Module):
  """Runs one case's ``build`` with ``tf1scope.layers`` as a pass."""

  def __init__(self, case):
    super().__init__()
    self._case = _Box(case)

  @tf1scope.track_tf1_style_variables
  def __call__(self, *inputs):
    outputs = self._case.value.build(tf1scope.layers, *inputs)
    regs = [tf.convert_to_tensor(r) for r in
            v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)]
    n_updates = len(v1.get_collection(v1.GraphKeys.UPDATE_OPS))
    return outputs, regs, n_updates


def case_function(module, case, mode):
  """The pass as called in ``mode``: "eager", "function" (autograph off, as
  TF1 graph code needs none), "autograph" or "xla"; tf.function inputs have
  TF1's placeholder shapes."""
  if mode == "eager":
    return module.__call__
  signature = [tf.TensorSpec(i.placeholder_shape, i.dtype) for i in case.inputs]
  return tf.function(module.__call__, input_signature=signature,
                     autograph=(mode == "autograph"),
                     jit_compile=(mode == "xla") or None)
