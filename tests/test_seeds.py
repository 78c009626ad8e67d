"""The examples of the seed documents, run against TF1 graph mode."""

import pytest
import tensorflow as tf

import oracle

v1 = tf.compat.v1


def variable_management():
  """Seed 000: get_variable, reuse, nested reuse inheritance, scoped names."""
  out = {}
  with v1.variable_scope("foo"):
    v = v1.get_variable("v", [1], initializer=v1.constant_initializer(1.0))
  with v1.variable_scope("foo", reuse=True):
    v1_ = v1.get_variable("v", [1])
  out["same"] = [v, v1_]
  reuse = []
  with v1.variable_scope("root"):
    reuse.append(v1.get_variable_scope().reuse)
    with v1.variable_scope("foo1", reuse=True):
      reuse.append(v1.get_variable_scope().reuse)
      with v1.variable_scope("bar1"):
        reuse.append(v1.get_variable_scope().reuse)
    reuse.append(v1.get_variable_scope().reuse)
  out["reuse"] = reuse
  u1 = v1.get_variable("u", [1])
  with v1.variable_scope("foou"):
    u2 = v1.get_variable("u", [1])
  with v1.variable_scope("foou"):
    with v1.variable_scope("baru"):
      u3 = v1.get_variable("u", [1])
    u4 = v1.get_variable("u1", [1])
  with v1.variable_scope("", reuse=True):
    u5 = v1.get_variable("foou/baru/u", [1])
    u6 = v1.get_variable("foou/u1", [1])
  out["u"] = [u1, u2, u3, u4, u5, u6]
  return out


def duplicate_in_foo():
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1], initializer=v1.constant_initializer(1.0))
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1])


def reuse_missing_in_bar():
  with v1.variable_scope("foo"):
    v1.get_variable("v", [1])
  with v1.variable_scope("bar", reuse=True):
    v1.get_variable("v", [1])


def name_scope_ignored_by_get_variable():
  """Seed 001: name scopes prefix tf.Variable but not get_variable."""
  with tf.name_scope("my_scope") as s:
    a = v1.get_variable("var1", [1], dtype=tf.float32)
    b = tf.Variable(1, name="var2", dtype=tf.float32)
  with v1.variable_scope("my_scope") as vs:
    c = v1.get_variable("var1", [1], dtype=tf.float32)
    d = tf.Variable(1, name="var2", dtype=tf.float32)
  return [a, b, s, c, d, vs]


def sharing_across_name_scopes():
  with tf.name_scope("foo"):
    with v1.variable_scope("var_scope"):
      v = v1.get_variable("var", [1])
  with tf.name_scope("bar"):
    with v1.variable_scope("var_scope", reuse=True):
      v2 = v1.get_variable("var", [1])
  return [v, v2]


def scoping_function():
  """Seed 001: scoping(fn, scope1, scope2, vals) with both scope kinds."""
  def scoping(fn, scope1, vals):
    with fn(scope1) as s:
      a = tf.Variable(vals[0], name="a")
      b = v1.get_variable("b", initializer=vals[1])
    return [s, a, b]
  return [scoping(v1.variable_scope, "scope_vars", [1, 2]),
          scoping(tf.name_scope, "scope_name", [1, 2])]


def nested_ns_vs():
  with tf.name_scope("ns"):
    with v1.variable_scope("vs"):
      v1_ = v1.get_variable("v1", [1])
      v2 = tf.Variable([2.0], name="v2")
  return [v1_, v2]


def op_scope_and_variable_op_scope():
  """Seed 001: mysum / mysum2 with op_scope and variable_op_scope."""
  with v1.op_scope([], None, "mysum") as s1:
    v = v1.get_variable("v", 1)
    v2 = tf.Variable([0], name="v2")
  with v1.variable_op_scope([], None, "mysum2") as s2:
    w = v1.get_variable("v", 1)
    w2 = tf.Variable([0], name="v2")
  return [s1, v, v2, s2, w, w2]


def name_scope_vs_variable_scope_as():
  with tf.name_scope("name_scope") as scope:
    v = v1.get_variable("v", [1])
    v2 = tf.Variable([0], name="v2")
  with v1.variable_scope("name_scope") as vscope:
    w = v1.get_variable("v2", [1])
    w2 = tf.Variable([0], name="v2")
  return [scope, v, v2, vscope, w, w2]


def variable_scope_then_name_scope():
  with v1.variable_scope("foo"):
    with tf.name_scope("bar") as s:
      v = v1.get_variable("v", [1])
  return [v, s]


def auto_reuse_foo():
  """Seed 002: the AUTO_REUSE example."""
  def foo():
    with v1.variable_scope("foo", reuse=v1.AUTO_REUSE):
      return v1.get_variable("v", [1])
  return [foo(), foo()]


def custom_getter_suffix():
  """Seed 002: the identity custom getter that renames."""
  def custom_getter(getter, name, *args, **kwargs):
    return getter(name + "_suffix", *args, **kwargs)
  with v1.variable_scope("s", custom_getter=custom_getter):
    return [v1.get_variable("w", [2])]


SEEDS = [
    variable_management, duplicate_in_foo, reuse_missing_in_bar,
    name_scope_ignored_by_get_variable, sharing_across_name_scopes,
    scoping_function, nested_ns_vs, op_scope_and_variable_op_scope,
    name_scope_vs_variable_scope_as, variable_scope_then_name_scope,
    auto_reuse_foo, custom_getter_suffix,
]


@pytest.mark.parametrize("program", SEEDS, ids=lambda p: p.__name__)
def test_seed_example_matches_graph_mode(program):
  oracle.assert_matches_graph(program, with_values=False)


def test_seed_errors_are_tf1_errors():
  out = oracle.run(duplicate_in_foo, "graph")
  assert out.error == (ValueError, "Variable foo/v already exists, disallowed.")
  out = oracle.run(reuse_missing_in_bar, "graph")
  assert out.error[0] is ValueError
  assert out.error[1].startswith("Variable bar/v does not exist")
