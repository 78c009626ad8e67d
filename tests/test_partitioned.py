"""Partitioned variables (``get_variable(..., partitioner=...)``) against TF1 graph mode."""

import keras
import numpy as np
import pytest
import tensorflow as tf
# TF1's own class, which tf.compat.v1.nn.embedding_lookup checks for.
from tensorflow.python.ops import variables as tf_variables

import oracle
import tf1scope
from tf1scope import shards

v1 = tf.compat.v1
REGULARIZATION_LOSSES = v1.GraphKeys.REGULARIZATION_LOSSES

# Programs compared in eager and tf.function mode; XLA runs a few of them.
FAST_MODES = ("eager", "function")


def _table(rows, cols, dtype=tf.float32):
  return tf.cast(tf.reshape(tf.range(rows * cols), [rows, cols]), dtype)


def _offset_initializer(shape, dtype=None, partition_info=None):
  """Deterministic and partition-aware: every entry is full_rows * 100 + offset row."""
  full = partition_info.full_shape if partition_info else shape
  offset = partition_info.var_offset if partition_info else [0] * len(shape)
  return tf.fill(shape, tf.cast(full[0] * 100 + offset[0] * 10 + offset[-1],
                                dtype))


# --- Programs: names, shapes, values --------------------------------------------


def fixed_size_uneven():
  """5 rows in 3 shards: the first shards take one row more."""
  p = v1.get_variable("p", initializer=_table(5, 3),
                      partitioner=v1.fixed_size_partitioner(3))
  return [p, len(p), [v for v in p], p.name, p.get_shape().as_list(),
          p.shape.as_list(), p.dtype.name, p.as_tensor(),
          tf.convert_to_tensor(p), v1.global_variables(),
          v1.trainable_variables()]


def axis_one_custom_partitioner():
  p = v1.get_variable("w", [4, 7], initializer=_offset_initializer,
                      partitioner=lambda shape, dtype: [1, 3])
  return [p, p.as_tensor(), tf.matmul(tf.ones([2, 4]), p)]


def library_partitioners():
  a = v1.get_variable("a", [10, 4], initializer=v1.ones_initializer(),
                      partitioner=v1.variable_axis_size_partitioner(64))
  b = v1.get_variable("b", [10, 4], initializer=v1.ones_initializer(),
                      partitioner=v1.min_max_variable_partitioner(
                          max_partitions=4, min_slice_size=32))
  c = v1.get_variable("c", [6, 2, 3], initializer=v1.ones_initializer(),
                      partitioner=v1.fixed_size_partitioner(2, axis=2))
  d = v1.get_variable("d", [2, 3], initializer=v1.ones_initializer(),
                      partitioner=v1.fixed_size_partitioner(1))
  return [a, b, c, d, c.as_tensor(), d.as_tensor()]


def scalar_ignores_partitioner():
  return [v1.get_variable("s", [], partitioner=v1.fixed_size_partitioner(3),
                          initializer=v1.constant_initializer(2.0))]


def scope_default_partitioner():
  with v1.variable_scope("layer", partitioner=v1.fixed_size_partitioner(2)):
    w = v1.get_variable("w", [4, 2], initializer=v1.ones_initializer())
    with v1.variable_scope("inner"):
      b = v1.get_variable("b", [3], initializer=v1.zeros_initializer())
    u = v1.get_variable("u", [4, 2], initializer=v1.ones_initializer(),
                        partitioner=v1.fixed_size_partitioner(4))
  return [w, b, u, v1.global_variables()]


