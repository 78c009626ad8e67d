"""Pins every TensorFlow-internal behaviour tf1scope/_compat.py relies on.

If a TensorFlow upgrade changes one of these, this file fails and names it,
instead of the library misbehaving silently.
"""

import inspect
import sys

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import init_ops
from tensorflow.python.ops import variable_scope as vs

import tf1scope
from tf1scope import _compat

v1 = tf.compat.v1


def test_get_variable_reaches_the_scope_through_module_globals():
  """tf.compat.v1.get_variable asks get_variable_scope() and the default store by global name."""
  original = _compat.original_function(vs, "get_variable")
  names = original.__code__.co_names
  assert "get_variable_scope" in names
  assert "_get_default_variable_store" in names
  params = list(inspect.signature(vs.VariableScope.get_variable).parameters)
  ours = list(inspect.signature(tf1scope.VariableScope.get_variable).parameters)
  assert params == ours


def test_get_variable_hook_takes_tf1_arguments_in_order():
  """The hook passes tf.compat.v1.get_variable's arguments on positionally."""
  _compat.install_hooks(tf1scope.decorator._HANDLERS)
  original = _compat.original_function(vs, "get_variable")
  assert vs.get_variable is not original
  assert tf.compat.v1.get_variable is vs.get_variable
  want = inspect.signature(original).parameters
  got = inspect.signature(vs.get_variable, follow_wrapped=False).parameters
  hook = inspect.signature(tf1scope.scopes.get_variable).parameters
  assert [(p.name, p.default) for p in want.values()] == [
      (p.name, p.default) for p in got.values()]
  assert list(hook)[1:] == list(want)


def test_get_local_variable_goes_through_get_variable():
  assert "get_variable" in vs.get_local_variable.__code__.co_names


def test_variable_scope_keeps_its_arguments_as_attributes():
  scope = v1.variable_scope("a", reuse=False, auxiliary_name_scope=False)
  args = _compat.variable_scope_args(scope)
  for key in ("_name_or_scope", "_default_name", "_values", "_initializer",
              "_regularizer", "_caching_device", "_partitioner",
              "_custom_getter", "_reuse", "_dtype", "_use_resource",
              "_constraint", "_auxiliary_name_scope"):
    assert key in args, key
  assert args["_reuse"] is None  # TF turns reuse=False into None
  assert args["_auxiliary_name_scope"] is False


def test_variable_scope_context_manager_methods_are_patchable():
  assert isinstance(vs.variable_scope.__dict__["__enter__"], type(lambda: 0))
  assert isinstance(vs.variable_scope.__dict__["__exit__"], type(lambda: 0))


def test_name_scope_v1_delegates_to_its_name_scope_slot():
  assert ops.name_scope_v1.__slots__ == ["_name", "_name_scope"]
  src = inspect.getsource(ops.name_scope_v1.__enter__)
  assert "self._name_scope.__enter__()" in src
  assert v1.name_scope is ops.name_scope_v1


def test_name_scope_v2_exit_pops_an_exit_function():
  assert ops.name_scope_v2.__slots__ == ["_name", "_exit_fns"]
  ns = ops.name_scope_v2("x")
  calls = []
  ns._exit_fns.append(lambda *a: calls.append(a))
  ns.__exit__(None, None, None)
  assert calls == [(None, None, None)]
  assert tf.name_scope is ops.name_scope_v2


def test_eager_name_scope_is_a_string_on_the_context():
  from tensorflow.python.eager import context
  with tf.name_scope("outer"):
    assert context.context().scope_name == "outer/"
    with _compat.real_name_scope("abs/x/"):
      assert tf.get_current_name_scope() == "abs/x"
    assert context.context().scope_name == "outer/"


def test_empty_name_scope_resets_to_the_root():
  with tf.name_scope("outer"):
    with _compat.real_name_scope(""):
      assert tf.Variable(1.0, name="v").name == "v:0"
    with _compat.real_name_scope("abs/"):
      assert tf.Variable(1.0, name="v").name == "abs/v:0"

  @tf.function
  def in_graph():
    with tf.name_scope("outer"):
      with _compat.real_name_scope("abs/"):
        return tf.constant(1.0, name="c").name
  assert in_graph.get_concrete_function().graph.get_operation_by_name("abs/c")


