"""``variable_scope`` and ``VariableScope`` in a pass, against TF1 graph mode."""

import pytest
import tensorflow as tf

import oracle

v1 = tf.compat.v1

check = oracle.assert_matches_graph_without_error


def _here():
  """Where a program is: the current variable scope and name scope."""
  return (v1.get_variable_scope(), tf.get_current_name_scope())


def _probe(name="p"):
  """A tf.Variable and a get_variable, to show both kinds of names."""
  return [tf.Variable(0.0, name=name),
          v1.get_variable(name + "_g", [1], initializer=v1.zeros_initializer())]


# --- string and captured scopes -----------------------------------------------


def test_string_scopes_nest():
  def program():
    with v1.variable_scope("a") as a:
      with v1.variable_scope("b") as b:
        out = [a, b, _here(), _probe()]
      with v1.variable_scope("b") as b2:
        out += [b2, _here(), _probe("q")]
    with v1.variable_scope("a/b") as ab:
      out += [ab, _here(), v1.get_variable("x", [1])]
    out.append(_here())
    return out
  check(program, with_values=False)


def test_captured_scope_reentered():
  def program():
    with v1.variable_scope("a") as a:
      v = v1.get_variable("v", [1])
    with v1.variable_scope(a) as a2:
      w = v1.get_variable("w", [1])
      out = [a2, _here(), _probe()]
    with v1.variable_scope(a, reuse=True) as a3:
      v_again = v1.get_variable("v", [1])
      out += [a3, _here()]
    return [v, w, v_again, out]
  check(program, with_values=False)


def test_captured_scope_inside_other_scopes():
  def program():
    with v1.variable_scope("a") as a:
      pass
    with v1.variable_scope("outer"):
      with tf.name_scope("ns"):
        with v1.variable_scope(a) as inside:
          v = v1.get_variable("v", [1])
          out = [inside, _here(), _probe()]
          with v1.variable_scope("child") as child:
            out += [child, _here(), v1.get_variable("c", [1])]
      out.append(_here())
    return [v, out]
  check(program, with_values=False)


def test_captured_scope_inside_itself():
  def program():
    with v1.variable_scope("a") as a:
      with v1.variable_scope(a) as again:
        out = [again, _here(), v1.get_variable("v", [1])]
        with v1.variable_scope(a, reuse=True):
          out += [_here(), v1.get_variable("v", [1])]
    return out
  check(program, with_values=False)


def test_captured_nested_scope_name_scope():
  """A captured "a/b" opens a name scope named after its last component."""
  def program():
    with v1.variable_scope("a"):
      with v1.variable_scope("b") as b:
        pass
    with v1.variable_scope(b) as b1:
      out = [b1, _here()]
    with v1.variable_scope(b) as b2:
      out += [b2, _here(), _probe()]
    return out
  check(program, with_values=False)


def test_captured_scope_keeps_its_defaults():
  def program():
    with v1.variable_scope("a", initializer=v1.constant_initializer(3.0),
                           dtype=tf.float64) as a:
      pass
    with v1.variable_scope("other", initializer=v1.ones_initializer()):
      with v1.variable_scope(a):
        x = v1.get_variable("x", [2])
      with v1.variable_scope(a, initializer=v1.constant_initializer(4.0),
                             dtype=tf.float32):
        y = v1.get_variable("y", [2])
    return [x, y]
  check(program)


def test_captured_scope_reuse_is_its_own():
  """A captured scope keeps its reuse, whatever the enclosing scope's."""
  def program():
    with v1.variable_scope("a") as a:
      v1.get_variable("v", [1])
    with v1.variable_scope("r", reuse=True):
      with v1.variable_scope(a) as inside:
        out = [inside, v1.get_variable_scope().reuse]
    with v1.variable_scope("a", reuse=True) as reusing:
      pass
    with v1.variable_scope(reusing) as again:
      out += [again, v1.get_variable("v", [1])]
    with v1.variable_scope(reusing, reuse=False) as still:
      out += [still]
    return out
  check(program, with_values=False)


