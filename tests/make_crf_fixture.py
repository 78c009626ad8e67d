"""Regenerates tests/fixtures/crf_reference.{npz,json} from TF1's own ``tf.contrib.crf``.

TensorFlow 1.15's ``crf.py`` is Python over TensorFlow ops; it runs from the
TF 1.15 wheel in TF1 graph mode on TensorFlow 2.15:

    python3 -m venv /tmp/tf215 && /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1
    /tmp/tf215/bin/python tests/make_crf_fixture.py \\
        /tmp/tf115/tensorflow_cpu-1.15.0-cp37-cp37m-manylinux2010_x86_64.whl

(the wheel as ``make_seq2seq_fixture.py`` downloads it). ``test_crf.py``
compares tf1scope's with what is stored.
"""

import os
import sys
import tempfile
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE]
from make_seq2seq_fixture import _load, _package  # noqa: E402  pylint: disable=wrong-import-position

_SOURCE = "tensorflow_core/contrib/crf/python/ops/crf.py"


def tf1_crf(wheel):
  """TF 1.15's ``tf.contrib.crf`` module, executed from ``wheel``."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tensorflow.python.framework import ops  # pylint: disable=g-import-not-at-top
  from tensorflow.python.ops import array_ops  # pylint: disable=g-import-not-at-top
  if not hasattr(ops, "Tensor"):
    ops.Tensor = tf.Tensor
  if not hasattr(array_ops, "stack"):   # moved out of array_ops since TF 1.15
    array_ops.stack = tf.stack
  for name in ("tensorflow.contrib", "tensorflow.contrib.crf",
               "tensorflow.contrib.crf.python",
               "tensorflow.contrib.crf.python.ops"):
    _package(name)
  directory = tempfile.mkdtemp()
  with zipfile.ZipFile(wheel) as archive:
    archive.extract(_SOURCE, directory)
  return _load("tensorflow.contrib.crf.python.ops.crf",
               os.path.join(directory, _SOURCE))


def main(wheel):
  import warnings  # pylint: disable=g-import-not-at-top
  warnings.simplefilter("ignore")
  import numpy as np  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import crf_cases  # pylint: disable=g-import-not-at-top
  import make_layers_fixture  # pylint: disable=g-import-not-at-top
  crf = tf1_crf(wheel)
  meta, arrays = make_layers_fixture.record_reference(
      crf_cases, crf, {"tensorflow": tf.__version__, "tf.contrib.crf": "1.15.0"})
  meta["viterbi"] = []
  for scores, transitions in crf_cases.VITERBI:
    tags, score = crf.viterbi_decode(scores, transitions)
    meta["viterbi"].append([[int(t) for t in tags], float(score)])
  make_layers_fixture._write("crf_reference", np, arrays, meta)  # pylint: disable=protected-access


if __name__ == "__main__":
  main(sys.argv[1])