def test_op_scope_is_a_module_function_of_ops():
  assert callable(ops.op_scope)
  assert "op_scope" in dir(v1)


def test_collection_readers_go_through_graph_methods():
  """global_variables(), get_collection and the losses helpers call Graph.get_collection."""
  from tensorflow.python.ops import variables
  from tensorflow.python.ops.losses import util as losses_util
  assert "get_collection" in variables.global_variables.__code__.co_names
  assert "get_collection" in losses_util.get_regularization_losses.__code__.co_names
  assert "get_collection" in inspect.getsource(ops.get_collection)
  assert "add_to_collection" in inspect.getsource(ops.add_to_collection)


def test_tf_function_honours_disabled_variable_lifting():
  """A variable created with lifting disabled does not make tf.function retrace."""
  holder = []

  @tf.function
  def f():
    if not holder:
      with tf.init_scope():
        holder.append(tf.Variable(1.0, experimental_enable_variable_lifting=False))
    return holder[0] + 1.0

  assert float(f()) == 2.0
  assert f.experimental_get_tracing_count() == 1


def test_validate_synchronization_aggregation_trainable():
  sync, agg, trainable = _compat.validate_synchronization_aggregation_trainable(
      tf.VariableSynchronization.ON_READ, None, None, "v")
  assert sync == tf.VariableSynchronization.ON_READ
  assert trainable is False
  assert agg == tf.VariableAggregation.NONE


def test_tf1_initializers_share_a_base_class_with_seed():
  assert isinstance(v1.glorot_uniform_initializer(seed=3), _compat.TFInitializerV1)
  assert v1.glorot_uniform_initializer(seed=3).seed == 3
  assert isinstance(v1.zeros_initializer(), init_ops.Initializer)


def test_fn_args_sees_partition_info_of_tf1_initializers():
  assert "partition_info" in _compat.fn_args(v1.ones_initializer())


def test_public_names_are_the_internal_objects():
  assert _compat.TFVariableScope is v1.VariableScope
  assert _compat.TFVariableScopeContext is v1.variable_scope
  assert _compat.AUTO_REUSE is v1.AUTO_REUSE is tf1scope.AUTO_REUSE


def test_hooks_replace_every_exported_alias():
  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      return v1.get_variable_scope()

  assert isinstance(M()(), tf1scope.VariableScope)
  assert vs.get_variable_scope is v1.get_variable_scope
  assert ops.op_scope is v1.op_scope
  assert vs.get_variable is v1.get_variable
  # Aliases are found by name: no loaded module holds an original under any name.
  originals = {id(_compat.original_function(module, name)): name
               for module, name in ((vs, "get_variable_scope"),
                                    (vs, "get_variable"),
                                    (vs, "_get_default_variable_store"),
                                    (ops, "op_scope"))}
  assert len(originals) == 4
  leftovers = []
  for mod_name, mod in list(sys.modules.items()):
    if mod is None or not mod_name.startswith(("tensorflow", "keras", "tf_keras")):
      continue
    try:
      items = list(vars(mod).items())
    except TypeError:
      continue
    for key, value in items:
      if id(value) in originals:
        leftovers.append(f"{mod_name}.{key}")
  assert not leftovers


def test_partitioned_variable_internals():
  """PartitionedVariable over eager shards, partition_info and save-slice info."""
  a = tf.Variable([[1.0, 2.0]], name="p/part_0")
  b = tf.Variable([[3.0, 4.0]], name="p/part_1")
  for i, shard in enumerate((a, b)):
    _compat.set_save_slice_info(shard, "p", [2, 2], [i, 0], [1, 2])
  assert a._get_save_slice_info().var_offset == [0, 0]
  assert b._get_save_slice_info().full_shape == [2, 2]
  p = _compat.PartitionedVariable(
      name="p", shape=[2, 2], dtype=tf.float32, variable_list=[a, b],
      partitions=[2, 1])
  assert list(_compat.partitions_of(p)) == [2, 1]
  assert tf.convert_to_tensor(p).numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
  info = _compat.partition_info([4, 2], [2, 0])
  assert info.full_shape == [4, 2] and info.var_offset == [2, 0]
  assert "partition_info" in _compat.fn_args(v1.ones_initializer())


