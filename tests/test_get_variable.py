"""Every argument of ``tf.compat.v1.get_variable``, against TF1 graph mode."""

import functools

import numpy as np
import pytest
import tensorflow as tf

import oracle
import tf1scope

v1 = tf.compat.v1
GraphKeys = v1.GraphKeys


def _collections():
  """What a program returns to compare the standard variable collections."""
  return {
      "global": v1.global_variables(),
      "trainable": v1.trainable_variables(),
      "local": v1.local_variables(),
  }


# --- shape --------------------------------------------------------------------


SHAPES = {
    "scalar": [], "list": [3], "matrix": [2, 3], "tuple": (2, 3), "int": 4,
    "TensorShape": tf.TensorShape([2, 1, 3]), "numpy": np.array([2, 2]),
    "zero_size": [0, 2],
}


def test_shape():
  def program():
    return {name: v1.get_variable(name, shape,
                                  initializer=v1.ones_initializer())
            for name, shape in SHAPES.items()}
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.parametrize("name", ["bad name", "a:b", "_x", "-x"])
def test_invalid_name(name):
  def program():
    return [v1.get_variable(name, [1])]
  out = oracle.assert_matches_graph(program, with_values=False)
  assert out.error == (ValueError,
                       f"'{name}' is not a valid root scope name.")


def test_names_valid_in_a_scope():
  def program():
    with v1.variable_scope("s"):
      return [v1.get_variable("_x", [1]), v1.get_variable("x/y", [1]),
              v1.get_variable("x.y-z", [1]), v1.get_variable("", [1])]
  oracle.assert_matches_graph_without_error(program, with_values=False)


def test_shape_not_fully_defined_needs_a_no_argument_initializer():
  def program():
    return [v1.get_variable("v", [None, 3])]
  out = oracle.assert_matches_graph(program)
  assert out.error == (ValueError, "The initializer passed is not valid.")


# --- dtype --------------------------------------------------------------------


DTYPES = {
    "float32": tf.float32, "float64": tf.float64, "float16": tf.float16,
    "int32": tf.int32, "int64": tf.int64, "uint8": tf.uint8, "bool": tf.bool,
    "string": tf.string, "str": "float64", "numpy": np.int32,
    "ref": tf.as_dtype("float32_ref"),
}


def test_explicit_dtype():
  def program():
    return {name: v1.get_variable(name, [2], dtype=dtype,
                                  initializer=v1.zeros_initializer())
            for name, dtype in DTYPES.items()}
  oracle.assert_matches_graph_without_error(program)


VALUE_INITIALIZERS = {
    "tensor_int32": lambda: tf.constant([[1, 2]]),
    "tensor_float64": lambda: tf.constant(1.5, tf.float64),
    "tensor_bool": lambda: tf.constant([True, False]),
    "numpy_float64": lambda: np.array([1.0, 2.0]),
    "numpy_int64": lambda: np.arange(3, dtype=np.int64),
    "python_floats": lambda: [1.0, 2.0],
    "python_int": lambda: 3,
    "python_bools": lambda: [[True], [False]],
    "python_string": lambda: "text",
}


def test_dtype_inferred_from_value_initializer():
  def program():
    return {name: v1.get_variable(name, initializer=make())
            for name, make in VALUE_INITIALIZERS.items()}
  oracle.assert_matches_graph_without_error(program)


def test_value_initializer_reused_in_same_pass():
  def program():
    a = v1.get_variable("i", initializer=tf.constant([[1, 2]]))
    with v1.variable_scope("", reuse=True):
      b = v1.get_variable("i", dtype=tf.int32)
    with v1.variable_scope("", reuse=v1.AUTO_REUSE):
      c = v1.get_variable("i", dtype=tf.int32,
                          initializer=tf.constant([[5, 6]]))
    return [a, b, c]
  oracle.assert_matches_graph_without_error(program)