def initializer_kinds():
  """Tensor, numpy and list values are sliced; callables see partition_info."""
  from_tensor = v1.get_variable("t", initializer=_table(5, 2, tf.int32),
                                partitioner=v1.fixed_size_partitioner(2))
  from_array = v1.get_variable(
      "n", [3, 2], initializer=np.arange(6, dtype=np.float32).reshape(3, 2),
      partitioner=v1.fixed_size_partitioner(2))
  from_list = v1.get_variable("l", [2, 2], initializer=[[1., 2.], [3., 4.]],
                              partitioner=v1.fixed_size_partitioner(2))
  aware = v1.get_variable("aware", [5, 2], initializer=_offset_initializer,
                          partitioner=v1.fixed_size_partitioner(3))
  seeded = v1.get_variable("glorot", [6, 4],
                           initializer=v1.glorot_uniform_initializer(seed=7),
                           partitioner=v1.fixed_size_partitioner(2))
  ints = v1.get_variable("ints", [4, 2], dtype=tf.int64,
                         partitioner=v1.fixed_size_partitioner(2))
  return [from_tensor, from_array, from_list, aware, seeded, ints]


def _clip(x):
  return tf.clip_by_value(x, 0.0, 1.0)


def dtype_trainable_collections_constraint():
  constraint = _clip
  p = v1.get_variable("p", [4, 2], dtype=tf.float64, trainable=False,
                      collections=["mine", v1.GraphKeys.GLOBAL_VARIABLES],
                      initializer=v1.ones_initializer(),
                      partitioner=v1.fixed_size_partitioner(2),
                      constraint=constraint)
  return [p, v1.get_collection("mine"), v1.trainable_variables(),
          v1.global_variables(), [v.constraint is constraint for v in p]]


def regularized():
  p = v1.get_variable("p", initializer=_table(5, 2),
                      partitioner=v1.fixed_size_partitioner(2),
                      regularizer=lambda v: tf.reduce_sum(v) * 0.5)
  losses = v1.get_collection(REGULARIZATION_LOSSES)
  return [p, len(losses), [tf.convert_to_tensor(l) for l in losses]]


def initializer_name_scopes_are_used():
  """TF1 builds each shard's initial value under <shard>/PartitionedInitializer."""
  v1.get_variable("e", [4, 2], partitioner=v1.fixed_size_partitioner(2))
  with tf.name_scope("e/part_1/PartitionedInitializer") as a:
    pass
  with tf.name_scope("e") as b:
    pass
  return [a, b]


def custom_getter_sees_partitioner():
  def rename(getter, name, *args, **kwargs):
    seen.append(kwargs["partitioner"] is not None)
    return getter(name + "_g", *args, **kwargs)
  seen = []
  with v1.variable_scope("s", custom_getter=rename):
    p = v1.get_variable("w", [4, 2], initializer=v1.ones_initializer(),
                        partitioner=v1.fixed_size_partitioner(2))
  return [p, seen]


def embedding_lookups():
  p = v1.get_variable("emb", initializer=_table(7, 3),
                      partitioner=v1.fixed_size_partitioner(3))
  ids = tf.constant([[0, 3], [6, 2], [5, 5]])
  return [v1.nn.embedding_lookup(p, ids, partition_strategy="mod"),
          v1.nn.embedding_lookup(p, ids, partition_strategy="div"),
          tf.nn.embedding_lookup(list(p), ids),
          tf.nn.embedding_lookup(p.as_tensor(), ids)]


# --- Programs: reuse and identity ------------------------------------------------


def reuse_returns_the_same_object():
  part = v1.fixed_size_partitioner(3)
  with v1.variable_scope("enc"):
    p = v1.get_variable("emb", [6, 2], partitioner=part)
  with v1.variable_scope("enc", reuse=True):
    q = v1.get_variable("emb")
    r = v1.get_variable("emb", [6, 2], partitioner=part)
  with v1.variable_scope("enc", reuse=v1.AUTO_REUSE):
    s = v1.get_variable("emb", [6, 2], partitioner=part)
  with v1.variable_scope("enc", reuse=True):
    shard = v1.get_variable("emb/part_1", [2, 2])
  return [p, q is p, r is p, s is p, shard is list(p)[1], v1.global_variables()]


def reuse_with_other_partitions():
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))
  with v1.variable_scope("", reuse=True):
    v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(2))