def test_default_graph_stack_is_empty_eagerly_and_holds_graphs():
  stack = _compat._graph_stack.stack
  assert not stack
  with tf.Graph().as_default() as g:
    assert _compat._graph_stack.stack[-1] is g

  @tf.function
  def f():
    top = _compat._graph_stack.stack[-1]
    assert top.building_function
    return tf.constant(1)
  f()


def test_eager_scope_name_lives_in_thread_local_data():
  from tensorflow.python.eager import context
  ctx = context.context()
  with tf.name_scope("pinned"):
    assert ctx._thread_local_data.scope_name == "pinned/"


def test_autograph_leaves_tf1scope_code_alone():
  from tensorflow.python.autograph.impl import conversion
  import tf1scope.layers
  assert conversion.is_allowlisted(tf1scope.layers.dense)
  assert conversion.is_allowlisted(tf1scope.track_tf1_style_variables)
  assert not conversion.is_allowlisted(test_autograph_leaves_tf1scope_code_alone)


def test_converted_for_caller_follows_the_autograph_status():
  def f():
    return 1
  assert _compat.converted_for_caller(f) is f   # eager: unspecified status
  seen = []

  @tf.function
  def g():
    seen.append(_compat.converted_for_caller(f) is f)
    return tf.constant(0)
  g()
  assert seen == [False]


def test_decorated_wrapper_is_an_autograph_artifact_and_the_method_is_converted():
  """tf.function(m.__call__) calls the wrapper as it is; the method body is converted."""
  from tensorflow.python.autograph.impl import api as ag_api

  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      v = v1.get_variable("v", [], initializer=v1.ones_initializer())
      if tf.reduce_sum(x) > 0:   # a tensor condition: needs autograph
        y = x * v
      else:
        y = -x
      return y

  assert ag_api.is_autograph_artifact(M.__call__)
  m = M()
  fn = tf.function(m.__call__)
  assert fn(tf.constant(2.0)).numpy() == 2.0
  assert fn(tf.constant(-3.0)).numpy() == 3.0
  with pytest.raises(TypeError, match="bool"):   # without autograph: TF's own error
    tf.function(m.__call__, autograph=False)(tf.constant(2.0))


# --- TrackedTable: the store's tables, tracked as dict attributes ----------------


def _table_keys(path):
  return [key for key, _ in tf.train.list_variables(path)]


def test_trackable_methods_the_tracked_table_overrides_keep_their_signatures():
  from tensorflow.python.trackable import base
  params = inspect.signature(base.Trackable._lookup_dependency).parameters
  assert list(params) == ["self", "name", "cached_dependencies"]
  params = inspect.signature(base.Trackable._trackable_children).parameters
  assert list(params)[:2] == ["self", "save_type"] and "kwargs" in params
  params = inspect.signature(base.Trackable._handle_deferred_dependencies).parameters
  assert list(params) == ["self", "name", "trackable"]
  assert isinstance(base.Trackable._object_identifier, property)


def test_tracked_table_checkpoints_as_a_dict_attribute(tmp_path):
  """Same keys and variables as TF's dict wrapper, for any kind of value."""
  from tensorflow.python.trackable import data_structures

  def items():
    return {"s/v": tf.Variable([1.0]), "b": [tf.Variable(2.0)], "plain": object(),
            "nodep": data_structures.NoDependency(tf.Variable(3.0))}
  as_dict = tf.Module()
  as_dict.table = items()
  as_table = tf.Module()
  as_table.table = _compat.TrackedTable()
  for key, value in items().items():
    as_table.table[key] = value
  want = tf.train.Checkpoint(m=as_dict).save(str(tmp_path / "dict"))
  got = tf.train.Checkpoint(m=as_table).save(str(tmp_path / "table"))
  assert _table_keys(got) == _table_keys(want) == [
      "_CHECKPOINTABLE_OBJECT_GRAPH",
      "m/table/b/0/.ATTRIBUTES/VARIABLE_VALUE",
      "m/table/s.Sv/.ATTRIBUTES/VARIABLE_VALUE",
      "save_counter/.ATTRIBUTES/VARIABLE_VALUE"]
  assert sorted(as_table.table) == ["b", "nodep", "plain", "s/v"]
  assert ([v.numpy().tolist() for v in as_table.variables] ==
          [v.numpy().tolist() for v in as_dict.variables] == [2.0, 3.0, [1.0]])