def test_value_initializer_reused_without_dtype():
  """TF1 checks the scope's dtype (float32) against the shared int variable."""
  def program():
    a = v1.get_variable("i", initializer=tf.constant([[1, 2]]))
    with v1.variable_scope("", reuse=v1.AUTO_REUSE):
      b = v1.get_variable("i", initializer=tf.constant([[5, 6]]))
    return [a, b]
  out = oracle.assert_matches_graph(program)
  assert out.error == (
      ValueError, "Trying to share variable i, but specified dtype float32 and "
      "found dtype int32.")


def test_explicit_dtype_matching_value_initializer():
  def program():
    return [v1.get_variable("i", dtype=tf.int32, initializer=tf.constant(1)),
            v1.get_variable("f", dtype=tf.float64, initializer=np.zeros([2]))]
  oracle.assert_matches_graph_without_error(program)


def test_explicit_dtype_not_matching_value_initializer():
  def program():
    return [v1.get_variable("i", dtype=tf.float32, initializer=tf.constant(1))]
  out = oracle.assert_matches_graph(program)
  assert out.error == (
      ValueError, "Initializer type '<dtype: 'int32'>' and explicit dtype "
      "'<dtype: 'float32'>' don't match.")


def test_scope_dtype_is_default_dtype():
  def program():
    with v1.variable_scope("s", dtype=tf.float64):
      a = v1.get_variable("a", [1], initializer=v1.ones_initializer())
      with v1.variable_scope("t"):
        b = v1.get_variable("b", [1], initializer=v1.ones_initializer())
      c = v1.get_variable("c", [1], dtype=tf.int32)
      d = v1.get_variable("d", initializer=tf.constant([1.0]))
    return [a, b, c, d]
  oracle.assert_matches_graph_without_error(program)


# --- initializer --------------------------------------------------------------


def _fill_two(shape, dtype=None, partition_info=None):
  del partition_info
  return tf.fill(shape, tf.constant(2, dtype))


class _Callable:

  def __call__(self, shape, dtype):
    return tf.ones(shape, dtype) * 7


INSTANCES = {
    "v1_constant": lambda: v1.constant_initializer(2.5),
    "v1_constant_list": lambda: v1.constant_initializer([1, 2, 3, 4, 5, 6]),
    "v1_ones": lambda: v1.ones_initializer(),
    "v1_zeros": lambda: v1.zeros_initializer(dtype=tf.float32),
    "v2_constant": lambda: tf.constant_initializer(3.0),
    "v2_ones": lambda: tf.ones_initializer(),
    "v2_zeros": lambda: tf.zeros_initializer(),
}


def test_initializer_instance():
  def program():
    return {name: v1.get_variable(name, [2, 3], initializer=make())
            for name, make in INSTANCES.items()}
  oracle.assert_matches_graph_without_error(program)


CLASSES = {
    "v1_zeros": v1.zeros_initializer, "v1_ones": v1.ones_initializer,
    "v2_ones": tf.ones_initializer, "v2_zeros": tf.zeros_initializer,
}


def test_initializer_class():
  def program():
    out = {}
    for name, initializer_class in CLASSES.items():
      out[name] = v1.get_variable(name, [2], initializer=initializer_class)
      out[name + "_int"] = v1.get_variable(name + "_int", [2], dtype=tf.int64,
                                           initializer=initializer_class)
    return out
  oracle.assert_matches_graph_without_error(program)


CALLABLES = {
    "with_partition_info": _fill_two,
    "lambda": lambda shape, dtype: tf.ones(shape, dtype) * 3,
    "kwargs": lambda shape, **kwargs: tf.ones(shape, kwargs["dtype"]) * 4,
    "partial": functools.partial(
        lambda value, shape, dtype: tf.fill(shape, value), 5.0),
    "object": _Callable(),
}


def test_initializer_callable():
  def program():
    return {name: v1.get_variable(name, [2, 2], initializer=initializer)
            for name, initializer in CALLABLES.items()}
  oracle.assert_matches_graph_without_error(program)