def reuse_with_other_shape():
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))
  with v1.variable_scope("", reuse=v1.AUTO_REUSE):
    v1.get_variable("p", [6, 3], partitioner=v1.fixed_size_partitioner(3))


def reuse_with_other_dtype():
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))
  with v1.variable_scope("", reuse=True):
    v1.get_variable("p", dtype=tf.float64)


def created_twice():
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))


def partitioned_then_without_partitioner():
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))
  v1.get_variable("p", [6, 2])


def unpartitioned_then_with_partitioner():
  v1.get_variable("p", [6, 2])
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))


def reuse_missing_with_partitioner():
  with v1.variable_scope("", reuse=True):
    v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(3))


def shards_made_by_hand_then_fewer():
  v1.get_variable("p/part_0", [3, 2])
  v1.get_variable("p/part_1", [3, 2])
  v1.get_variable("p/part_2", [3, 2])
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(2))


def shards_made_by_hand_then_more():
  v1.get_variable("p/part_0", [3, 2])
  v1.get_variable("p", [6, 2], partitioner=v1.fixed_size_partitioner(2))


def two_axes():
  v1.get_variable("p", [4, 4], partitioner=lambda shape, dtype: [2, 2])


def wrong_rank():
  v1.get_variable("p", [4, 4], partitioner=lambda shape, dtype: [2])


def zero_partitions():
  v1.get_variable("p", [4, 4], partitioner=lambda shape, dtype: [0, 1])


def not_a_sequence():
  v1.get_variable("p", [4, 4], partitioner=lambda shape, dtype: 2)


def not_callable():
  v1.get_variable("p", [4, 4], partitioner=3)


def value_without_shape():
  v1.get_variable("p", initializer=[[1., 2.], [3., 4.]],
                  partitioner=v1.fixed_size_partitioner(2))


def constant_initializer_of_full_value():
  """Callables are called per shard, so a full-size constant does not fit a shard."""
  v1.get_variable("p", [4, 2], partitioner=v1.fixed_size_partitioner(2),
                  initializer=v1.constant_initializer(np.ones([4, 2])))


VALUE_PROGRAMS = [
    fixed_size_uneven, axis_one_custom_partitioner, library_partitioners,
    scalar_ignores_partitioner, scope_default_partitioner, initializer_kinds,
    dtype_trainable_collections_constraint, regularized,
    initializer_name_scopes_are_used, custom_getter_sees_partitioner,
    embedding_lookups,
]

ERROR_PROGRAMS = [
    reuse_with_other_partitions, reuse_with_other_shape,
    reuse_with_other_dtype, created_twice,
    partitioned_then_without_partitioner, unpartitioned_then_with_partitioner,
    reuse_missing_with_partitioner, shards_made_by_hand_then_fewer,
    shards_made_by_hand_then_more, two_axes, wrong_rank, zero_partitions,
    not_a_sequence, not_callable, value_without_shape,
]


@pytest.mark.parametrize("program", VALUE_PROGRAMS, ids=lambda p: p.__name__)
def test_partitioned_variable_matches_graph_mode(program):
  outcome = oracle.assert_matches_graph(program, modes=FAST_MODES)
  assert outcome.error is None, outcome.error


@pytest.mark.parametrize("program", [fixed_size_uneven, embedding_lookups],
                         ids=lambda p: p.__name__)
def test_partitioned_variable_matches_graph_mode_under_xla(program):
  oracle.assert_matches_graph(program, modes=("xla",))


def test_reuse_matches_graph_mode():
  outcome = oracle.assert_matches_graph(reuse_returns_the_same_object,
                                        modes=FAST_MODES, with_values=False)
  assert outcome.output[1:5] == [True, True, True, True]


@pytest.mark.parametrize("program", ERROR_PROGRAMS, ids=lambda p: p.__name__)
def test_errors_are_tf1_errors(program):
  outcome = oracle.assert_matches_graph(program, modes=("eager",))
  assert outcome.error is not None and outcome.error[0] is ValueError


