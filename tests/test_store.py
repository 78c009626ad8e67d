"""The store's tracked tables: checkpoint keys, restore (also before the first call), order.

The tables (``_tf1scope_store.tf1_variables`` and ``.tf1_layers``) are
checkpointed exactly as the dict attributes they used to be, so checkpoints
written by earlier versions still load. Adding to them is O(1); that is checked
by what they are and what adding calls, never by timing.
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import tf1scope
from tf1scope import _compat
from tf1scope import store as store_lib

v1 = tf.compat.v1


def body():
  """Scopes in non-sorted order, a non-trainable variable, a tf.Variable, a layer."""
  with v1.variable_scope("b"):
    v1.get_variable("z", [2], initializer=v1.ones_initializer())
    v1.get_variable("a", [2], trainable=False, initializer=v1.zeros_initializer())
  with v1.variable_scope("a"):
    v1.get_variable("k", [3], initializer=v1.zeros_initializer())
  tf.Variable(1.0, name="tv")


class Model(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    body()


class Many(tf.Module):
  """``n`` variables in blocks of 10 per variable scope."""

  def __init__(self, n):
    super().__init__()
    self.n = n

  @tf1scope.track_tf1_style_variables
  def __call__(self):
    for b in range(self.n // 10):
      with v1.variable_scope("block%d" % b):
        for i in range(10):
          v1.get_variable("v%d" % i, [2], initializer=v1.zeros_initializer())


def _keys(path):
  return [key for key, _ in tf.train.list_variables(path)]


def _values(module):
  return {name: var.numpy() for name, var in tf1scope.variables_by_name(module).items()}


def _assert_same_values(got_module, want_module):
  """Both modules hold the same TF1 names, in the same order, with equal values."""
  want = _values(want_module)
  got = _values(got_module)
  assert list(got) == list(want)
  assert want
  for name in want:
    np.testing.assert_array_equal(got[name], want[name], err_msg=name)


def _randomize(module, seed=0):
  rng = np.random.default_rng(seed)
  for var in module.variables:
    var.assign(rng.normal(size=var.shape).astype(var.dtype.as_numpy_dtype))


def _saved_many(tmp_path, n, seed):
  """A ``Many(n)`` after one call, its variables randomized and checkpointed: (model, path)."""
  model = Many(n)
  model()
  _randomize(model, seed=seed)
  return model, tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))


def _old_layout(values):
  """The object layout of the previous version: dict attributes of the store module."""
  root = tf.Module()
  old_store = tf.Module(name="tf1scope_store")
  old_store.tf1_variables = {name: tf.Variable(value, name=name)
                             for name, value in values.items()}
  old_store.tf1_layers = {}
  setattr(root, store_lib.STORE_ATTRIBUTE, old_store)
  return root


# --- Checkpoint keys ------------------------------------------------------------


def test_checkpoint_keys_are_the_dict_attribute_keys(tmp_path):
  model = Model()
  model()
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  assert _keys(path) == [
      "_CHECKPOINTABLE_OBJECT_GRAPH",
      "model/_tf1scope_store/tf1_variables/a.Sk/.ATTRIBUTES/VARIABLE_VALUE",
      "model/_tf1scope_store/tf1_variables/b.Sa/.ATTRIBUTES/VARIABLE_VALUE",
      "model/_tf1scope_store/tf1_variables/b.Sz/.ATTRIBUTES/VARIABLE_VALUE",
      "model/_tf1scope_store/tf1_variables/tv/.ATTRIBUTES/VARIABLE_VALUE",
      "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
  ]


def test_checkpoint_keys_match_the_previous_versions_layout(tmp_path):
  model = Model()
  model()
  new = tf.train.Checkpoint(model=model).save(str(tmp_path / "new"))
  old = tf.train.Checkpoint(model=_old_layout(_values(model))).save(str(tmp_path / "old"))
  assert _keys(new) == _keys(old)


def test_checkpoint_object_graph_lists_variables_in_creation_order(tmp_path):
  from tensorflow.core.protobuf import trackable_object_graph_pb2
  model = Model()
  model()
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  graph = trackable_object_graph_pb2.TrackableObjectGraph()
  graph.ParseFromString(tf.train.load_checkpoint(path).get_tensor(
      "_CHECKPOINTABLE_OBJECT_GRAPH"))
  by_id = dict(enumerate(graph.nodes))

  def child(node, name):
    return by_id[next(c.node_id for c in node.children if c.local_name == name)]

  store_node = child(child(by_id[0], "model"), "_tf1scope_store")
  assert [c.local_name for c in store_node.children] == ["tf1_variables", "tf1_layers"]
  table = child(store_node, "tf1_variables")
  assert [c.local_name for c in table.children] == ["b/z", "b/a", "a/k", "tv"]


def test_a_layer_is_checkpointed_under_its_scope_path(tmp_path):
  outside = tf.Module()
  outside.w = tf.Variable([1.0, 2.0])   # created outside any pass: only the layer has it

  class WithLayer(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("x"):
        tf1scope.get_or_create_layer("lay", lambda: outside)
        tf1scope.get_or_create_layer("plain", object)   # not trackable: not saved

  model = WithLayer()
  model()
  store = store_lib.store_of(model)
  assert sorted(store.tf1_layers) == ["x/lay", "x/plain"]
  path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
  assert _keys(path) == [
      "_CHECKPOINTABLE_OBJECT_GRAPH",
      "model/_tf1scope_store/tf1_layers/x.Slay/w/.ATTRIBUTES/VARIABLE_VALUE",
      "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
  ]


# --- Variables as tf.Module and tf_keras list them ------------------------------


def test_variables_are_listed_in_tf1_name_order():
  model = Model()
  model()
  assert [v.name for v in model.variables] == ["a/k:0", "b/a:0", "b/z:0", "tv:0"]
  assert [v.name for v in model.trainable_variables] == ["a/k:0", "b/z:0", "tv:0"]
  assert list(tf1scope.variables_by_name(model)) == ["b/z", "b/a", "a/k", "tv"]


def test_tf_keras_layer_lists_the_stored_variables():
  tf_keras = pytest.importorskip("tf_keras")

  class Layer(tf_keras.layers.Layer):

    @tf1scope.track_tf1_style_variables
    def call(self, x):
      body()
      return x

  layer = Layer()
  layer(tf.ones([1, 2]))
  assert [w.name for w in layer.trainable_weights] == ["a/k:0", "b/z:0", "tv:0"]
  assert [w.name for w in layer.weights] == ["a/k:0", "b/z:0", "tv:0", "b/a:0"]


# --- Restore --------------------------------------------------------------------


def test_checkpoint_of_the_previous_version_restores_after_the_first_call(tmp_path):
  reference = Model()
  reference()
  _randomize(reference)
  old = tf.train.Checkpoint(model=_old_layout(_values(reference))).save(
      str(tmp_path / "old"))
  model = Model()
  model()
  tf.train.Checkpoint(model=model).restore(old).assert_consumed()
  _assert_same_values(model, reference)


def test_checkpoint_of_the_previous_version_restores_before_the_first_call(tmp_path):
  reference = Model()
  reference()
  _randomize(reference)
  old = tf.train.Checkpoint(model=_old_layout(_values(reference))).save(
      str(tmp_path / "old"))
  model = Model()
  status = tf.train.Checkpoint(model=model).restore(old)
  model()
  status.assert_consumed()
  _assert_same_values(model, reference)


def test_checkpoint_of_2000_variables_round_trips(tmp_path):
  model, path = _saved_many(tmp_path, 2000, seed=1)
  assert len(_keys(path)) == 2000 + 2
  fresh = Many(2000)
  fresh()
  tf.train.Checkpoint(model=fresh).restore(path).assert_consumed()
  _assert_same_values(fresh, model)


def test_deferred_restore_of_many_variables(tmp_path):
  model, path = _saved_many(tmp_path, 1000, seed=2)
  fresh = Many(1000)
  status = tf.train.Checkpoint(model=fresh).restore(path)
  status.assert_existing_objects_matched()
  with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
    status.assert_consumed()     # the variables do not exist yet
  fresh()
  status.assert_consumed()
  _assert_same_values(fresh, model)


def test_deferred_restore_when_the_first_call_is_traced(tmp_path):
  model, path = _saved_many(tmp_path, 20, seed=4)
  fresh = Many(20)
  status = tf.train.Checkpoint(model=fresh).restore(path)
  tf.function(fresh.__call__)()
  status.assert_consumed()
  _assert_same_values(fresh, model)


def test_restore_reports_variables_the_checkpoint_does_not_have(tmp_path):
  small = Many(10)
  small()
  path = tf.train.Checkpoint(model=small).save(str(tmp_path / "ckpt"))
  bigger = Many(20)
  bigger()
  status = tf.train.Checkpoint(model=bigger).restore(path)
  with pytest.raises(AssertionError, match="not bound to checkpointed values"):
    status.assert_existing_objects_matched()
  with pytest.raises(AssertionError, match="not bound to checkpointed values"):
    status.assert_consumed()
  status.expect_partial()


def test_restore_reports_checkpointed_variables_the_model_does_not_have(tmp_path):
  bigger = Many(20)
  bigger()
  path = tf.train.Checkpoint(model=bigger).save(str(tmp_path / "ckpt"))
  small = Many(10)
  small()
  status = tf.train.Checkpoint(model=small).restore(path)
  status.assert_existing_objects_matched()
  with pytest.raises(AssertionError, match="block1/v0"):
    status.assert_consumed()
  status.expect_partial()


def test_saved_model_revives_the_tables_as_dicts(tmp_path):
  model = Model()
  model()
  _randomize(model, seed=3)
  model.read = tf.function(lambda: tf1scope.variables_by_name(model)["a/k"] + 0.0,
                           input_signature=[])
  tf.saved_model.save(model, str(tmp_path / "sm"))
  loaded = tf.saved_model.load(str(tmp_path / "sm"))
  table = getattr(loaded, store_lib.STORE_ATTRIBUTE).tf1_variables
  assert sorted(table.keys()) == ["a/k", "b/a", "b/z", "tv"]
  np.testing.assert_array_equal(table["b/z"].numpy(), _values(model)["b/z"])
  np.testing.assert_array_equal(loaded.read().numpy(), _values(model)["a/k"])
  assert _keys(os.path.join(str(tmp_path / "sm"), "variables", "variables")) == [
      "_CHECKPOINTABLE_OBJECT_GRAPH",
      "_tf1scope_store/tf1_variables/a.Sk/.ATTRIBUTES/VARIABLE_VALUE",
      "_tf1scope_store/tf1_variables/b.Sa/.ATTRIBUTES/VARIABLE_VALUE",
      "_tf1scope_store/tf1_variables/b.Sz/.ATTRIBUTES/VARIABLE_VALUE",
      "_tf1scope_store/tf1_variables/tv/.ATTRIBUTES/VARIABLE_VALUE",
  ]


# --- Adding is O(1) -------------------------------------------------------------


def test_tables_hold_a_plain_dict_and_adding_never_walks_them(monkeypatch):
  calls = []
  original = _compat.TrackedTable._trackable_children

  def counting(self, *args, **kwargs):
    calls.append(self)
    return original(self, *args, **kwargs)

  monkeypatch.setattr(_compat.TrackedTable, "_trackable_children", counting)
  model = Many(200)
  model()
  store = store_lib.store_of(model)
  for table in (store.tf1_variables, store.tf1_layers):
    assert type(table) is _compat.TrackedTable   # pylint: disable=unidiomatic-typecheck
    assert type(table._items) is dict            # pylint: disable=protected-access,unidiomatic-typecheck
  assert len(store.tf1_variables) == 200
  assert not calls   # no per-insert snapshot, copy or walk of the table
