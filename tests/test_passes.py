"""The pass model: tf.function traces, threads, nested owners, exceptions."""

import threading

import numpy as np
import pytest
import tensorflow as tf

import tf1scope

v1 = tf.compat.v1


class Dense(tf.Module):
  """A TF1 dense layer: get_variable in a variable scope."""

  def __init__(self, units, scope="dense"):
    super().__init__()
    self.units = units
    self.scope = scope

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    with v1.variable_scope(self.scope):
      w = v1.get_variable("kernel", [x.shape[-1], self.units],
                          initializer=v1.ones_initializer())
      b = v1.get_variable("bias", [self.units], initializer=v1.zeros_initializer())
      return tf.matmul(x, w) + b


def test_tf_function_retrace_for_new_signature_creates_no_variable():
  layer = Dense(3)
  fn = tf.function(layer.__call__)
  fn(tf.ones([2, 4]))
  before = [id(v) for v in layer.variables]
  out = fn(tf.ones([5, 4]))           # new batch size: a retrace
  assert fn.experimental_get_tracing_count() >= 2
  assert [id(v) for v in layer.variables] == before
  np.testing.assert_allclose(out.numpy(), np.full([5, 3], 4.0))


def test_eager_first_then_tf_function_uses_the_same_variables():
  layer = Dense(2)
  eager = layer(tf.ones([1, 4]))
  ids = sorted(id(v) for v in layer.variables)
  layer.variables[0].assign_add(tf.ones_like(layer.variables[0]))
  out = tf.function(layer.__call__)(tf.ones([1, 4]))
  assert sorted(id(v) for v in layer.variables) == ids
  assert not np.allclose(out.numpy(), eager.numpy())


@pytest.mark.parametrize("jit", [False, True], ids=["function", "xla"])
def test_tf_function_first_trace_creates_the_variables(jit):
  layer = Dense(2)
  out = tf.function(layer.__call__, jit_compile=jit)(tf.ones([1, 4]))
  assert sorted(v.name for v in layer.variables) == ["dense/bias:0", "dense/kernel:0"]
  np.testing.assert_allclose(out.numpy(), [[4.0, 4.0]])