def test_initializer_callable_without_arguments_and_no_shape():
  def program():
    a = v1.get_variable("a", initializer=lambda: tf.constant([1.0, 2.0]))
    b = v1.get_variable("b", initializer=lambda x=3: tf.fill([x], 1))
    return [a, b]
  oracle.assert_matches_graph_without_error(program)


def test_initializer_callable_without_arguments_given_a_shape():
  def program():
    return [v1.get_variable("a", [2], initializer=lambda: tf.zeros([2]))]
  out = oracle.assert_matches_graph(program)
  assert out.error[0] is TypeError


def test_scope_initializer_is_default_initializer():
  def program():
    with v1.variable_scope("s", initializer=v1.constant_initializer(5)):
      a = v1.get_variable("a", [2])
      i = v1.get_variable("i", [2], dtype=tf.int32)
      with v1.variable_scope("inner"):
        b = v1.get_variable("b", [1])
      c = v1.get_variable("c", [1], initializer=v1.ones_initializer())
      d = v1.get_variable("d", initializer=[7.0, 8.0])
    with v1.variable_scope("s"):
      e = v1.get_variable("e", [1], dtype=tf.int32)
    return [a, i, b, c, d, e]
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.xfail(
    reason="initializers run as eager ops in a pass; an error raised by an op "
    "has a different message eagerly than in a graph", strict=True)
def test_initializer_error_message():
  def program():
    return [v1.get_variable("i", [2], dtype=tf.int32,
                            initializer=v1.constant_initializer(5.5))]
  out = oracle.assert_matches_graph(program)
  assert out.error[0] is TypeError


def test_default_initializer_is_zeros_for_int_bool_and_string():
  def program():
    return [v1.get_variable(name, [2, 2], dtype=dtype)
            for name, dtype in [("i32", tf.int32), ("i64", tf.int64),
                                ("u8", tf.uint8), ("b", tf.bool),
                                ("s", tf.string)]]
  oracle.assert_matches_graph_without_error(program)


def test_no_default_initializer_for_complex():
  def program():
    return [v1.get_variable("c", [2], dtype=tf.complex64)]
  out = oracle.assert_matches_graph(program)
  assert out.error == (
      ValueError, "An initializer for variable c of <dtype: 'complex64'> is "
      "required")


@pytest.mark.parametrize("mode", oracle.MODES)
def test_default_initializer_is_glorot_uniform_for_floats(mode):
  def program():
    return [v1.get_variable("w", [20, 30]),
            v1.get_variable("d", [30, 20], dtype=tf.float64)]
  oracle.assert_matches_graph_without_error(program, modes=(mode,),
                                            with_values=False)
  owner = oracle.make_owner(program)
  oracle.run_pass(owner, mode)
  limit = np.sqrt(6.0 / (20 + 30))
  for variable in tf1scope.variables_by_name(owner).values():
    value = variable.numpy()
    assert np.all(np.abs(value) <= limit)
    # Uniform on [-limit, limit] has standard deviation limit / sqrt(3).
    assert abs(value.std() - limit / np.sqrt(3)) < 0.03


# Seeded TF1 initializers give the same values in every TF1 graph.
SEEDED = {
    "random_normal": lambda: v1.random_normal_initializer(seed=1),
    "truncated_normal": lambda: v1.truncated_normal_initializer(
        stddev=0.5, seed=2),
    "random_uniform": lambda: v1.random_uniform_initializer(-1, 1, seed=3),
    "glorot_uniform": lambda: v1.glorot_uniform_initializer(seed=4),
    "glorot_normal": lambda: v1.glorot_normal_initializer(seed=5),
    "orthogonal": lambda: v1.orthogonal_initializer(seed=6),
    "variance_scaling": lambda: v1.variance_scaling_initializer(seed=7),
    "uniform_unit_scaling": lambda: v1.uniform_unit_scaling_initializer(
        seed=8),
    "he_normal": lambda: v1.keras.initializers.he_normal(seed=9),
    "v2_random_normal": lambda: tf.random_normal_initializer(seed=10),
    "v2_glorot_uniform": lambda: tf.initializers.GlorotUniform(seed=11),
}


