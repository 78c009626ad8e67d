"""Regenerates tests/fixtures/hparam_reference.json from TF1's own HParams.

``tf.contrib.training.HParams`` left with ``tf.contrib`` in TensorFlow 2.0,
and TensorFlow 1.15 does not install on this Python. Its ``hparam.py`` is
plain Python, so it runs here from the TensorFlow 1.15 wheel itself:

    pip download --no-deps --only-binary=:all: --python-version 37 \\
        --platform manylinux2010_x86_64 tensorflow-cpu==1.15.0 -d /tmp/tf115
    python tests/make_hparam_fixture.py /tmp/tf115/tensorflow_cpu-1.15.0-cp37-cp37m-manylinux2010_x86_64.whl

Its two TensorFlow imports that TF 2 lacks (the ``HParamDef`` protocol
buffer module, only used by ``to_proto``) are stand-ins; every other line is
TF1's. ``tests/test_hparam.py`` runs the same scenarios
(``hparam_cases.py``) with tf1scope's and compares.
"""

import json
import os
import sys
import types
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hparam_cases  # noqa: E402  pylint: disable=wrong-import-position

_SOURCE = "tensorflow_core/contrib/training/python/training/hparam.py"
_PACKAGE = "tensorflow.contrib.training.python.training"


def tf1_hparam_module(wheel):
  """TF 1.15's ``hparam`` module, executed from ``wheel``."""
  import tensorflow  # noqa: F401  pylint: disable=g-import-not-at-top,unused-import
  with zipfile.ZipFile(wheel) as archive:
    source = archive.read(_SOURCE).decode("utf-8")
  parts = _PACKAGE.split(".")
  for i in range(2, len(parts) + 1):   # tensorflow.contrib... as empty packages
    name = ".".join(parts[:i])
    sys.modules.setdefault(name, types.ModuleType(name))
  proto = types.ModuleType(_PACKAGE + ".hparam_pb2")
  proto.HParamDef = type("HParamDef", (), {})
  sys.modules[proto.__name__] = proto
  setattr(sys.modules[_PACKAGE], "hparam_pb2", proto)
  module = types.ModuleType(_PACKAGE + ".hparam")
  exec(compile(source, _SOURCE, "exec"), module.__dict__)  # pylint: disable=exec-used
  return module


def main(wheel):
  reference = hparam_cases.record(tf1_hparam_module(wheel))
  path = os.path.join(HERE, "fixtures", "hparam_reference.json")
  with open(path, "w") as f:
    json.dump(reference, f, indent=1, sort_keys=True)
  print(f"wrote {path}: {sum(len(v) for v in reference.values())} records")


if __name__ == "__main__":
  main(sys.argv[1])
