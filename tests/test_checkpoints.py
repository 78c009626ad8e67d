"""``tf.compat.v1.train.init_from_checkpoint`` in a pass, against TF1 graph mode.

The checkpoint is a real TF1 one, written by ``tf.compat.v1.train.Saver`` in
graph mode (a partitioned variable saved as slices of one tensor). Each
program builds variables and warm-starts them; graph mode reads the values
after running the initializers, the passes after the call.
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import oracle
import tf1scope

v1 = tf.compat.v1

# What the checkpoint holds: name -> (value, partitions or None).
SAVED = {
    "old/dense/kernel": (np.arange(6, dtype=np.float32).reshape(3, 2), None),
    "old/dense/bias": (np.array([10.0, 20.0], np.float32), None),
    "old/emb/table": (np.arange(40, dtype=np.float32).reshape(10, 4) + 100,
                      3),
    "top": (np.array([-1.0, -2.0], np.float32), None),
    "steps": (np.array(7, np.int64), None),
}


def _write_tf1_checkpoint(path):
  with tf.Graph().as_default():
    for name, (value, parts) in SAVED.items():
      kwargs = {}
      if parts:
        kwargs["partitioner"] = v1.fixed_size_partitioner(parts)
      v1.get_variable(name, initializer=tf.constant(value), **kwargs)
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      return v1.train.Saver().save(sess, path)


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory):
  return _write_tf1_checkpoint(str(tmp_path_factory.mktemp("tf1") / "model.ckpt"))


def test_the_checkpoint_is_tf1s_name_based_format(ckpt):
  names = dict(tf.train.list_variables(ckpt))
  assert names == {"old/dense/kernel": [3, 2], "old/dense/bias": [2],
                   "old/emb/table": [10, 4], "top": [2], "steps": []}


def _zeros():
  return v1.zeros_initializer()


def _dense(scope):
  with v1.variable_scope(scope):
    with v1.variable_scope("dense"):
      kernel = v1.get_variable("kernel", [3, 2], initializer=_zeros())
      bias = v1.get_variable("bias", [2], initializer=_zeros())
  return kernel, bias


def _programs(ckpt):
  """(id, program) pairs: every form of assignment map TF1 documents."""

  def scope_to_scope():
    kernel, bias = _dense("new")
    other = v1.get_variable("other", [2], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/": "new/"})
    return [kernel, bias, other]

  def name_to_name():
    kernel, bias = _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/dense/kernel": "new/dense/kernel"})
    return [kernel, bias]

  def variable_objects():
    kernel, bias = _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/dense/bias": bias,
                                         "old/dense/kernel": kernel})
    return [kernel, bias]

  def pairs_one_tensor_twice():
    a = v1.get_variable("a", [2], initializer=_zeros())
    b = v1.get_variable("b", [2], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, [("top", "a"), ("top", "b")])
    return [a, b]

  def root_to_scope():
    with v1.variable_scope("warm"):
      top = v1.get_variable("top", [2], initializer=_zeros())
      steps = v1.get_variable("steps", [], dtype=tf.int64,
                              initializer=_zeros(), trainable=False)
    v1.train.init_from_checkpoint(ckpt, {"/": "warm/"})
    return [top, steps]

  def same_partitions():
    with v1.variable_scope("emb", partitioner=v1.fixed_size_partitioner(3)):
      table = v1.get_variable("table", [10, 4], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/emb/table": "emb/table"})
    return [table]

  def other_partitions():
    with v1.variable_scope("emb", partitioner=v1.fixed_size_partitioner(2)):
      table = v1.get_variable("table", [10, 4], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/emb/": "emb/"})
    return [table]

  def shard_list():
    with v1.variable_scope("emb", partitioner=v1.fixed_size_partitioner(4)):
      table = v1.get_variable("table", [10, 4], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/emb/table": list(table)})
    return [table]

  def slices_into_one_variable():
    flat = v1.get_variable("flat", [10, 4], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/emb/table": "flat"})
    return [flat]

  def one_tensor_into_shards():
    with v1.variable_scope("k", partitioner=v1.fixed_size_partitioner(3)):
      kernel = v1.get_variable("kernel", [3, 2], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/dense/kernel": "k/kernel"})
    return [kernel]

  def tf_variable_object():
    v = tf.Variable(tf.zeros([2]), name="plain")
    v1.train.init_from_checkpoint(ckpt, {"top": v})
    return [v]

  def only_variables_made_so_far():
    kernel, _ = _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/": "new/"})
    with v1.variable_scope("new", reuse=True):
      again = v1.get_variable("dense/kernel", [3, 2])
    with v1.variable_scope("new/dense"):
      late = v1.get_variable("late", [2], initializer=_zeros())
    return [kernel, again, late]

  def directory_of_checkpoints():
    _, bias = _dense("new")
    v1.train.init_from_checkpoint(os.path.dirname(ckpt),
                                  {"old/dense/bias": "new/dense/bias"})
    return [bias]

  def name_missing_from_checkpoint():
    _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/dense/nope": "new/dense/bias"})

  def scope_missing_from_checkpoint():
    _dense("new")
    with v1.variable_scope("new/dense"):
      v1.get_variable("extra", [2], initializer=_zeros())
    v1.train.init_from_checkpoint(ckpt, {"old/": "new/"})

  def shape_mismatch():
    _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/dense/kernel": "new/dense/bias"})

  def scope_mapped_to_a_name():
    _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/dense/kernel": "new/"})

  def variable_not_made_yet():
    v1.train.init_from_checkpoint(ckpt, {"top": "later"})
    v1.get_variable("later", [2], initializer=_zeros())

  return [(fn.__name__, fn) for fn in (
      scope_to_scope, name_to_name, variable_objects, pairs_one_tensor_twice,
      root_to_scope, same_partitions, other_partitions, shard_list,
      slices_into_one_variable, one_tensor_into_shards, tf_variable_object,
      only_variables_made_so_far, directory_of_checkpoints,
      name_missing_from_checkpoint, scope_missing_from_checkpoint,
      shape_mismatch, scope_mapped_to_a_name, variable_not_made_yet)]


_NAMES = [name for name, _ in _programs("unused")]
_RAISING = {"name_missing_from_checkpoint", "scope_missing_from_checkpoint",
            "shape_mismatch", "scope_mapped_to_a_name", "variable_not_made_yet"}


@pytest.mark.parametrize("name", _NAMES)
def test_init_from_checkpoint_matches_graph_mode(ckpt, name):
  program = dict(_programs(ckpt))[name]
  expected = oracle.assert_matches_graph(program)
  assert (expected.error is not None) == (name in _RAISING), expected.error


def test_the_programs_load_the_checkpoints_values(ckpt):
  """The oracle's values are the checkpoint's (the comparison is not of zeros)."""
  got = oracle.run(dict(_programs(ckpt))["scope_to_scope"], "eager")
  kernel, bias, other = got.values
  np.testing.assert_array_equal(kernel, SAVED["old/dense/kernel"][0])
  np.testing.assert_array_equal(bias, SAVED["old/dense/bias"][0])
  assert other == [0.0, 0.0]
  got = oracle.run(dict(_programs(ckpt))["other_partitions"], "function")
  np.testing.assert_array_equal(np.concatenate(got.values),
                                SAVED["old/emb/table"][0])


class _WarmStarted(tf.Module):

  def __init__(self, ckpt):
    super().__init__()
    self._ckpt = ckpt

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    kernel, bias = _dense("new")
    v1.train.init_from_checkpoint(self._ckpt, {"old/": "new/"})
    return tf.matmul(x, kernel) + bias


@pytest.mark.parametrize("mode", oracle.MODES)
def test_later_passes_keep_trained_values(ckpt, mode):
  model = _WarmStarted(ckpt)
  call = model if mode == "eager" else tf.function(
      model.__call__, jit_compile=(mode == "xla"))
  x = tf.ones([1, 3])
  first = call(x).numpy()
  np.testing.assert_array_equal(first, [[16.0, 29.0]])
  optimizer = tf.keras.optimizers.SGD(0.1)
  with tf.GradientTape() as tape:
    loss = tf.reduce_sum(call(x))
  optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                model.trainable_variables))
  trained = {v.name: v.numpy() for v in model.variables}
  after = call(x).numpy()
  call(tf.ones([2, 3]))   # under tf.function, a new trace: a new pass
  for v in model.variables:
    np.testing.assert_array_equal(v.numpy(), trained[v.name])
  assert not np.array_equal(after, first)


def test_a_restored_checkpoint_wins_over_the_warm_start(ckpt, tmp_path):
  trained = _WarmStarted(ckpt)
  trained(tf.ones([1, 3]))
  for v in trained.variables:
    v.assign(tf.fill(v.shape, 5.0))
  path = tf.train.Checkpoint(model=trained).save(str(tmp_path / "tf2"))

  resumed = _WarmStarted(ckpt)
  status = tf.train.Checkpoint(model=resumed).restore(path)
  resumed(tf.ones([1, 3]))   # creates the variables: restored, not warm-started
  status.assert_consumed()
  for v in resumed.variables:
    np.testing.assert_array_equal(v.numpy(), np.full(v.shape, 5.0))


def test_a_variable_made_outside_the_pass_is_refused_by_name(ckpt):
  outside = tf.Variable(tf.zeros([2]), name="outside")

  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      v1.train.init_from_checkpoint(ckpt, {"top": outside})

  with pytest.raises(ValueError, match="cannot initialize outside:0 inside a"):
    M()()
  np.testing.assert_array_equal(outside.numpy(), [0.0, 0.0])


def test_a_dtype_mismatch_raises_at_the_call(ckpt):
  """TF1 raises when the initializer runs; a pass, which runs it at once, raises then."""

  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      v = v1.get_variable("top", [2], dtype=tf.int32, initializer=_zeros())
      v1.train.init_from_checkpoint(ckpt, {"top": "top"})
      return v

  with pytest.raises(tf.errors.InvalidArgumentError, match="dtype"):
    M()()


def test_outside_a_pass_tensorflow_is_unchanged(ckpt):
  """In a user's own TF1 graph inside no pass, TF's init_from_checkpoint runs as is."""
  with tf.Graph().as_default():
    kernel, _ = _dense("new")
    v1.train.init_from_checkpoint(ckpt, {"old/": "new/"})
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      np.testing.assert_array_equal(sess.run(kernel), SAVED["old/dense/kernel"][0])