def test_seeded_initializer_gives_tf1_values():
  def program():
    out = {}
    for name, make in SEEDED.items():
      init = make()
      with v1.variable_scope(name):
        out[name] = [v1.get_variable("a", [3, 4], initializer=init),
                     v1.get_variable("b", [3, 4], initializer=init),
                     v1.get_variable("c", [2, 2], initializer=make())]
    return out
  oracle.assert_matches_graph_without_error(program)


def test_seeded_initializer_under_graph_seed():
  def program():
    v1.set_random_seed(1234)
    return [v1.get_variable("a", [3, 4], initializer=SEEDED["random_normal"]()),
            v1.get_variable("b", [2, 2],
                            initializer=SEEDED["glorot_uniform"]())]
  try:
    oracle.assert_matches_graph_without_error(program)
  finally:
    tf.random.set_seed(None)


@pytest.mark.parametrize("mode", [
    pytest.param("eager", marks=pytest.mark.xfail(
        reason="eagerly, tf.compat.v1.set_random_seed sets the process-wide "
        "seed; tf1scope does not route it to the pass", strict=True)),
    "function"])
def test_graph_seed_stays_in_the_pass(mode):
  """In TF1 a graph-level seed belongs to the graph being built."""
  def program():
    v1.set_random_seed(1234)
    return []
  assert v1.get_seed(None) == (None, None)
  try:
    oracle.run_pass(oracle.make_owner(program), mode)
    assert v1.get_seed(None) == (None, None)
  finally:
    tf.random.set_seed(None)


# --- regularizer --------------------------------------------------------------


def _losses():
  """The regularization losses as TF1 code reads them inside a pass."""
  return {
      "collection": v1.get_collection(GraphKeys.REGULARIZATION_LOSSES),
      "losses": v1.losses.get_regularization_losses(),
      "total": v1.losses.get_regularization_loss(),
  }


def _half_sum(v):
  return tf.reduce_sum(v) * 0.5


def test_regularizer_argument():
  def program():
    w = v1.get_variable("w", [2], initializer=v1.ones_initializer(),
                        regularizer=_half_sum)
    v1.get_variable("u", [2], initializer=v1.ones_initializer())
    with v1.variable_scope("s"):
      x = v1.get_variable("x", [3], initializer=v1.constant_initializer(2.0),
                          regularizer=lambda v: tf.reduce_sum(v * v))
    return [w, x, _losses()]
  oracle.assert_matches_graph_without_error(program)


def test_regularizer_scope_default():
  def program():
    with v1.variable_scope("s", regularizer=_half_sum):
      a = v1.get_variable("a", [2], initializer=v1.ones_initializer())
      with v1.variable_scope("inner"):
        b = v1.get_variable("b", [2], initializer=v1.constant_initializer(3.0))
      c = v1.get_variable("c", [2], initializer=v1.ones_initializer(),
                          regularizer=lambda v: tf.reduce_sum(v) * 10.0)
      d = v1.get_variable("d", [2], initializer=v1.ones_initializer(),
                          regularizer=v1.no_regularizer)
    return [a, b, c, d, _losses()]
  oracle.assert_matches_graph_without_error(program)


def test_regularizer_returning_none_adds_no_loss():
  def program():
    w = v1.get_variable("w", [2], regularizer=lambda v: None)
    return [w, len(v1.get_collection(GraphKeys.REGULARIZATION_LOSSES))]
  oracle.assert_matches_graph_without_error(program, with_values=False)


def test_regularizer_loss_added_once_per_variable():
  def program():
    with v1.variable_scope("s", regularizer=_half_sum):
      a = v1.get_variable("a", [2], initializer=v1.ones_initializer())
    with v1.variable_scope("s", reuse=True):
      b = v1.get_variable("a", [2])
    with v1.variable_scope("s", reuse=v1.AUTO_REUSE, regularizer=_half_sum):
      c = v1.get_variable("a", [2])
    return [a, b, c, _losses()]
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.parametrize("mode", [
    pytest.param("eager", marks=pytest.mark.xfail(
        reason="eager tensors have no names, so no loss matches a scope "
        "regex", strict=True)),
    "function", "xla"])