def test_same_variable_scope_object_entered_twice():
  def program():
    scope = v1.variable_scope("a")
    out = []
    for name in ("v", "w"):
      with scope as s:
        out += [s, _here(), v1.get_variable(name, [1])]
    default = v1.variable_scope(None, default_name="d")
    for name in ("v", "w"):
      with default as s:
        out += [s, _here(), v1.get_variable(name, [1])]
    with v1.variable_scope("outer"):
      with scope as s:  # a third time, elsewhere
        out += [s, _here(), v1.get_variable("x", [1])]
    return out
  check(program, with_values=False)


def test_same_variable_scope_object_nested_in_itself():
  def program():
    scope = v1.variable_scope("a")
    with scope as outer:
      with scope as inner:
        out = [outer, inner, _here(), v1.get_variable("v", [1])]
      out += [_here(), v1.get_variable_scope() is outer]
    out.append(_here())
    return out
  out = oracle.assert_matches_graph(program, with_values=False)
  # TF1 keeps one record per variable_scope object: the outer exit fails.
  assert out.error == (RuntimeError, "Improper nesting of variable_scope.")


def test_same_captured_scope_context_entered_twice():
  def program():
    with v1.variable_scope("a", reuse=v1.AUTO_REUSE) as a:
      pass
    context = v1.variable_scope(a)
    with context as first:
      out = [first, _here(), v1.get_variable("v", [1])]
      first.reuse_variables()
    with context as second:  # TF1 enters the same scope object again
      out += [second, second is first, _here(), v1.get_variable("v", [1])]
    return out
  check(program, with_values=False)


# --- default names ------------------------------------------------------------


def test_default_name_counts():
  def program():
    out = []
    for _ in range(3):
      with v1.variable_scope(None, default_name="x") as s:
        out += [s, _here(), v1.get_variable("v", [1])]
    with v1.variable_scope("x_3") as s:
      out.append(s)
    with v1.variable_scope(None, default_name="x") as s:
      out.append(s)
    return out
  check(program, with_values=False)


def test_default_name_nested():
  def program():
    out = []
    with v1.variable_scope(None, default_name="x") as outer:
      out.append(outer)
      for _ in range(2):
        with v1.variable_scope(None, default_name="x") as inner:
          out += [inner, _here(), v1.get_variable("v", [1])]
    with v1.variable_scope(None, default_name="x") as outer2:
      with v1.variable_scope(None, default_name="x") as inner2:
        out += [outer2, inner2, _here()]
    return out
  check(program, with_values=False)


def test_default_name_counters_reset_when_parent_closes():
  def program():
    out = []
    for _ in range(2):
      with v1.variable_scope("p", reuse=v1.AUTO_REUSE) as p:
        for _ in range(2):
          with v1.variable_scope(None, default_name="x") as x:
            out += [p, x, _here(), v1.get_variable("v", [1])]
            with v1.variable_scope(None, default_name="y") as y:
              out.append(y)
    return out
  check(program, with_values=False)


def test_default_name_counters_restored_after_captured_scope():
  def program():
    out = []
    with v1.variable_scope("a") as a:
      pass
    with v1.variable_scope(None, default_name="x") as x:
      out.append(x)
    with v1.variable_scope(a):
      with v1.variable_scope(None, default_name="x") as ax:
        out.append(ax)
      with v1.variable_scope(None, default_name="x") as ax1:
        out.append(ax1)
    with v1.variable_scope(a):
      with v1.variable_scope(None, default_name="x") as ax_again:
        out.append(ax_again)
    with v1.variable_scope(None, default_name="x") as x1:
      out.append(x1)
    with v1.variable_scope("a"):
      with v1.variable_scope(None, default_name="x") as ax2:
        out.append(ax2)
    return out
  check(program, with_values=False)


def test_default_name_ignored_when_name_given():
  def program():
    with v1.variable_scope("n", default_name="x") as s:
      return [s, _here(), v1.get_variable("v", [1])]
  check(program, with_values=False)


