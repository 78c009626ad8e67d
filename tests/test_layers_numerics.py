"""tf1scope.layers gives the numbers of real tf.compat.v1.layers, eagerly and in tf.function.

Each case of ``layer_cases.NUMERIC_CASES`` was run by TF1 in graph mode
(``make_layers_fixture.py``); here the same function runs with
``tf1scope.layers`` in a decorated module. The weights are copied over by TF1
name (except for cases that check the initializers), then one call must give
TF1's outputs, TF1's ``REGULARIZATION_LOSSES`` and ``UPDATE_OPS`` counts, and
every variable afterwards (the batch-norm moving statistics) must equal TF1's
after one run of ``UPDATE_OPS``.
"""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import tf1scope
import two_cpus
from layers_fixture import CASES
from layers_fixture import JSON_PATH
from layers_fixture import LAYERS
from layers_fixture import META
from layers_fixture import NPZ_PATH
from layers_fixture import TOLERANCE
from layers_fixture import assert_matches_tf1

MODES = ("eager", "function")


def _assert_matches_tf1(name, mode):
  assert_matches_tf1(LAYERS, name, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_tf1(name, mode):
  _assert_matches_tf1(name, mode)


@pytest.mark.parametrize("name,mode", [
    ("small_cnn_training", "autograph"),
    ("dropout_training_tensor", "autograph"),
    ("bn_fused_training", "xla"),
    ("bn_training_tensor_True_unfused", "xla"),
    ("conv2d_channels_first", "xla"),
    ("bn_renorm_training_tensor_True", "xla"),
    ("bn_virtual_batch_renorm", "xla"),
    ("bn_adjustment_training_tensor_True", "autograph"),
])
def test_layer_matches_tf1_with_autograph_and_xla(name, mode):
  """(XLA draws other random numbers than TF1's CPU kernels: no dropout here.)"""
  _assert_matches_tf1(name, mode)


def test_fixture_covers_every_layer_function():
  """A new public layer function without a stored TF1 case fails here."""
  import tf1scope.layers as layers  # pylint: disable=g-import-not-at-top
  functions = {n for n in layers.__all__ if n[0].islower()}
  source = "\n".join(
      str(c.build.__code__.co_names) + str(c.build.__code__.co_consts)
      for c in CASES.values())
  missing = {f for f in functions if f not in source and
             not any(f.startswith(m) for m in ("max_pooling", "average_pooling"))}
  assert not missing, f"no numeric case uses {sorted(missing)}"
  pooled = {n for n in META["cases"] if "pooling" in n}
  for dims in "123":
    for mode in ("max", "average"):
      assert f"{mode}_pooling{dims}d" in pooled


def test_fixture_is_small():
  size = sum(os.path.getsize(p) for p in (NPZ_PATH, JSON_PATH))
  assert size < 2 * 1024 * 1024


def test_eager_gradients_equal_the_tf_nn_ops_gradients():
  """Eager conv2d/conv3d/dense call their ops directly: the tape still sees every variable."""
  import tf1scope.layers as layers  # pylint: disable=g-import-not-at-top

  class Net(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self, x, v):
      h = layers.conv2d(x, 4, 3, strides=2, padding="same",
                        activation=tf.nn.relu, name="c")
      h = layers.dense(tf.reduce_mean(h, [1, 2]), 2, name="d")
      g = layers.conv3d(v, 2, 2, data_format="channels_first", name="c3")
      return tf.reduce_sum(h ** 2) + tf.reduce_sum(g ** 2)

  net = Net()
  x = tf.random.stateless_normal([2, 6, 6, 3], seed=[1, 2])
  v = tf.random.stateless_normal([1, 2, 3, 3, 3], seed=[3, 4])
  net(x, v)
  w = tf1scope.variables_by_name(net)
  with tf.GradientTape() as tape:
    got = net(x, v)
  names = sorted(w)
  got_grads = tape.gradient(got, [w[n] for n in names])
  with tf.GradientTape() as tape:
    h = tf.nn.relu(tf.nn.bias_add(
        tf.nn.conv2d(x, w["c/kernel"], 2, "SAME"), w["c/bias"]))
    h = tf.matmul(tf.reduce_mean(h, [1, 2]), w["d/kernel"]) + w["d/bias"]
    g = tf.nn.bias_add(tf.nn.convolution(
        v, w["c3/kernel"], padding="VALID", data_format="NCDHW"),
        w["c3/bias"], data_format="NCDHW")
    want = tf.reduce_sum(h ** 2) + tf.reduce_sum(g ** 2)
  want_grads = tape.gradient(want, [w[n] for n in names])
  np.testing.assert_allclose(float(got), float(want), **TOLERANCE)
  for name, a, b in zip(names, got_grads, want_grads):
    assert a is not None, name
    np.testing.assert_allclose(a.numpy(), b.numpy(), **TOLERANCE)


_MIRRORED_BATCH_NORM = """
import json

class Model(tf.Module):
  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    flat = tf.reshape(x, [-1, 2])
    y = tf1scope.layers.batch_normalization(x, training=True, name="fused")
    z = tf1scope.layers.batch_normalization(flat, training=True, name="plain")
    r = tf1scope.layers.batch_normalization(flat, training=True, renorm=True,
                                            name="renorm")
    with tf.name_scope("probe") as probe:
      pass
    return tf.reduce_sum(y) + tf.reduce_sum(z * r), probe

rng = np.random.RandomState(0)
data = [rng.normal(size=(2, 2, 2, 2)).astype("float32") + 3.0 * i
        for i in range(2)]

def statistics(model):
  return {n: np.asarray(v.numpy(), dtype=np.float64).ravel().tolist()
          for n, v in tf1scope.variables_by_name(model).items()
          if "moving" in n or "renorm_" in n}

# Each replica's data through its own single-device model.
single = []
for x in data:
  model = Model()
  tf.function(model.__call__)(x)
  single.append(statistics(model))

strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
  model = Model()

@tf.function
def step(x):
  return strategy.run(model.__call__, args=(x,))

dist = strategy.experimental_distribute_values_from_function(
    lambda ctx: tf.constant(data[ctx.replica_id_in_sync_group]))
_, probes = step(dist)
print(json.dumps({
    "mirrored": statistics(model), "single": single,
    "probes": [p.numpy().decode()
               for p in strategy.experimental_local_results(probes)]}))
"""


def test_batch_norm_under_mirrored_strategy_averages_the_replicas_statistics():
  """Moving statistics are sync-on-read (mean): each replica updates its own copy."""
  out = json.loads(two_cpus.run(_MIRRORED_BATCH_NORM)[-1])
  mirrored, single = out["mirrored"], out["single"]
  assert sorted(mirrored) == sorted(single[0])
  assert any("renorm_stddev" in n for n in mirrored)
  for name, value in mirrored.items():
    expected = (np.asarray(single[0][name]) + np.asarray(single[1][name])) / 2
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6,
                               err_msg=name)
  # Replica 1's ops are under TF1's replica scope, so the two replicas' ops
  # (e.g. batch renormalization's named assignments) do not clash.
  assert out["probes"] == ["probe/", "replica_1/probe/"]