def _saved_dict_attribute(tmp_path):
  """A checkpoint of a module whose dict attribute ``table`` holds "a/b" = [5, 6]."""
  saved = tf.Module()
  saved.table = {"a/b": tf.Variable([5.0, 6.0])}
  return tf.train.Checkpoint(m=saved).save(str(tmp_path / "ckpt"))


def test_tracked_table_restores_a_value_added_after_restore(tmp_path):
  """Restore-on-create: restore visits the table before the variable exists."""
  path = _saved_dict_attribute(tmp_path)
  fresh = tf.Module()
  fresh.table = _compat.TrackedTable()
  status = tf.train.Checkpoint(m=fresh).restore(path)
  fresh.table["a/b"] = tf.Variable([0.0, 0.0])
  assert fresh.table["a/b"].numpy().tolist() == [5.0, 6.0]
  status.assert_consumed()


def test_tracked_table_knows_which_keys_a_restore_waits_for(tmp_path):
  """``restores_on_add`` reads Trackable's deferred dependencies, consumed on add."""
  path = _saved_dict_attribute(tmp_path)
  fresh = tf.Module()
  fresh.table = _compat.TrackedTable()
  assert not fresh.table.restores_on_add("a/b")
  tf.train.Checkpoint(m=fresh).restore(path)
  assert fresh.table.restores_on_add("a/b")
  assert not fresh.table.restores_on_add("a/c")
  fresh.table["a/b"] = tf.Variable([0.0, 0.0])
  assert not fresh.table.restores_on_add("a/b")


def test_init_from_checkpoint_reads_the_store_and_sets_initializers_by_global_name():
  """TF resolves the map over ``_get_default_variable_store()._vars`` and calls
  ``_set_checkpoint_initializer(variable, ckpt_file, tensor_name, slice_spec)``
  through module globals, so the two hooks see every variable it initializes."""
  from tensorflow.python.training import checkpoint_utils  # pylint: disable=g-import-not-at-top
  resolve = inspect.getsource(checkpoint_utils._init_from_checkpoint)
  assert "vs._get_default_variable_store()._vars" in resolve
  assert "_set_variable_or_list_initializer(" in resolve
  per_variable = checkpoint_utils._set_variable_or_list_initializer.__code__
  assert "_set_checkpoint_initializer" in per_variable.co_names
  original = _compat.original_function(checkpoint_utils,
                                       "_set_checkpoint_initializer")
  assert list(inspect.signature(original).parameters)[:4] == [
      "variable", "ckpt_file", "tensor_name", "slice_spec"]
  assert "_init_from_checkpoint(" in inspect.getsource(
      tf.compat.v1.train.init_from_checkpoint)


def test_deferred_restores_wait_in_two_queues_the_tracked_table_checks():
  """``_handle_deferred_dependencies`` only acts on ``_deferred_dependencies`` and
  ``_self_name_based_restores``; the table skips it when both are empty."""
  from tensorflow.python.trackable import base  # pylint: disable=g-import-not-at-top
  table = _compat.TrackedTable()
  assert not table._deferred_dependencies and not table._self_name_based_restores
  names = base.Trackable._handle_deferred_dependencies.__code__.co_names
  assert {"_deferred_dependencies", "_self_name_based_restores"} <= set(names)


def test_templates_keep_their_graph_state_in_three_attributes():
  """What tf1scope swaps per pass, and the dispatch it shadows on the instance."""
  from tensorflow.python.ops import template  # pylint: disable=g-import-not-at-top
  with tf.Graph().as_default():
    t = template.Template("t", lambda: None)
  state = lambda t: (t._variable_scope, t._variables_created, t._first_call)  # pylint: disable=unnecessary-lambda-assignment
  assert state(t) == (None, False, True)
  t._variables_created, t._first_call = True, False
  fresh = _compat.graph_template_copy(t, "scope")
  assert state(fresh) == ("scope", False, True)
  assert state(t) == (None, True, False) and "_call_func" not in vars(t)
  assert fresh._func is t._func and fresh._name == t._name
  assert "_call_func" in _compat._orig_template_call.__code__.co_names
  assert "_first_call" in _compat._orig_template_call.__code__.co_names
  assert "_call_func" in vars(template.EagerTemplate)
  assert "make_template_internal(" in inspect.getsource(
      _compat.original_function(template, "make_template_internal").__globals__[
          "make_template"])
  assert list(inspect.signature(_compat.original_function(
      template, "make_template_internal")).parameters)[:6] == [
          "name_", "func_", "create_scope_now_", "unique_name_",
          "custom_getter_", "create_graph_function_"]