def test_constant_initializer_of_full_value_fails_as_in_tf1():
  graph = oracle.run(constant_initializer_of_full_value, "graph")
  eager = oracle.run(constant_initializer_of_full_value, "eager")
  assert graph.error is not None and eager.error is not None


def test_tf1_messages():
  expected = {
      reuse_with_other_partitions: "Trying to reuse partitioned variable p, "
                                   "but specified partitions [2, 1] and "
                                   "found partitions [3, 1].",
      partitioned_then_without_partitioner:
          "No partitioner was provided, but a partitioned version of the "
          "variable was found: p/part_0.",
      unpartitioned_then_with_partitioner:
          "A partitioner was provided, but an unpartitioned version of the "
          "variable was found: p.",
      created_twice: "Partitioned variable with name p already exists.",
  }
  for program, message in expected.items():
    assert oracle.run(program, "graph").error == (ValueError, message)
    assert oracle.run(program, "eager").error == (ValueError, message)


# --- The pass model ----------------------------------------------------------------


class Embedder(tf.Module):
  """A partitioned embedding and a dense layer partitioned on axis 1."""

  def __init__(self, partitioned=True, reuse=None):
    super().__init__()
    self.partitioned = partitioned
    self.reuse = reuse

  @tf1scope.track_tf1_style_variables
  def __call__(self, ids):
    with v1.variable_scope("model", reuse=self.reuse):
      emb = v1.get_variable(
          "emb", initializer=_table(10, 4) / 40.0,
          partitioner=(v1.fixed_size_partitioner(3) if self.partitioned
                       else None))
      w = v1.get_variable(
          "w", initializer=_table(4, 3) / 12.0,
          partitioner=((lambda shape, dtype: [1, 2]) if self.partitioned
                       else None))
    params = list(emb) if self.partitioned else emb
    hidden = tf.nn.embedding_lookup(params, ids)
    self.last = (emb, w)
    return tf.matmul(hidden, w)


def test_same_object_across_passes_and_in_tf_function():
  model = Embedder()
  ids = tf.constant([1, 5, 9])
  model(ids)
  emb, w = model.last
  model(ids)
  assert model.last[0] is emb and model.last[1] is w
  tf.function(model.__call__)(ids)
  assert model.last[0] is emb and model.last[1] is w
  assert isinstance(emb, tf_variables.PartitionedVariable)


def test_reuse_true_in_a_later_pass_fetches_the_partitioned_variable():
  model = Embedder()
  ids = tf.constant([1, 5, 9])
  model(ids)
  emb, w = model.last
  model.reuse = True
  model(ids)
  assert model.last[0] is emb and model.last[1] is w


class Resharded(tf.Module):
  """Asks for 3 shards, then (in later passes) for ``self.count``."""

  def __init__(self):
    super().__init__()
    self.count = 3

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    return v1.get_variable("emb", [10, 4],
                           partitioner=v1.fixed_size_partitioner(self.count))


def test_later_pass_with_other_partitions_raises():
  """The stored shards cannot be re-cut: a later pass must ask for the same split."""
  model = Resharded()
  first = model()
  assert model() is first
  model.count = 2
  with pytest.raises(ValueError, match="specified partitions .2, 1. and "
                     r"found partitions .3, 1.\."):
    model()


def test_owner_tracks_the_shards():
  model = Embedder()
  model(tf.constant([0]))
  names = ["model/emb/part_0", "model/emb/part_1", "model/emb/part_2",
           "model/w/part_0", "model/w/part_1"]
  assert list(tf1scope.variables_by_name(model)) == names
  assert sorted(v.name for v in model.variables) == [n + ":0" for n in names]
  model(tf.constant([0]))
  assert len(model.variables) == 5