def test_values_argument():
  def program():
    t = tf.constant([1.0, 2.0])
    with v1.variable_scope("s", values=[t]) as s:
      a = v1.get_variable("a", [1])
    with v1.variable_scope(None, default_name="d", values=[t]) as d:
      b = v1.get_variable("b", [1])
    with v1.variable_scope(s, values=(t, t)) as s2:
      c = v1.get_variable("c", [1])
    return [s, d, s2, a, b, c]
  check(program, with_values=False)


# --- reuse --------------------------------------------------------------------


@pytest.mark.parametrize("reuse", [True, False, None, v1.AUTO_REUSE],
                         ids=["true", "false", "none", "auto"])
def test_reuse(reuse):
  def program():
    with v1.variable_scope("s"):
      v = v1.get_variable("v", [1])
    with v1.variable_scope("s", reuse=reuse) as s:
      return [s, v, v1.get_variable("v", [1])]
  out = oracle.assert_matches_graph(program, with_values=False)
  if reuse in (False, None):
    assert out.error == (ValueError,
                         "Variable s/v already exists, disallowed.")
  else:
    assert out.error is None


@pytest.mark.parametrize("reuse", [True, False, None, v1.AUTO_REUSE],
                         ids=["true", "false", "none", "auto"])
def test_reuse_of_new_variable(reuse):
  def program():
    with v1.variable_scope("s", reuse=reuse) as s:
      return [s, v1.get_variable("v", [1])]
  out = oracle.assert_matches_graph(program, with_values=False)
  assert (out.error is None) == (reuse is not True)


@pytest.mark.parametrize("outer", [True, None, v1.AUTO_REUSE],
                         ids=["true", "none", "auto"])
@pytest.mark.parametrize("inner", [True, False, None, v1.AUTO_REUSE],
                         ids=["true", "false", "none", "auto"])
def test_reuse_inheritance(outer, inner):
  def program():
    reuses = []
    with v1.variable_scope("o", reuse=outer) as o:
      reuses.append(o.reuse)
      with v1.variable_scope("i", reuse=inner) as i:
        reuses += [i.reuse, v1.get_variable_scope().reuse]
        with v1.variable_scope("j") as j:
          reuses.append(j.reuse)
      reuses.append(v1.get_variable_scope().reuse)
    reuses.append(v1.get_variable_scope().reuse)
    return reuses
  check(program)


def test_reuse_false_under_reusing_scope_stays_reusing():
  def program():
    with v1.variable_scope("a"):
      v = v1.get_variable("v", [1])
    with v1.variable_scope("", reuse=True):
      with v1.variable_scope("a", reuse=False) as a:
        return [a, v, v1.get_variable("v", [1])]
  check(program, with_values=False)


def test_auto_reuse_creates_then_shares():
  def program():
    out = []
    for _ in range(2):
      with v1.variable_scope("s", reuse=v1.AUTO_REUSE) as s:
        out += [s, v1.get_variable("v", [1]), _here()]
        with v1.variable_scope("t") as t:
          out += [t, v1.get_variable("w", [2])]
    return out
  check(program, with_values=False)


def test_reuse_variables():
  def program():
    with v1.variable_scope("s") as s:
      v = v1.get_variable("v", [1])
      before = s.reuse
      v1.get_variable_scope().reuse_variables()
      after = [s.reuse, v1.get_variable_scope().reuse]
      again = v1.get_variable("v", [1])
      with v1.variable_scope("child") as child:
        inherited = child.reuse
    with v1.variable_scope("s") as s2:
      fresh = s2.reuse
    return [v, again, before, after, inherited, fresh]
  check(program, with_values=False)


def test_reuse_variables_then_missing_variable():
  def program():
    with v1.variable_scope("s"):
      v1.get_variable_scope().reuse_variables()
      return [v1.get_variable("missing", [1])]
  out = oracle.assert_matches_graph(program)
  assert out.error[0] is ValueError
  assert out.error[1].startswith("Variable s/missing does not exist")