def test_write_checkpoint_state_is_what_latest_checkpoint_reads(tmp_path):
  path = str(tmp_path / "model.ckpt-7")
  _compat.write_checkpoint_state(str(tmp_path), path)
  assert tf.train.latest_checkpoint(str(tmp_path)) is None   # no files yet
  open(path + ".index", "w").close()
  assert tf.train.latest_checkpoint(str(tmp_path)) == path


def test_tracked_table_restores_into_values_that_exist(tmp_path):
  path = _saved_dict_attribute(tmp_path)
  fresh = tf.Module()
  fresh.table = _compat.TrackedTable()
  fresh.table["a/b"] = tf.Variable([0.0, 0.0])
  tf.train.Checkpoint(m=fresh).restore(path).assert_consumed()
  assert fresh.table["a/b"].numpy().tolist() == [5.0, 6.0]


def test_saved_model_revives_a_tracked_table_as_a_dict_wrapper(tmp_path):
  from tensorflow.python.trackable import data_structures
  module = tf.Module()
  module.table = _compat.TrackedTable()
  module.table["a/b"] = tf.Variable([1.0])
  tf.saved_model.save(module, str(tmp_path / "sm"))
  loaded = tf.saved_model.load(str(tmp_path / "sm"))
  assert isinstance(loaded.table, data_structures._DictWrapper)  # pylint: disable=protected-access
  assert loaded.table["a/b"].numpy().tolist() == [1.0]


def test_tf_module_lists_a_mapping_attributes_values_in_sorted_key_order():
  module = tf.Module()
  module.table = _compat.TrackedTable()
  for name in ["c", "a", "b"]:
    module.table[name] = tf.Variable(0.0, name=name)
  assert [v.name for v in module.variables] == ["a:0", "b:0", "c:0"]


def test_building_function_is_false_eagerly_and_in_tf1_graphs_true_in_traces():
  assert not _compat.building_function()
  with tf.Graph().as_default():
    assert not _compat.building_function()
  seen = []
  tf.function(lambda: seen.append(_compat.building_function()))()
  assert seen == [True]


def test_fused_rnn_cell_ops_have_no_gradient_in_tensorflow_but_ours():
  # TensorFlow registers BlockLSTM's gradient but not LSTMBlockCell's or
  # GRUBlockCell's; tf1scope.rnn_cell_contrib registers those.
  from tensorflow.python.framework import ops  # pylint: disable=g-import-not-at-top
  from tf1scope import rnn_cell_contrib  # pylint: disable=g-import-not-at-top
  assert ops._gradient_registry.lookup("LSTMBlockCell") is (  # pylint: disable=protected-access
      rnn_cell_contrib._lstm_block_cell_grad)  # pylint: disable=protected-access
  assert ops._gradient_registry.lookup("GRUBlockCell") is (  # pylint: disable=protected-access
      rnn_cell_contrib._gru_block_cell_grad)  # pylint: disable=protected-access
  assert ops._gradient_registry.lookup("BlockLSTM").__module__.startswith(  # pylint: disable=protected-access
      "tensorflow")
  # A second registration keeps the first.
  _compat.register_gradient_if_missing("LSTMBlockCell", lambda op, *g: None)
  assert ops._gradient_registry.lookup("LSTMBlockCell") is (  # pylint: disable=protected-access
      rnn_cell_contrib._lstm_block_cell_grad)  # pylint: disable=protected-access


def test_in_xla_context_is_true_inside_jit_compiled_functions_only():
  seen = []

  def probe():
    seen.append(_compat.in_xla_context())
    return tf.constant(0)
  probe()
  tf.function(probe)()
  tf.function(probe, jit_compile=True)()
  tf.function(lambda: tf.function(probe)(), jit_compile=True)()
  assert seen == [False, False, True, True]


