"""Regenerates tests/fixtures/rnn_contrib_reference.{npz,json} from TF1's own ``tf.contrib.rnn`` cells.

TensorFlow 1.15's ``tf.contrib.rnn`` is Python over TensorFlow ops (its fused
cells use ``LSTMBlockCell``, ``BlockLSTM`` and ``GRUBlockCell``, which
TensorFlow still has), so it runs from the TF 1.15 wheel in TF1 graph mode
on TensorFlow 2.15, with TF1's core cells (TensorFlow's frozen copies) and
``tf.contrib.layers.layer_norm`` from TF-Slim (its copy):

    python3 -m venv /tmp/tf215
    /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1 tf-slim==1.1.0
    pip download --no-deps --only-binary=:all: --python-version 37 \\
        --platform manylinux2010_x86_64 tensorflow-cpu==1.15.0 -d /tmp/tf115
    /tmp/tf215/bin/python tests/make_rnn_contrib_fixture.py \\
        /tmp/tf115/tensorflow_cpu-1.15.0-cp37-cp37m-manylinux2010_x86_64.whl

Every case of ``rnn_contrib_cases.py`` runs as ``make_layers_fixture.py``
runs its cases; ``test_rnn_cell_contrib.py`` compares tf1scope's with what
is stored, without any of these packages.
"""

import os
import sys
import tempfile
import types
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE]
from make_seq2seq_fixture import _load, _module, _package  # noqa: E402  pylint: disable=wrong-import-position

_SOURCES = "tensorflow_core/contrib/rnn/python/ops/"
_PACKAGE = "tensorflow.contrib.rnn.python.ops"
_MODULES = ("core_rnn_cell", "rnn_cell", "lstm_ops", "gru_ops", "rnn")


def tf1_contrib_rnn(wheel):
  """TF 1.15's ``tf.contrib.rnn`` with TF1's core cells: a namespace of their public names."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tensorflow.python.framework import ops  # pylint: disable=g-import-not-at-top
  from tensorflow.python.ops import rnn_cell_impl  # pylint: disable=g-import-not-at-top
  from tf_slim.layers import layers as slim_layers  # pylint: disable=g-import-not-at-top
  from tensorflow.python.util import nest  # pylint: disable=g-import-not-at-top
  if not hasattr(ops, "Tensor"):
    ops.Tensor = tf.Tensor
  if not hasattr(nest, "is_sequence"):   # TF 1.15's name of is_nested
    nest.is_sequence = nest.is_nested
  from tensorflow.python.ops import array_ops  # pylint: disable=g-import-not-at-top
  for name in ("stack", "unstack"):   # moved out of array_ops since TF 1.15
    if not hasattr(array_ops, name):
      setattr(array_ops, name, getattr(tf, name))
  for name in ("tensorflow.contrib", "tensorflow.contrib.rnn",
               "tensorflow.contrib.rnn.python", _PACKAGE,
               "tensorflow.contrib.compiler", "tensorflow.contrib.layers",
               "tensorflow.contrib.layers.python",
               "tensorflow.contrib.layers.python.layers"):
    _package(name)
  _module("tensorflow.contrib.compiler.jit", experimental_jit_scope=None)
  sys.modules["tensorflow.contrib.layers.python.layers.layers"] = slim_layers
  sys.modules["tensorflow.contrib.layers.python.layers"].layers = slim_layers
  directory = tempfile.mkdtemp()
  with zipfile.ZipFile(wheel) as archive:
    archive.extractall(directory, [m for m in archive.namelist()
                                   if m.startswith(_SOURCES)])
  public = types.SimpleNamespace()
  for name in ("RNNCell", "BasicRNNCell", "GRUCell", "BasicLSTMCell",
               "LSTMCell", "LSTMStateTuple", "MultiRNNCell"):
    setattr(public, name, getattr(rnn_cell_impl, name))
  for name in _MODULES:
    module = _load(f"{_PACKAGE}.{name}",
                   os.path.join(directory, _SOURCES, name + ".py"))
    for key, value in vars(module).items():
      if not key.startswith("_") and (isinstance(value, type) or
                                      callable(value)):
        if key[0].isupper() or key.startswith("stack_"):
          setattr(public, key, value)
  for name in ("RNNCell", "LSTMStateTuple", "MultiRNNCell", "GRUCell",
               "LSTMCell", "BasicRNNCell", "BasicLSTMCell"):
    setattr(public, name, getattr(rnn_cell_impl, name))
  return public


def main(wheel):
  import warnings  # pylint: disable=g-import-not-at-top
  warnings.simplefilter("ignore")
  import numpy as np  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import make_layers_fixture  # pylint: disable=g-import-not-at-top
  import rnn_contrib_cases  # pylint: disable=g-import-not-at-top
  meta, arrays = make_layers_fixture.record_reference(
      rnn_contrib_cases, tf1_contrib_rnn(wheel),
      {"tensorflow": tf.__version__, "tf.contrib.rnn": "1.15.0"})
  make_layers_fixture._write("rnn_contrib_reference", np, arrays, meta)  # pylint: disable=protected-access


if __name__ == "__main__":
  main(sys.argv[1])
