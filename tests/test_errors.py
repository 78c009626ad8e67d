"""TF1's exceptions in a pass, and a clean state after them."""

import pytest
import tensorflow as tf

import oracle
import tf1scope

v1 = tf.compat.v1


def _assert_raises_like_graph(program, error_type, sentence):
  """Graph mode raises ``error_type`` with ``sentence`` first, and so does every
  mode, on a first call and again on a second call of the same owner."""
  expected = oracle.run(program, "graph")
  assert expected.error == (error_type, sentence)
  for mode in oracle.MODES:
    owner = oracle.make_owner(program)
    for call in ("first", "second"):
      got = oracle.run(program, mode, owner=owner)
      assert got.error == expected.error, f"mode {mode}, {call} call: {got}"


def _already_exists():
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1])
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1])


def _does_not_exist():
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1])
  with v1.variable_scope("bar", reuse=True):
    v1.get_variable("v", [1])


def _shape_mismatch():
  with v1.variable_scope("s"):
    v1.get_variable("v", [1])
  with v1.variable_scope("s", reuse=True):
    v1.get_variable("v", [2])


def _dtype_mismatch():
  with v1.variable_scope("s"):
    v1.get_variable("v", [1])
  with v1.variable_scope("s", reuse=v1.AUTO_REUSE):
    v1.get_variable("v", [1], dtype=tf.int32)


def _constant_with_shape():
  v1.get_variable("v", [2], initializer=tf.constant([1.0, 2.0]))


def _missing_shape():
  with v1.variable_scope("s"):
    v1.get_variable("v")


def _getter_not_callable():
  with v1.variable_scope("s", custom_getter=3):
    v1.get_variable("v", [1])


def _default_name_missing():
  with v1.variable_scope(None):
    pass


def _invalid_scope_name():
  with v1.variable_scope("not valid!"):
    pass


def _improper_nesting():
  a = v1.variable_scope("a")
  b = v1.variable_scope("b")
  a.__enter__()
  b.__enter__()
  a.__exit__(None, None, None)


def _reuse_without_name():
  with v1.variable_scope(None, default_name="d", reuse=True):
    pass


def _invalid_reuse():
  with v1.variable_scope("s", reuse="yes"):
    pass


def _scope_of_wrong_type():
  with v1.variable_scope(7):
    pass


ERRORS = {
    "already_exists": (_already_exists, ValueError,
                       "Variable foo/v already exists, disallowed."),
    "does_not_exist": (
        _does_not_exist, ValueError,
        "Variable bar/v does not exist, or was not created with "
        "tf.get_variable()."),
    "shape_mismatch": (
        _shape_mismatch, ValueError,
        "Trying to share variable s/v, but specified shape (2,) and found "
        "shape (1,)."),
    "dtype_mismatch": (
        _dtype_mismatch, ValueError,
        "Trying to share variable s/v, but specified dtype int32 and found "
        "dtype float32."),
    "constant_with_shape": (
        _constant_with_shape, ValueError,
        "If initializer is a constant, do not specify shape."),
    "missing_shape": (
        _missing_shape, ValueError,
        "Variable s/v did not get an initializer, so its `shape` argument "
        "must be specified."),
    "getter_not_callable": (
        _getter_not_callable, ValueError,
        "Passed a custom_getter which is not callable: 3"),
    "default_name_missing": (
        _default_name_missing, TypeError,
        "If default_name is None then name_or_scope is required"),
    "invalid_scope_name": (
        _invalid_scope_name, ValueError,
        "'not valid!' is not a valid root scope name."),
    "improper_nesting": (
        _improper_nesting, RuntimeError,
        "Improper nesting of variable_scope."),
    "reuse_without_name": (
        _reuse_without_name, ValueError,
        "reuse=True cannot be used without a name_or_scope"),
    "invalid_reuse": (
        _invalid_reuse, ValueError,
        "The reuse parameter must be True or False or None."),
    "scope_of_wrong_type": (
        _scope_of_wrong_type, TypeError,
        "VariableScope: name_or_scope must be a string or VariableScope."),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error(name):
  program, error_type, sentence = ERRORS[name]
  _assert_raises_like_graph(program, error_type, sentence)


# --- a clean state after an exception -----------------------------------------


def _clean_program():
  """What a clean pass observes: scopes, default-name counters and names."""
  out = [tf.get_current_name_scope(), v1.get_variable_scope()]
  with v1.variable_scope("foo") as foo:
    out += [foo, v1.get_variable("v", [1], initializer=v1.ones_initializer())]
  with v1.variable_scope(None, default_name="d") as d:
    out += [d, tf.Variable(1.0, name="x")]
  with tf.name_scope("a") as a:
    out += [a, tf.Variable(1.0, name="y")]
  out += [v1.trainable_variables(), v1.get_collection("mine")]
  return out


def _raise_inside_scopes():
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1], initializer=v1.ones_initializer())
    with v1.variable_scope(None, default_name="d"):
      tf.Variable(1.0, name="x")
      with tf.name_scope("a"):
        v1.add_to_collection("mine", tf.constant(1.0))
        raise KeyError("boom")


def _raise_in_getter():
  def failing(getter, name, *args, **kwargs):
    del getter, name, args, kwargs
    raise KeyError("boom")
  with tf.name_scope("a"):
    with v1.variable_scope("d", custom_getter=failing):
      v1.get_variable("w", [1])


def _raise_from_tf1(name):
  def program():
    with tf.name_scope("a"):
      with v1.variable_scope("d"):
        ERRORS[name][0]()
  return program


FAILING = {
    "python_error": _raise_inside_scopes,
    "getter_error": _raise_in_getter,
    "already_exists": _raise_from_tf1("already_exists"),
    "improper_nesting": _raise_from_tf1("improper_nesting"),
    "invalid_scope_name": _raise_from_tf1("invalid_scope_name"),
}


@pytest.mark.parametrize("mode", oracle.MODES)
@pytest.mark.parametrize("failing", list(FAILING))
def test_clean_state_after_exception(failing, mode):
  fail = [True]

  def program():
    if fail[0]:
      FAILING[failing]()
    return _clean_program()

  expected = oracle.run(_clean_program, "graph")
  assert expected.error is None
  owner = oracle.make_owner(program)
  assert oracle.run(program, mode, owner=owner).error is not None
  assert tf.get_current_name_scope() == ""
  fail[0] = False
  assert oracle.run(program, mode, owner=owner) == expected
  assert oracle.run(program, mode, owner=owner) == expected
  assert tf.get_current_name_scope() == ""


def test_no_pass_state_leaks_after_exception():
  """After a failed pass, TF1 code outside a pass runs as without tf1scope."""
  owner = oracle.make_owner(_improper_nesting)
  assert oracle.run(_improper_nesting, "eager", owner=owner).error is not None
  assert tf.get_current_name_scope() == ""
  scope = v1.get_variable_scope()
  assert not isinstance(scope, tf1scope.VariableScope)
  assert scope.name == ""