def test_in_tf1_while_loop_sees_a_graph_while_body_only():
  assert not _compat.in_tf1_while_loop()
  seen = []

  def body(i):
    seen.append(_compat.in_tf1_while_loop())
    return i + 1

  # TF2 graphs build while_v2 (a function body, no while context); TF1's
  # while context exists with control flow v1, as TF1 built it.
  from tensorflow.python.ops import control_flow_util  # pylint: disable=g-import-not-at-top
  saved = control_flow_util.ENABLE_CONTROL_FLOW_V2
  for v2 in (False, True):
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = v2
    try:
      with tf.Graph().as_default():
        assert not _compat.in_tf1_while_loop()
        tf.compat.v1.while_loop(lambda i: i < 2, body, [tf.constant(0)])
        tf.compat.v1.cond(tf.constant(True), lambda: seen.append(
            _compat.in_tf1_while_loop()) or tf.constant(1),
                          lambda: tf.constant(2))
    finally:
      control_flow_util.ENABLE_CONTROL_FLOW_V2 = saved
  assert seen == [True, False, False, False]


def test_rnn_cell_helpers_are_tensorflows_nest_and_cell_check():
  # TF's check names every missing part of a cell, in TF1's words.
  with pytest.raises(TypeError, match=r"^The argument 'cell' \(3\) is not an "
                     r"RNNCell: 'output_size' property is missing"):
    _compat.assert_like_rnncell("cell", 3)
  shallow = (1, (2, 3))
  assert _compat.map_structure_up_to(
      shallow, lambda a, b: a + b, shallow, (10, (20, 30))) == (11, (22, 33))
  state = (tf.zeros([1]), tf.zeros([1]))
  assert _compat.traverse_shallow_structure(
      lambda s: (False, True) if isinstance(s, tuple) else True, state) == (
          False, True)


# --- Moving averages ------------------------------------------------------------


def _names_used_by(fn_or_code):
  """The global and attribute names a function and the functions nested in it use."""
  code = getattr(inspect.unwrap(fn_or_code), "__code__", fn_or_code)
  names = set(code.co_names)
  for const in code.co_consts:
    if inspect.iscode(const):
      names |= _names_used_by(const)
  return names


def test_moving_averages_see_ops_through_a_view_that_is_tfs_but_for_one_function():
  from tensorflow.python.training import moving_averages
  _compat.install_hooks(tf1scope.decorator._HANDLERS)  # pylint: disable=protected-access
  apply_names = _names_used_by(moving_averages.ExponentialMovingAverage.apply)
  # apply refuses tensors after asking `ops` (its module global) this.
  assert {"ops", "executing_eagerly_outside_functions"} <= apply_names
  # ...and only there: the view changes nothing else in the module.
  assert inspect.getsource(moving_averages).count(
      "executing_eagerly_outside_functions") == 1
  assert "executing_eagerly_outside_functions" in inspect.getsource(
      moving_averages.ExponentialMovingAverage.apply)
  view = moving_averages.ops
  assert view is not ops and view.__name__ == ops.__name__
  assert view.init_scope is ops.init_scope and view.GraphKeys is ops.GraphKeys
  assert view.executing_eagerly_outside_functions() is True   # no pass: TF's
  seen = []
  tf.function(lambda: seen.append(view.executing_eagerly_outside_functions()))()
  assert seen == [True]


def test_zero_debias_is_reached_through_a_module_global_with_tfs_signature():
  from tensorflow.python.training import moving_averages
  import tf1scope.moving_averages as ours  # pylint: disable=g-import-not-at-top
  _compat.install_hooks(tf1scope.decorator._HANDLERS)  # pylint: disable=protected-access
  assert "_zero_debias" in _names_used_by(moving_averages.assign_moving_average)
  hook = moving_averages._zero_debias  # pylint: disable=protected-access
  assert hook is not _compat._orig_zero_debias  # pylint: disable=protected-access
  assert list(inspect.signature(_compat._orig_zero_debias).parameters) == [  # pylint: disable=protected-access
      "strategy", "unbiased_var", "value", "decay"]
  assert len(inspect.signature(ours.zero_debias).parameters) == 4
  # TF's version picks unused names by the op names of the scope's variables,
  # which eager variables do not have.
  assert "op" in _names_used_by(_compat._orig_zero_debias)  # pylint: disable=protected-access
  assert list(inspect.signature(moving_averages._update).parameters) == [  # pylint: disable=protected-access
      "strategy", "var", "update_fn", "args"]
  calls = []
  variable = tf.Variable(1.0)
  # As in assign_moving_average: from the cross-replica context of a merge_call.
  tf.distribute.get_replica_context().merge_call(
      lambda strategy: _compat.update_in_cross_replica_context(
          strategy, variable,
          lambda v, x: calls.append((v, x)) or v.assign(x), (3.0,)))
  assert calls and calls[0][0] is variable and float(variable) == 3.0


