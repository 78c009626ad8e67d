"""Custom getters in a pass, against TF1 graph mode."""

import functools

import tensorflow as tf

import oracle

v1 = tf.compat.v1

check = oracle.assert_matches_graph_without_error


def _recording(tag, log, rename=None):
  """A getter that logs when it starts and ends, optionally renaming."""
  def custom_getter(getter, name, *args, **kwargs):
    log.append(f"{tag}>{name}")
    variable = getter(name if rename is None else rename(name), *args,
                      **kwargs)
    log.append(f"{tag}<{variable.name}")
    return variable
  return custom_getter


def test_scope_getters_compose():
  def program():
    log = []
    with v1.variable_scope("a", custom_getter=_recording("outer", log)):
      with v1.variable_scope("b", custom_getter=_recording("inner", log)):
        v = v1.get_variable("v", [1])
        with v1.variable_scope("c", custom_getter=_recording("third", log)):
          w = v1.get_variable("w", [1])
      x = v1.get_variable("x", [1])
    return [v, w, x, log]
  check(program, with_values=False)


def test_composed_getters_rename_in_order():
  def program():
    log = []
    with v1.variable_scope("a", custom_getter=_recording(
        "outer", log, lambda n: n + "_o")):
      with v1.variable_scope("b", custom_getter=_recording(
          "inner", log, lambda n: n + "_i")):
        v = v1.get_variable("v", [1])
    return [v, log]
  check(program, with_values=False)


def test_getter_on_call_replaces_scope_getter():
  def program():
    log = []
    with v1.variable_scope("a", custom_getter=_recording("scope", log)):
      v = v1.get_variable("v", [1], custom_getter=_recording("call", log))
      w = v1.get_variable("w", [1])
    return [v, w, log]
  check(program, with_values=False)


def test_getter_renames():
  def program():
    def suffix(getter, name, *args, **kwargs):
      return getter(name + "_suffix", *args, **kwargs)
    with v1.variable_scope("s", custom_getter=suffix):
      a = v1.get_variable("w", [2])
      with v1.variable_scope("t"):
        b = v1.get_variable("w", [2])
    with v1.variable_scope("s", reuse=True):
      c = v1.get_variable("w_suffix", [2])
    return [a, b, c]
  check(program, with_values=False)


def test_getter_changes_arguments():
  def program():
    def change(getter, name, *args, **kwargs):
      kwargs["initializer"] = v1.constant_initializer(3)
      kwargs["trainable"] = False
      kwargs["dtype"] = tf.float64
      kwargs["shape"] = [2, 2]
      return getter(name, *args, **kwargs)
    with v1.variable_scope("s", custom_getter=change):
      return [v1.get_variable("w", [1]), v1.trainable_variables()]
  check(program)


def test_getter_sees_tf1_arguments():
  def program():
    seen = []

    def spy(getter, **kwargs):
      seen.append({k: v for k, v in kwargs.items()
                   if k not in ("initializer", "regularizer", "getter")})
      seen.append(type(kwargs["initializer"]).__name__)
      return getter(**kwargs)
    with v1.variable_scope("s", custom_getter=spy, reuse=v1.AUTO_REUSE,
                           initializer=v1.ones_initializer()):
      v1.get_variable("w", [1], trainable=False, collections=["c"])
      v1.get_local_variable("l", [2], dtype=tf.int32)
      v1.get_variable("r", [3],
                      synchronization=v1.VariableSynchronization.ON_READ,
                      aggregation=v1.VariableAggregation.SUM)
    return seen
  check(program)


def test_getter_without_constraint_parameter():
  def clip(x):
    return tf.clip_by_value(x, 0.0, 1.0)

  def program():
    seen = []

    def old_style(getter, name, shape=None, dtype=None, initializer=None,
                  regularizer=None, reuse=None, trainable=None,
                  collections=None, caching_device=None, partitioner=None,
                  validate_shape=True, use_resource=None, synchronization=None,
                  aggregation=None):
      seen.append(name)
      return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, reuse=reuse, trainable=trainable,
                    collections=collections, caching_device=caching_device,
                    partitioner=partitioner, validate_shape=validate_shape,
                    use_resource=use_resource, synchronization=synchronization,
                    aggregation=aggregation)
    with v1.variable_scope("s", custom_getter=old_style):
      v = v1.get_variable("v", [1], constraint=clip)
    return [v, v.constraint, seen]
  check(program, with_values=False)


