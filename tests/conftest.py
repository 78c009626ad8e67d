import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402


@pytest.fixture(autouse=True)
def _reset_global_seed():
  """A test that seeds TensorFlow's global generator leaves it unseeded afterwards."""
  yield
  tf.random.set_seed(None)
