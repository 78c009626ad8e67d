"""Runs a test script in a fresh process that has two logical CPUs (for MirroredStrategy).

Logical devices must be set before TensorFlow initializes them, so such
tests run their script in a child process. The script is given the
names ``os``, ``np``, ``tf``, ``tf1scope`` and ``v1`` and ``sys.argv``.
"""

import subprocess
import sys

_PREAMBLE = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
import tf1scope
v1 = tf.compat.v1
_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    _cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
"""


def run(script, *args):
  """Runs ``script`` after the preamble; returns its stdout lines (raises if it fails)."""
  proc = subprocess.run([sys.executable, "-c", _PREAMBLE + script, *args],
                        capture_output=True, text=True, check=False)
  assert proc.returncode == 0, proc.stderr[-3000:]
  return proc.stdout.strip().splitlines()