def test_getter_with_kwargs_gets_constraint():
  def clip(x):
    return tf.clip_by_value(x, 0.0, 1.0)

  def program():
    seen = []

    def new_style(getter, *args, **kwargs):
      seen.append(kwargs["constraint"] is clip)
      return getter(*args, **kwargs)
    with v1.variable_scope("s", custom_getter=new_style):
      v = v1.get_variable("v", [1], constraint=clip)
    return [v, v.constraint is clip, seen]
  check(program, with_values=False)


def test_getter_as_partial_and_object():
  class Scaled:

    def __call__(self, getter, name, *args, **kwargs):
      return getter(name + "_obj", *args, **kwargs)

  def prefixed(prefix, getter, name, *args, **kwargs):
    return getter(prefix + name, *args, **kwargs)

  def program():
    with v1.variable_scope("s", custom_getter=Scaled()):
      a = v1.get_variable("a", [1])
    prefix_getter = functools.partial(prefixed, "p_")
    with v1.variable_scope("t", custom_getter=prefix_getter):
      b = v1.get_variable("b", [1])
    return [a, b]
  check(program, with_values=False)


def test_getter_returns_a_tensor():
  def program():
    def doubled(getter, *args, **kwargs):
      return getter(*args, **kwargs) * 2.0
    with v1.variable_scope("s", custom_getter=doubled):
      t = v1.get_variable("w", [2], initializer=v1.ones_initializer())
    return [t, v1.global_variables()]
  check(program)


def test_getter_creates_two_variables():
  def program():
    def pair(getter, name, *args, **kwargs):
      a = getter(name + "/a", *args, **kwargs)
      b = getter(name + "/b", *args, **kwargs)
      return a
    with v1.variable_scope("s", custom_getter=pair):
      w = v1.get_variable("w", [1])
    return [w, v1.global_variables()]
  check(program, with_values=False)


def test_getter_runs_outside_name_scopes():
  """TF1 makes variables (and runs getters) with the name scope reset."""
  def program():
    seen = []

    def scoped(getter, name, *args, **kwargs):
      seen.append(tf.get_current_name_scope())
      with tf.name_scope("g") as g:
        seen.append(g)
      seen.append(tf.Variable(0.0, name="aux"))
      return getter(name, *args, **kwargs)
    with tf.name_scope("ns"):
      with v1.variable_scope("s", custom_getter=scoped):
        v = v1.get_variable("v", [1])
        seen.append(tf.get_current_name_scope())
    return [v, seen]
  check(program, with_values=False)


def test_captured_scope_getter():
  def program():
    log = []
    with v1.variable_scope("a", custom_getter=_recording("a", log)) as a:
      pass
    with v1.variable_scope("b", custom_getter=_recording("b", log)):
      with v1.variable_scope(a):
        v = v1.get_variable("v", [1])
      with v1.variable_scope(a, custom_getter=_recording("extra", log)):
        w = v1.get_variable("w", [1])
    return [v, w, log]
  check(program, with_values=False)


def test_getter_on_reuse():
  def program():
    log = []
    with v1.variable_scope("s", custom_getter=_recording("g", log)):
      v = v1.get_variable("v", [1])
    with v1.variable_scope("s", reuse=True, custom_getter=_recording("h", log)):
      w = v1.get_variable("v", [1])
    return [v, w, log]
  check(program, with_values=False)


def test_non_callable_getter():
  def program():
    with v1.variable_scope("s", custom_getter="not a function"):
      return [v1.get_variable("v", [1])]
  out = oracle.assert_matches_graph(program)
  assert out.error == (ValueError, "Passed a custom_getter which is not "
                       "callable: not a function")


def test_non_callable_getter_on_call():
  def program():
    return [v1.get_variable("v", [1], custom_getter=5)]
  out = oracle.assert_matches_graph(program)
  assert out.error == (ValueError,
                       "Passed a custom_getter which is not callable: 5")