class Inner(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    @tf.function
    def inner(y):
      with v1.variable_scope("inner_fn"):
        w = v1.get_variable("w", [1], initializer=v1.ones_initializer())
        return y * w, v1.get_variable_scope().name
    with v1.variable_scope("outer"):
      y, name = inner(x)
    self.seen_scope = name
    return y


def test_tf_function_defined_inside_the_pass_keeps_the_current_scope():
  m = Inner()
  m(tf.constant([2.0]))
  assert [v.name for v in m.variables] == ["outer/inner_fn/w:0"]


def test_threads_on_different_objects_keep_their_variables():
  layers = [Dense(2, scope=f"d{i}") for i in range(8)]
  barrier = threading.Barrier(len(layers))
  errors = []

  def work(layer):
    try:
      barrier.wait()
      for _ in range(20):
        layer(tf.ones([1, 3]))
    except Exception as e:  # pylint: disable=broad-except
      errors.append(e)

  threads = [threading.Thread(target=work, args=(l,)) for l in layers]
  for t in threads:
    t.start()
  for t in threads:
    t.join()
  assert not errors
  for i, layer in enumerate(layers):
    assert sorted(v.name for v in layer.variables) == [f"d{i}/bias:0", f"d{i}/kernel:0"]


def test_threads_on_the_same_object_never_duplicate_variables():
  layer = Dense(2)
  barrier = threading.Barrier(8)
  errors = []
  seen = []

  def work():
    try:
      barrier.wait()
      for _ in range(20):
        layer(tf.ones([1, 3]))
        seen.append(tuple(sorted(id(v) for v in layer.variables)))
    except Exception as e:  # pylint: disable=broad-except
      errors.append(e)

  threads = [threading.Thread(target=work) for _ in range(8)]
  for t in threads:
    t.start()
  for t in threads:
    t.join()
  assert not errors
  assert len(layer.variables) == 2
  assert len(set(seen)) == 1


def test_scopes_are_per_thread():
  """A scope opened in one thread is invisible to a pass in another thread."""
  inside = threading.Event()
  release = threading.Event()
  names = {}

  class Slow(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("slow"):
        inside.set()
        release.wait(10)
        names["slow"] = v1.get_variable("v", [1]).name

  class Fast(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      names["fast"] = v1.get_variable("v", [1]).name
      names["fast_scope"] = v1.get_variable_scope().name

  t = threading.Thread(target=Slow())
  t.start()
  inside.wait(10)
  Fast()()
  release.set()
  t.join()
  assert names == {"slow": "slow/v:0", "fast": "v:0", "fast_scope": ""}


class Encoder(tf.Module):

  def __init__(self):
    super().__init__()
    self.proj = Dense(2, scope="proj")

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    with v1.variable_scope("encoder"):
      h = self.proj(x)
      g = v1.get_variable("gate", [2], initializer=v1.ones_initializer())
    return h * g


def test_nested_owner_names_follow_the_outer_scope_and_inner_owner_tracks():
  enc = Encoder()
  enc(tf.ones([1, 3]))
  assert sorted(tf1scope.variables_by_name(enc.proj)) == [
      "encoder/proj/bias", "encoder/proj/kernel"]
  assert list(tf1scope.variables_by_name(enc)) == [
      "encoder/proj/kernel", "encoder/proj/bias", "encoder/gate"]
  assert len(enc.variables) == 3
  enc(tf.ones([1, 3]))
  assert len(enc.variables) == 3


def test_nested_owner_names_match_tf1_graph_mode():
  """The same code as plain TF1 functions gives the same names in a graph."""
  def proj(x):
    with v1.variable_scope("proj"):
      w = v1.get_variable("kernel", [x.shape[-1], 2], initializer=v1.ones_initializer())
      b = v1.get_variable("bias", [2], initializer=v1.zeros_initializer())
      return tf.matmul(x, w) + b

  with tf.Graph().as_default():
    with v1.variable_scope("encoder"):
      proj(tf.ones([1, 3]))
      v1.get_variable("gate", [2], initializer=v1.ones_initializer())
    graph_names = [v.name for v in v1.global_variables()]
  enc = Encoder()
  enc(tf.ones([1, 3]))
  assert [v.name for v in tf1scope.variables_by_name(enc).values()] == graph_names


def test_nested_owner_shares_with_outer_store_on_reuse():
  class Outer(tf.Module):

    def __init__(self):
      super().__init__()
      self.inner = InnerReuse()

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("shared"):
        w = v1.get_variable("w", [1])
      return w, self.inner()

  class InnerReuse(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("shared", reuse=True):
        return v1.get_variable("w", [1])

  outer = Outer()
  w, w_inner = outer()
  assert w is w_inner
  assert len(outer.variables) == 1
  assert tf1scope.variables_by_name(outer.inner) == {}


def test_exception_in_a_pass_leaves_no_scope_behind():
  class Failing(tf.Module):

    def __init__(self):
      super().__init__()
      self.fail = True

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("a"):
        with tf.name_scope("n"):
          v = v1.get_variable("v", [1])
          if self.fail:
            raise RuntimeError("boom")
      return v, v1.get_variable_scope().name, tf.Variable(1.0, name="t")

  m = Failing()
  with pytest.raises(RuntimeError, match="boom"):
    m()
  m.fail = False
  v, scope_name, t = m()
  assert (v.name, scope_name, t.name) == ("a/v:0", "", "t:0")
  assert len(m.variables) == 2


def test_decorating_a_non_module_names_the_decorator_and_the_fix():
  class Plain:

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      return v1.get_variable("v", [1])

  with pytest.raises(tf1scope.OwnerTypeError) as info:
    Plain()()
  message = str(info.value)
  for part in ("@tf1scope.track_tf1_style_variables", "Plain", "tf.Module"):
    assert part in message


_PLAIN_TF = r"""
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
v1 = tf.compat.v1
if sys.argv[1] == "with":
  import tf1scope
  class M(tf.Module):
    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("inside"):
        return v1.get_variable("v", [1])
  M()()
out = []
a = v1.get_variable("outside", [1]); b = v1.get_variable("outside", [1])
out.append((a.name, b.name, a is b))
with v1.variable_scope("s") as s:
  out.append((s.name, str(s.reuse), v1.get_variable("w", [1]).name))
with tf.name_scope("x") as n1:
  pass
with tf.name_scope("x") as n2:
  pass
out.append((n1, n2, tf.Variable(1.0, name="t").name))
out.append(len(v1.global_variables()))
with tf.Graph().as_default():
  with v1.variable_scope("g"):
    g1 = v1.get_variable("v", [1])
  with v1.name_scope("g") as gn:
    pass
  v1.add_to_collection("mine", 3)
  out.append((g1.name, gn, [v.name for v in v1.global_variables()],
              v1.get_collection("mine")))
@tf.function
def f():
  with tf.name_scope("fn") as fs:
    pass
  return fs
out.append(f().numpy().decode())
print(out)
"""


def test_outside_a_pass_tensorflow_is_unchanged(tmp_path):
  """The same plain TF script prints the same after a tf1scope pass ran in the process."""
  import subprocess
  import sys
  script = tmp_path / "plain.py"
  script.write_text(_PLAIN_TF)
  outputs = [subprocess.run([sys.executable, str(script), mode], check=True,
                            capture_output=True, text=True).stdout.strip()
             for mode in ("without", "with")]
  assert outputs[0] and outputs[0] == outputs[1]


def test_tf_variable_with_graph_tensor_initial_value_in_tf_function():
  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      v = v1.get_variable("noise", initializer=tf.random.stateless_normal([3], seed=[1, 2]))
      t = tf.Variable(tf.zeros([2]) + 1.0, name="t")
      return x + tf.reduce_sum(v) + tf.reduce_sum(t)

  m = M()
  fn = tf.function(m.__call__)
  first = fn(tf.constant(0.0))
  second = fn(tf.constant(0.0))
  assert sorted(v.name for v in m.variables) == ["noise:0", "t:0"]
  np.testing.assert_allclose(first.numpy(), second.numpy())
  expected = tf.reduce_sum(tf.random.stateless_normal([3], seed=[1, 2])).numpy() + 2.0
  np.testing.assert_allclose(first.numpy(), expected, rtol=1e-6)


def test_a_tf1_graph_built_inside_a_pass_is_plain_tf1():
  """Inside a pass, `with tf.Graph().as_default():` is TF's own graph mode."""
  class M(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("outer"):
        outer = v1.get_variable("v", [1])
        with tf.Graph().as_default() as g:
          with v1.variable_scope("g"):
            inner = v1.get_variable("v", [1])
          graph_vars = [v.name for v in v1.global_variables()]
        after = v1.get_variable_scope().name
      return outer, inner, graph_vars, after, g

  outer, inner, graph_vars, after, g = M()()
  assert outer.name == "outer/v:0"
  assert inner.name == "g/v:0" and inner.graph is g
  assert graph_vars == ["g/v:0"]
  assert after == "outer"


class Branchy(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    w = v1.get_variable("w", [1], initializer=v1.ones_initializer())
    if tf.reduce_sum(x) > 0:   # a tensor condition: needs autograph in a graph
      return x * w
    return -x * w


def test_decorated_method_is_converted_when_the_caller_uses_autograph():
  m = Branchy()
  fn = tf.function(m.__call__)
  np.testing.assert_allclose(fn(tf.constant([2.0])).numpy(), [2.0])
  np.testing.assert_allclose(fn(tf.constant([-2.0])).numpy(), [2.0])
  assert len(m.variables) == 1


def test_without_autograph_a_tensor_condition_fails_as_in_tf1_graph_mode():
  m = Branchy()
  fn = tf.function(m.__call__, autograph=False)
  with pytest.raises(TypeError, match="tf.Tensor. as a Python .bool. is not allowed"):
    fn(tf.constant([2.0]))
  with tf.Graph().as_default():
    with pytest.raises(TypeError, match="tf.Tensor. as a Python .bool. is not allowed"):
      if tf.reduce_sum(tf.constant([2.0])) > 0:
        pass