def test_estimator_export_helpers_keep_the_signatures_tf1scope_calls():
  """TF1's Estimator export helpers, still shipped by TensorFlow (model_utils)."""
  def params(fn):
    return list(inspect.signature(fn).parameters)
  assert params(_compat.export_outputs_for_mode) == [
      "mode", "serving_export_outputs", "predictions", "loss", "metrics"]
  assert params(_compat.build_all_signature_defs) == [
      "receiver_tensors", "export_outputs", "receiver_tensors_alternatives",
      "serving_only"]
  assert params(_compat.checked_export_outputs) == ["export_outputs", "predictions"]
  assert params(_compat.timestamped_export_dir) == ["export_dir_base"]
  assert params(_compat.temp_export_dir) == ["timestamped_export_dir"]
  assert params(_compat.PredictOutput.__init__) == ["self", "outputs"]
  assert params(_compat.ClassificationOutput.__init__) == ["self", "scores", "classes"]
  assert params(_compat.RegressionOutput.__init__) == ["self", "value"]
  for cls in (_compat.PredictOutput, _compat.ClassificationOutput,
              _compat.RegressionOutput, _compat.EvalOutput):
    assert issubclass(cls, _compat.ExportOutput)
  assert tf1scope.estimator.export.EvalOutput is _compat.EvalOutput
  with tf.Graph().as_default():
    outputs = _compat.checked_export_outputs(None, {"y": tf.ones([1])})
  assert list(outputs) == ["serving_default"]
  assert isinstance(outputs["serving_default"], _compat.PredictOutput)


def test_hooks_find_the_global_step_read_in_its_collection_first():
  """TF's _get_or_create_global_step_read returns a read already in GLOBAL_STEP_READ_KEY."""
  from tensorflow.python.training import training_util  # pylint: disable=g-import-not-at-top
  with tf.Graph().as_default():
    tf.compat.v1.train.get_or_create_global_step()
    read = tf.constant(0, tf.int64)
    tf.compat.v1.add_to_collection(_compat.GLOBAL_STEP_READ_KEY, read)
    assert training_util._get_or_create_global_step_read() is read  # pylint: disable=protected-access


def test_global_seed_block_puts_back_the_seed_it_replaced():
  from tensorflow.python.eager import context  # pylint: disable=g-import-not-at-top
  old = context.global_seed()
  try:
    tf.random.set_seed(11)
    with _compat.global_seed(5):
      assert context.global_seed() == 5
      first = tf.random.uniform([2]).numpy()
    assert context.global_seed() == 11
    with _compat.global_seed(5):
      np.testing.assert_array_equal(tf.random.uniform([2]).numpy(), first)
  finally:
    context.set_global_seed(old)


def test_warm_start_remaps_vocabularies_through_a_module_global_that_assigns():
  """warm_start calls _warm_start_var_with_vocab by its module global; TF's assigns the variable."""
  from tensorflow.python.training import warm_starting_util  # pylint: disable=g-import-not-at-top
  assert "_warm_start_var_with_vocab" in _names_used_by(warm_starting_util.warm_start)
  assert {"assign", "_initializer_op"} <= _names_used_by(
      _compat._orig_warm_start_var_with_vocab)  # pylint: disable=protected-access
  _compat.install_hooks(tf1scope.decorator._HANDLERS)  # pylint: disable=protected-access
  assert (warm_starting_util._warm_start_var_with_vocab is not  # pylint: disable=protected-access
          _compat._orig_warm_start_var_with_vocab)  # pylint: disable=protected-access