def test_model_built_twice_with_reuse():
  """The classic TF1 pattern: build the tower, then share it."""
  def model(x, reuse):
    with v1.variable_scope("model", reuse=reuse):
      w = v1.get_variable("w", [3, 2], initializer=v1.ones_initializer())
      with v1.variable_scope("layer2"):
        b = v1.get_variable("b", [2], initializer=v1.constant_initializer(0.5))
      return tf.matmul(x, w) + b, [w, b]

  def program():
    y1, vars1 = model(tf.ones([1, 3]), reuse=False)
    y2, vars2 = model(2 * tf.ones([1, 3]), reuse=True)
    return [y1, y2, vars1, vars2, v1.trainable_variables()]
  check(program)


# --- get_variable_scope() and the setters -------------------------------------


def test_root_scope_properties():
  def program():
    s = v1.get_variable_scope()
    return [s, s.name, s.original_name_scope, s.reuse, s.initializer,
            s.regularizer, s.caching_device, s.partitioner, s.custom_getter,
            s.dtype, s.use_resource, s.constraint]
  check(program)


def test_scope_properties():
  def program():
    out = []
    with tf.name_scope("ns"):
      with v1.variable_scope("s") as s:
        out += [s.name, s.original_name_scope, s.reuse, s.dtype]
        with v1.variable_scope("t", reuse=True, dtype=tf.int32) as t:
          scope = v1.get_variable_scope()
          out += [scope is t, t.name, t.original_name_scope, t.reuse, t.dtype]
    return out
  check(program)


def test_setters():
  def suffix_getter(getter, name, *args, **kwargs):
    return getter(name + "_g", *args, **kwargs)

  def program():
    with v1.variable_scope("s") as s:
      s.set_initializer(v1.constant_initializer(2))
      s.set_dtype(tf.int64)
      s.set_regularizer(lambda v: tf.reduce_sum(v) * 2)
      s.set_use_resource(True)
      s.set_caching_device("/cpu:0")
      s.set_custom_getter(suffix_getter)
      a = v1.get_variable("a", [2])
      with v1.variable_scope("inner"):
        b = v1.get_variable("b", [1])
      props = [s.dtype, s.use_resource, s.caching_device,
               s.custom_getter is suffix_getter]
    with v1.variable_scope("s"):  # a new scope object: the setters are gone
      c = v1.get_variable("c", [1], initializer=v1.ones_initializer())
    with v1.variable_scope(s):  # the captured object keeps them
      d = v1.get_variable("d", [1])
    losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
    return [a, b, c, d, props, losses]
  check(program)


def test_set_partitioner_property():
  def program():
    with v1.variable_scope("s") as s:
      partitioner = v1.fixed_size_partitioner(2)
      s.set_partitioner(partitioner)
      same = v1.get_variable_scope().partitioner is partitioner
      s.set_partitioner(None)
      return [same, s.partitioner]
  check(program)


def test_setters_on_root_scope():
  def program():
    root = v1.get_variable_scope()
    root.set_initializer(v1.constant_initializer(7.0))
    a = v1.get_variable("a", [1])
    with v1.variable_scope("s"):
      b = v1.get_variable("b", [1])
    return [a, b]
  check(program)


# --- scope defaults -----------------------------------------------------------


def test_scope_default_initializer():
  def program():
    with v1.variable_scope("s", initializer=v1.constant_initializer(3.0)):
      a = v1.get_variable("a", [2])
      with v1.variable_scope("t", initializer=v1.constant_initializer(4.0)):
        b = v1.get_variable("b", [2])
      with v1.variable_scope("u"):
        c = v1.get_variable("c", [2])
    return [a, b, c]
  check(program)


def test_scope_default_regularizer():
  def program():
    with v1.variable_scope("s", regularizer=lambda v: tf.reduce_sum(v)):
      v1.get_variable("a", [2], initializer=v1.ones_initializer())
      with v1.variable_scope("t", regularizer=lambda v: 3 * tf.reduce_sum(v)):
        v1.get_variable("b", [2], initializer=v1.ones_initializer())
      with v1.variable_scope("u"):
        v1.get_variable("c", [2], initializer=v1.ones_initializer())
    return v1.losses.get_regularization_losses()
  check(program)


