"""Regenerates tests/fixtures/seq2seq_reference.{npz,json} from TF1's own ``tf.contrib.seq2seq``.

``tf.contrib`` left with TensorFlow 2.0, and TensorFlow 1.15 does not install
on this Python. Its ``tf.contrib.seq2seq`` is Python over TensorFlow ops, so
it runs from the TF 1.15 wheel itself, in TF1 graph mode, on TensorFlow 2.15
(the last release with TF1's Keras-based cells and ``tf.layers`` inside it),
with TF1's RNN cells and ``tf.layers.Dense`` (TensorFlow's frozen copies).
Its one compiled op, ``GatherTree``, is TensorFlow Addons' build of the same
kernel (the library needs CUDA's runtime library loaded, even on CPU):

    python3 -m venv /tmp/tf215
    /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1 tensorflow-addons==0.23.0 \
        nvidia-cuda-runtime-cu12==12.2.140
    pip download --no-deps --only-binary=:all: --python-version 37 \\
        --platform manylinux2010_x86_64 tensorflow-cpu==1.15.0 -d /tmp/tf115
    LD_PRELOAD=/tmp/tf215/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12 \
    /tmp/tf215/bin/python tests/make_seq2seq_fixture.py \\
        /tmp/tf115/tensorflow_cpu-1.15.0-cp37-cp37m-manylinux2010_x86_64.whl

Every case of ``seq2seq_cases.py`` runs as ``make_layers_fixture.py`` runs
its cases (names, weights, outputs, gradients); ``test_seq2seq.py``
compares tf1scope's with what is stored, without any of these packages.
"""

import importlib.util
import os
import sys
import tempfile
import types
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
_SOURCES = "tensorflow_core/contrib/seq2seq/python/ops/"
_MODULES = ("loss", "decoder", "helper", "sampler", "basic_decoder",
            "attention_wrapper",
            "beam_search_ops", "beam_search_decoder")
_PACKAGE = "tensorflow.contrib.seq2seq.python.ops"


def _package(name):
  module = sys.modules.get(name)
  if module is None:
    module = types.ModuleType(name)
    module.__path__ = []
    sys.modules[name] = module
    parent, _, leaf = name.rpartition(".")
    if parent in sys.modules:
      setattr(sys.modules[parent], leaf, module)
  return module


def _module(name, **attributes):
  module = types.ModuleType(name)
  module.__dict__.update(attributes)
  sys.modules[name] = module
  parent, _, leaf = name.rpartition(".")
  setattr(_package(parent), leaf, module)
  return module


def tf1_seq2seq(wheel):
  """TF 1.15's ``tf.contrib.seq2seq``, executed from ``wheel`` (a namespace of its public names)."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tensorflow_addons.seq2seq import beam_search_decoder as tfa_beam  # pylint: disable=g-import-not-at-top
  from tensorflow.python.framework import ops  # pylint: disable=g-import-not-at-top
  from tensorflow.python.ops import control_flow_ops  # pylint: disable=g-import-not-at-top
  if not hasattr(ops, "Tensor"):
    ops.Tensor = tf.Tensor
  for name, fn in (("cond", tf.compat.v1.cond),
                   ("while_loop", tf.compat.v1.while_loop)):
    if not hasattr(control_flow_ops, name):
      setattr(control_flow_ops, name, fn)
  for name in ("tensorflow.contrib", "tensorflow.contrib.seq2seq",
               "tensorflow.contrib.seq2seq.python", _PACKAGE,
               "tensorflow.contrib.seq2seq.ops", "tensorflow.contrib.util",
               "tensorflow.contrib.framework",
               "tensorflow.contrib.framework.python",
               "tensorflow.contrib.framework.python.framework"):
    _package(name)
  # The kernel itself (tfa.seq2seq.gather_tree may fall back to Python).
  gather_tree = tfa_beam._beam_search_so.ops.addons_gather_tree  # pylint: disable=protected-access
  _module("tensorflow.contrib.seq2seq.ops.gen_beam_search_ops",
          gather_tree=gather_tree)
  _module("tensorflow.contrib.util.loader", load_op_library=lambda path: None)
  directory = tempfile.mkdtemp()
  with zipfile.ZipFile(wheel) as archive:
    members = [m for m in archive.namelist() if m.startswith(_SOURCES) or
               m.startswith("tensorflow_core/contrib/framework/python/"
                            "framework/tensor_util.py")]
    archive.extractall(directory, members)
  _load("tensorflow.contrib.framework.python.framework.tensor_util",
        os.path.join(directory, "tensorflow_core/contrib/framework/python/"
                     "framework/tensor_util.py"))
  public = types.SimpleNamespace()
  for name in _MODULES:
    module = _load(f"{_PACKAGE}.{name}",
                   os.path.join(directory, _SOURCES, name + ".py"))
    for key in getattr(module, "__all__", ()):
      setattr(public, key, getattr(module, key))
  public.gather_tree = gather_tree
  return public


def _load(name, path):
  spec = importlib.util.spec_from_file_location(name, path)
  module = importlib.util.module_from_spec(spec)
  sys.modules[name] = module
  parent, _, leaf = name.rpartition(".")
  setattr(_package(parent), leaf, module)
  spec.loader.exec_module(module)
  return module


def main(wheel):
  import warnings  # pylint: disable=g-import-not-at-top
  warnings.simplefilter("ignore")
  sys.path[:0] = [HERE]
  import numpy as np  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tensorflow.python.layers import core as tf1_layers  # pylint: disable=g-import-not-at-top
  from tensorflow.python.ops import rnn_cell_impl  # pylint: disable=g-import-not-at-top
  import make_layers_fixture  # pylint: disable=g-import-not-at-top
  import seq2seq_cases  # pylint: disable=g-import-not-at-top
  v1 = tf.compat.v1
  END = seq2seq_cases.END  # pylint: disable=invalid-name
  namespace = types.SimpleNamespace(seq2seq=tf1_seq2seq(wheel),
                                    rnn=rnn_cell_impl, layers=tf1_layers)
  meta, arrays = make_layers_fixture.record_reference(
      seq2seq_cases, namespace,
      {"tensorflow": tf.__version__, "tf.contrib.seq2seq": "1.15.0"})
  meta["gather_tree_errors"] = {}
  for name, (ids, parents, lengths) in seq2seq_cases.GATHER_TREE_ERRORS.items():
    with tf.Graph().as_default(), v1.Session() as sess:
      beams = namespace.seq2seq.gather_tree(ids, parents, lengths, END)
      try:
        meta["gather_tree_errors"][name] = {"beams": sess.run(beams).tolist()}
      except tf.errors.InvalidArgumentError as e:
        # TensorFlow 2.15 puts "Graph execution error:" before the kernel's message.
        lines = [line for line in e.message.split("\n") if line.strip()]
        if lines[0].startswith("Graph execution error"):
          lines = lines[1:]
        meta["gather_tree_errors"][name] = {
            "error": [type(e).__name__, lines[0].strip()]}
  make_layers_fixture._write("seq2seq_reference", np, arrays, meta)  # pylint: disable=protected-access


if __name__ == "__main__":
  main(sys.argv[1])