def test_save_slice_info_matches_graph_mode():
  def program():
    return [v1.get_variable("emb", [7, 3],
                            partitioner=v1.fixed_size_partitioner(3)),
            v1.get_variable("w", [4, 7],
                            partitioner=lambda shape, dtype: [1, 2])]

  def slice_infos(partitioned_list):
    return [[(s.full_name, s.full_shape, s.var_offset, s.var_shape)
             for s in (v._get_save_slice_info() for v in p)]
            for p in partitioned_list]

  with tf.Graph().as_default():
    expected = slice_infos(program())
  owner = oracle.make_owner(program)
  got = slice_infos(oracle.run_pass(owner, "eager"))
  assert got == expected
  assert got[0][2] == ("emb", [7, 3], [5, 0], [2, 3])


def test_assign_splits_a_full_value_as_in_tf1():
  value = np.arange(14, dtype=np.float32).reshape(7, 2)

  def program():
    return v1.get_variable("p", [7, 2], partitioner=v1.fixed_size_partitioner(3))

  with tf.Graph().as_default():
    p = program()
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      sess.run(p.assign(value))
      expected = [sess.run(v).tolist() for v in p]
  owner = oracle.make_owner(program)
  p = oracle.run_pass(owner, "eager")
  p.assign(value)
  assert [v.numpy().tolist() for v in p] == expected
  tf.function(lambda: p.assign(value * 2))()
  assert [v.numpy().tolist() for v in p] == [
      (np.asarray(e) * 2).tolist() for e in expected]


def test_lookup_equals_the_unpartitioned_equivalent():
  ids = tf.constant([[0, 9], [4, 5], [3, 3]])
  plain, parted = Embedder(partitioned=False), Embedder()
  expected = plain(ids).numpy()
  np.testing.assert_allclose(parted(ids).numpy(), expected, rtol=1e-6)
  np.testing.assert_allclose(
      tf.function(parted.__call__)(ids).numpy(), expected, rtol=1e-6)
  np.testing.assert_allclose(
      v1.nn.embedding_lookup(parted.last[0], ids, partition_strategy="div"),
      tf.nn.embedding_lookup(plain.last[0], ids), rtol=1e-6)


@pytest.mark.parametrize("optimizer", [keras.optimizers.SGD,
                                       keras.optimizers.Adam],
                         ids=lambda o: o.__name__)
def test_training_step_updates_every_shard_like_unpartitioned(optimizer):
  ids = tf.constant([1, 5, 9, 5])
  results = []
  for partitioned in (True, False):
    model = Embedder(partitioned)
    model(ids)
    opt = optimizer(0.1)

    @tf.function
    def step(model=model, opt=opt):
      with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(model(ids)))
      variables = model.trainable_variables
      grads = tape.gradient(loss, variables)
      opt.apply_gradients(zip(grads, variables))
      return grads

    before = [v.numpy() for v in model.trainable_variables]
    grads = step()
    assert all(g is not None for g in grads)
    for _ in range(2):
      step()
    after = [v.numpy() for v in model.trainable_variables]
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))
    emb, w = model.last
    results.append((tf.convert_to_tensor(emb).numpy(),
                    tf.convert_to_tensor(w).numpy()))
  for got, expected in zip(*results):
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_checkpoint_round_trip(tmp_path):
  ids = tf.constant([1, 2])
  model = Embedder()
  model(ids)
  emb = model.last[0]
  path = tf.train.Checkpoint(model=model).write(str(tmp_path / "ckpt"))
  saved = emb.as_tensor().numpy()
  emb.assign(np.zeros([10, 4], np.float32))
  tf.train.Checkpoint(model=model).read(path).assert_consumed()
  np.testing.assert_array_equal(emb.as_tensor().numpy(), saved)


def test_slices_rule():
  assert list(shards.slices([7, 2], [3, 1])) == [
      ([0, 0], [3, 2]), ([3, 0], [2, 2]), ([5, 0], [2, 2])]
  assert list(shards.slices([2, 5], [1, 5])) == [
      ([0, i], [2, 1]) for i in range(5)]
  assert list(shards.slices([2, 3], [4, 1])) == [
      ([0, 0], [1, 3]), ([1, 0], [1, 3]), ([2, 0], [0, 3]), ([2, 0], [0, 3])]