def test_scope_default_dtype():
  def program():
    with v1.variable_scope("s", dtype=tf.float64) as s:
      a = v1.get_variable("a", [1])
      with v1.variable_scope("t") as t:
        b = v1.get_variable("b", [1])
      with v1.variable_scope("u", dtype=tf.int32) as u:
        c = v1.get_variable("c", [1])
    return [a, b, c, s.dtype, t.dtype, u.dtype]
  check(program, with_values=False)


def _clip(x):
  return tf.clip_by_value(x, 0.0, 1.0)


def test_scope_default_constraint():
  def program():
    with v1.variable_scope("s", constraint=_clip) as s:
      a = v1.get_variable("a", [1])
      with v1.variable_scope("t") as t:  # TF1 does not inherit constraints
        b = v1.get_variable("b", [1])
    with v1.variable_scope(s) as s2:  # nor keep them in captured scopes
      c = v1.get_variable("c", [1])
    return [a.constraint is _clip, b.constraint, c.constraint,
            s.constraint is _clip, t.constraint, s2.constraint]
  check(program, with_values=False)


def test_scope_default_custom_getter():
  calls = []

  def recording_getter(getter, name, *args, **kwargs):
    calls.append(name)
    return getter(name, *args, **kwargs)

  def program():
    del calls[:]
    with v1.variable_scope("s", custom_getter=recording_getter):
      a = v1.get_variable("a", [1])
      with v1.variable_scope("t"):
        b = v1.get_variable("b", [1])
    c = v1.get_variable("c", [1])
    return [a, b, c, list(calls)]
  check(program, with_values=False)


def test_scope_default_use_resource_and_caching_device():
  def program():
    with v1.variable_scope("s", use_resource=True,
                           caching_device="/cpu:0") as s:
      with v1.variable_scope("t") as t:
        v = v1.get_variable("v", [1])
    return [v, s.use_resource, s.caching_device, t.use_resource,
            t.caching_device]
  check(program, with_values=False)


# --- auxiliary_name_scope, empty scope, variable_op_scope ---------------------


def test_auxiliary_name_scope_false():
  def program():
    out = []
    with tf.name_scope("outer"):
      with v1.variable_scope("s", auxiliary_name_scope=False) as s:
        out += [s, _here(), _probe()]
      with v1.variable_scope(s, auxiliary_name_scope=False) as s2:
        out += [s2, _here(), _probe("q")]
    with v1.variable_scope(s, auxiliary_name_scope=False) as s3:
      with tf.name_scope(s3.original_name_scope) as ns:
        out += [s3, ns, _here(), _probe("r")]
    with v1.variable_scope(None, default_name="d",
                           auxiliary_name_scope=False) as d:
      out += [d, _here()]
    return out
  check(program, with_values=False)


def test_auxiliary_name_scope_must_be_bool():
  def program():
    with v1.variable_scope("s", auxiliary_name_scope=1):
      pass
  out = oracle.assert_matches_graph(program)
  assert out.error[0] is TypeError


def test_empty_string_scope():
  def program():
    out = []
    with v1.variable_scope("a"):
      v = v1.get_variable("v", [1])
      with v1.variable_scope("") as empty:
        out += [empty, _here(), _probe(), v1.get_variable("e", [1])]
    with v1.variable_scope("") as root:
      out += [root, _here(), v1.get_variable("r", [1])]
    with v1.variable_scope("", reuse=True) as root_reuse:
      out += [root_reuse, v1.get_variable("a/v", [1]), v]
    return out
  check(program, with_values=False)


def test_variable_op_scope():
  def program():
    t = tf.constant(1.0)
    out = []
    for _ in range(2):
      with v1.variable_op_scope([t], None, "op") as s:
        out += [s, _here(), v1.get_variable("v", [1])]
    with v1.variable_op_scope([t], "named", "op",
                              initializer=v1.ones_initializer()) as s:
      out += [s, _here(), v1.get_variable("v", [1])]
    with v1.variable_op_scope([t], "named", reuse=True) as s:
      out += [s, v1.get_variable("v", [1])]
    return out
  check(program, with_values=False)