def test_regularization_losses_filtered_by_scope(mode):
  def program():
    with v1.variable_scope("s"):
      v1.get_variable("a", [2], initializer=v1.ones_initializer(),
                      regularizer=_half_sum)
    with v1.variable_scope("t"):
      v1.get_variable("a", [2], initializer=v1.ones_initializer(),
                      regularizer=_half_sum)
    return {"s": v1.losses.get_regularization_losses(scope="s"),
            "t": v1.get_collection(GraphKeys.REGULARIZATION_LOSSES, "t/"),
            "none": v1.losses.get_regularization_losses(scope="u")}
  oracle.assert_matches_graph_without_error(program, modes=(mode,))


# --- trainable, synchronization, aggregation ----------------------------------


@pytest.mark.parametrize("trainable", [True, False, None])
def test_trainable(trainable):
  def program():
    v = v1.get_variable("v", [1], trainable=trainable)
    return [v, _collections()]
  oracle.assert_matches_graph_without_error(program, with_values=False)


SYNCHRONIZATIONS = {
    "on_read": (tf.VariableSynchronization.ON_READ, None),
    "on_read_untrainable": (tf.VariableSynchronization.ON_READ, False),
    "on_read_trainable": (tf.VariableSynchronization.ON_READ, True),
    "on_write": (tf.VariableSynchronization.ON_WRITE, None),
    "none": (tf.VariableSynchronization.NONE, None),
    "auto_untrainable": (tf.VariableSynchronization.AUTO, False),
}


def test_trainable_default_from_synchronization():
  def program():
    out = {}
    for name, (synchronization, trainable) in SYNCHRONIZATIONS.items():
      v = v1.get_variable(name, [1], synchronization=synchronization,
                          trainable=trainable)
      out[name] = [v, v.synchronization]
    out["collections"] = _collections()
    return out
  oracle.assert_matches_graph_without_error(program, with_values=False)


AGGREGATIONS = {
    "sum": tf.VariableAggregation.SUM, "mean": tf.VariableAggregation.MEAN,
    "first_replica": tf.VariableAggregation.ONLY_FIRST_REPLICA,
    "first_tower": v1.VariableAggregation.ONLY_FIRST_TOWER,
    "none": v1.VariableAggregation.NONE,
}


def test_aggregation():
  def program():
    out = {}
    for name, aggregation in AGGREGATIONS.items():
      v = v1.get_variable(name, [1], aggregation=aggregation)
      out[name] = [v, v.aggregation, v.synchronization]
    return out
  oracle.assert_matches_graph_without_error(program, with_values=False)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"synchronization": "bogus"}, "Invalid variable synchronization mode"),
    ({"synchronization": 17}, "Invalid variable synchronization mode"),
    ({"aggregation": "bogus"}, "Invalid variable aggregation mode"),
], ids=["synchronization_string", "synchronization_int", "aggregation"])
def test_invalid_synchronization_or_aggregation(kwargs, fragment):
  def program():
    with v1.variable_scope("s"):
      return [v1.get_variable("v", [1], **kwargs)]
  out = oracle.assert_matches_graph(program)
  assert out.error[0] is ValueError and out.error[1].startswith(fragment)


# --- collections --------------------------------------------------------------


COLLECTIONS = {
    "local": [GraphKeys.LOCAL_VARIABLES],
    "custom": ["mine"],
    "global_and_custom": [GraphKeys.GLOBAL_VARIABLES, "mine"],
    "empty": [],
    "tuple_repeated": ("mine", "mine"),
    "trainable_only": [GraphKeys.TRAINABLE_VARIABLES],
}