def test_variable_op_is_a_property_that_an_eager_handle_refuses():
  """An eager variable's ``op`` asks its handle, which raises AttributeError; TF tests hasattr(v, "op")."""
  from tensorflow.python.ops import resource_variable_ops  # pylint: disable=g-import-not-at-top
  from tensorflow.python.training import optimizer  # pylint: disable=g-import-not-at-top
  assert isinstance(_compat._orig_variable_op, property)  # pylint: disable=protected-access
  assert "handle" in _names_used_by(_compat._orig_variable_op.fget)  # pylint: disable=protected-access
  variable = tf.Variable(1.0)
  with pytest.raises(AttributeError, match="Tensor.op is undefined when eager"):
    _compat._orig_variable_op.fget(variable)  # pylint: disable=protected-access
  # TensorFlow code that tells eager variables by a missing `op`, which a pass keeps.
  assert "op" in _names_used_by(optimizer._var_key)  # pylint: disable=protected-access
  _compat.install_hooks(tf1scope.decorator._HANDLERS)  # pylint: disable=protected-access
  assert resource_variable_ops.BaseResourceVariable.op is not _compat._orig_variable_op  # pylint: disable=protected-access


def test_the_tensorflow_modules_given_a_variable_op_read_only_its_name():
  """StepCounterHook reads ``get_global_step().op.name``; the slot creator ``primary.op.name``."""
  from tensorflow.python.training import basic_session_run_hooks  # pylint: disable=g-import-not-at-top
  from tensorflow.python.training import slot_creator  # pylint: disable=g-import-not-at-top
  assert _compat._TF1_OP_READERS == {  # pylint: disable=protected-access
      basic_session_run_hooks.__name__, slot_creator.__name__}
  source = inspect.getsource(basic_session_run_hooks.StepCounterHook.begin)
  assert "get_global_step().op.name" in source
  source = inspect.getsource(slot_creator)
  assert source.count(".op.") == source.count("primary.op.name")


def test_an_assigns_result_is_a_variable_of_its_own_class():
  """In a graph, assign returns a variable on the same handle whose reads follow the assign."""
  variable = tf.Variable(1.0)
  assert not _compat.is_assign_result(variable)
  results = []

  @tf.function
  def assign():
    results.append(tf.compat.v1.assign(variable, 2.0))
    return results[-1].read_value()

  assert float(assign()) == 2.0
  assert isinstance(results[0], tf.Variable) and _compat.is_assign_result(results[0])


def test_step_counter_hook_records_through_an_overridable_method():
  """StepCounterHook.after_run calls self._log_and_record(elapsed_steps, elapsed_time, global_step)."""
  from tensorflow.python.training import basic_session_run_hooks  # pylint: disable=g-import-not-at-top
  source = inspect.getsource(basic_session_run_hooks.StepCounterHook.after_run)
  assert "self._log_and_record(elapsed_steps, elapsed_time, global_step)" in source
  assert list(inspect.signature(
      basic_session_run_hooks.StepCounterHook._log_and_record).parameters) == [  # pylint: disable=protected-access
          "self", "elapsed_steps", "elapsed_time", "global_step"]


def test_graph_unique_names_come_from_a_table_of_lower_cased_names():
  """A name marked used in Graph._names_in_use makes unique_name give name_1."""
  graph = tf.Graph()
  graph._names_in_use["block/w"] = 1  # pylint: disable=protected-access
  assert graph.unique_name("block/W") == "block/W_1"
  with graph.as_default():
    nodes = _compat.GraphNodeNames(graph, "pass_1/")
  nodes.add("x/v")
  assert "x/v" in nodes and graph.unique_name("pass_1/x/v") == "pass_1/x/v_1"


def test_variables_to_restore_hashes_the_global_variables():
  """TF's ExponentialMovingAverage.variables_to_restore makes a set of variables (unhashable in tf.function)."""
  source = inspect.getsource(_compat._orig_variables_to_restore)  # pylint: disable=protected-access
  assert "set(variables.global_variables())" in source
  from tensorflow.python.training import moving_averages  # pylint: disable=g-import-not-at-top
  _compat.install_hooks(tf1scope.decorator._HANDLERS)  # pylint: disable=protected-access
  assert (moving_averages.ExponentialMovingAverage.variables_to_restore is not
          _compat._orig_variables_to_restore)  # pylint: disable=protected-access