@pytest.mark.parametrize("trainable", [None, False])
def test_collections(trainable):
  def program():
    out = {name: v1.get_variable(name, [1], collections=collections,
                                 trainable=trainable)
           for name, collections in COLLECTIONS.items()}
    out.update(_collections())
    out["mine"] = v1.get_collection("mine")
    return out
  oracle.assert_matches_graph_without_error(program, with_values=False)


def test_get_local_variable():
  def program():
    a = v1.get_local_variable("a", [2], initializer=v1.ones_initializer())
    with v1.variable_scope("s"):
      b = v1.get_local_variable("b", [1], collections=["mine"],
                                initializer=v1.constant_initializer(2.0))
      c = v1.get_local_variable("c", [1], trainable=True, dtype=tf.int32)
    with v1.variable_scope("s", reuse=True):
      d = v1.get_local_variable("b", [1])
    out = _collections()
    out["mine"] = v1.get_collection("mine")
    return [a, b, c, d, out]
  oracle.assert_matches_graph_without_error(program)


# --- caching_device, validate_shape, use_resource, constraint -----------------


@pytest.mark.parametrize("caching_device", [
    "/cpu:0", lambda op: op.device], ids=["string", "function"])
def test_caching_device(caching_device):
  def program():
    a = v1.get_variable("a", [2], initializer=v1.ones_initializer(),
                        caching_device=caching_device)
    with v1.variable_scope("s", caching_device=caching_device):
      scope_device = v1.get_variable_scope().caching_device is caching_device
      b = v1.get_variable("b", [2], initializer=v1.ones_initializer())
    return [a, b, scope_device]
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.parametrize("mode", oracle.MODES)
def test_caching_device_does_not_freeze_reads(mode):
  """A graph-mode read cache must not become a stale eager snapshot."""
  def program():
    return [v1.get_variable("a", [], initializer=v1.ones_initializer(),
                            caching_device="/cpu:0")]
  owner = oracle.make_owner(program)
  (variable,) = oracle.run_pass(owner, mode)
  variable.assign(5.0)
  assert float(variable.value()) == 5.0
  assert float(variable * 1.0) == 5.0
  (again,) = oracle.run_pass(owner, mode)
  assert again is variable


def test_validate_shape_false():
  def program():
    a = v1.get_variable("a", initializer=tf.zeros([2, 3]), validate_shape=False)
    b = v1.get_variable("b", [2], initializer=v1.ones_initializer(),
                        validate_shape=False)
    return [a, b]
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.parametrize("use_resource", [
    True, None,
    pytest.param(False, marks=pytest.mark.xfail(
        reason="TF2 has no eager reference variables: use_resource=False "
        "gives a resource variable (graph mode: dtype float32_ref)",
        strict=True)),
])
def test_use_resource(use_resource):
  def program():
    a = v1.get_variable("a", [2], initializer=v1.ones_initializer(),
                        use_resource=use_resource)
    with v1.variable_scope("s", use_resource=use_resource):
      scope_value = v1.get_variable_scope().use_resource
      b = v1.get_variable("b", [2], initializer=v1.ones_initializer())
    return [a, b, scope_value]
  oracle.assert_matches_graph_without_error(program)


def _clip(x):
  return tf.clip_by_value(x, 0.0, 1.0)


def _zero(x):
  return x * 0.0


def test_constraint_argument():
  def program():
    a = v1.get_variable("a", [2], constraint=_clip)
    b = v1.get_variable("b", [2])
    return [a.constraint is _clip, b.constraint]
  oracle.assert_matches_graph_without_error(program, with_values=False)


def test_constraint_scope_default():
  def program():
    with v1.variable_scope("s", constraint=_clip):
      scope_constraint = v1.get_variable_scope().constraint is _clip
      a = v1.get_variable("a", [2])
      b = v1.get_variable("b", [2], constraint=_zero)
      with v1.variable_scope("inner"):  # TF1 does not pass it down
        c = v1.get_variable("c", [2])
    return [scope_constraint, a.constraint is _clip, b.constraint is _zero,
            c.constraint]
  oracle.assert_matches_graph_without_error(program, with_values=False)
