"""TF1 collections in a pass, against TF1 graph mode; nothing changes outside."""

import json
import os
import subprocess
import sys

import pytest
import tensorflow as tf

import oracle

v1 = tf.compat.v1
GraphKeys = v1.GraphKeys

check = oracle.assert_matches_graph_without_error


def _build():
  """Variables of every kind, in two scopes."""
  with v1.variable_scope("foo"):
    a = v1.get_variable("a", [1], initializer=v1.ones_initializer(),
                        regularizer=lambda v: tf.reduce_sum(v) * 2.0)
    b = v1.get_variable("b", [1], trainable=False,
                        initializer=v1.constant_initializer(2.0))
    c = v1.get_local_variable("c", [1], initializer=v1.zeros_initializer())
    d = tf.Variable(1.0, name="d")
    e = tf.Variable(2.0, name="e", trainable=False)
  with v1.variable_scope("foobar"):
    f = v1.get_variable("f", [1], initializer=v1.ones_initializer(),
                        regularizer=lambda v: tf.reduce_sum(v) * 3.0)
  with v1.variable_scope("foo", reuse=True):
    a_again = v1.get_variable("a", [1])
  g = v1.get_variable("g", [1], collections=["mine", GraphKeys.LOCAL_VARIABLES],
                      initializer=v1.constant_initializer(3.0))
  return [a, b, c, d, e, f, a_again, g]


def test_variable_lists():
  def program():
    made = _build()
    return [made, v1.global_variables(), v1.trainable_variables(),
            v1.local_variables(), v1.model_variables(),
            v1.moving_average_variables()]
  check(program, with_values=False)


KEYS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
        GraphKeys.LOCAL_VARIABLES, GraphKeys.REGULARIZATION_LOSSES, "mine",
        "never_used")


def test_get_collection():
  def program():
    _build()
    return {key: v1.get_collection(key) for key in KEYS}
  check(program)


def test_a_collection_list_held_by_the_program_sees_later_variables():
  """get_collection_ref hands out the live list: variables used later are in it."""
  def program():
    held = v1.get_collection_ref(GraphKeys.GLOBAL_VARIABLES)
    copy = v1.get_collection(GraphKeys.TRAINABLE_VARIABLES)
    with v1.variable_scope("late"):
      v = v1.get_variable("v", [2], initializer=v1.zeros_initializer())
      w = tf.Variable(1.0, name="w")
    return [list(held), copy, v, w]
  check(program)


def test_collections_list_variables_in_use_order_around_other_additions():
  def program():
    own = ["own", GraphKeys.GLOBAL_VARIABLES]
    zeros = v1.zeros_initializer()
    a = v1.get_variable("a", [1], initializer=zeros, collections=own)
    v1.add_to_collection("own", "between")
    b = v1.get_variable("b", [1], initializer=zeros, collections=own)
    names = [getattr(x, "name", x) for x in v1.get_collection("own")]
    c = v1.get_variable("c", [1], initializer=zeros, collections=own)
    v1.add_to_collections(["own", "other"], "after")
    return [names, a, b, c, [getattr(x, "name", x)
                             for x in v1.get_collection("own")],
            v1.get_collection("other")]
  check(program)


def test_update_ops():
  def program():
    with v1.variable_scope("bn"):
      v = v1.get_variable("moving_mean", [2], trainable=False,
                          initializer=v1.zeros_initializer())
      v1.add_to_collection(GraphKeys.UPDATE_OPS, tf.constant(1.0))
      v1.add_to_collections([GraphKeys.UPDATE_OPS, "other"], v * 2.0)
    v1.get_collection_ref(GraphKeys.UPDATE_OPS).append(tf.constant(3.0))
    return [v1.get_collection(GraphKeys.UPDATE_OPS),
            v1.get_collection("other"), v1.get_collection_ref("other")]
  check(program)


def test_add_to_collection_of_python_values():
  def program():
    v1.add_to_collection("strings", "hello")
    v1.add_to_collections(("a", "b"), 3)
    v1.add_to_collections("single", 4.5)
    ref = v1.get_collection_ref("ref")
    ref.extend([1, 2])
    return [v1.get_collection("strings"), v1.get_collection("a"),
            v1.get_collection("b"), v1.get_collection("single"),
            v1.get_collection("ref"), v1.get_collection("missing")]
  check(program)


SCOPES = ("foo", "foo/", "foobar", "fo+", "nothing", "", None)


def test_get_collection_scope_filter():
  """TF1 filters with re.match: "foo" also matches "foobar/..."."""
  def program():
    _build()
    out = {}
    for scope in SCOPES:
      out[scope] = {key: v1.get_collection(key, scope=scope) for key in (
          GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
          GraphKeys.LOCAL_VARIABLES, "mine")}
      out[scope].update(globals=v1.global_variables(scope),
                        trainables=v1.trainable_variables(scope),
                        locals=v1.local_variables(scope))
    return out
  check(program, with_values=False)


def test_variable_scope_collection_methods():
  def program():
    out = []
    with v1.variable_scope("foo") as foo:
      v1.get_variable("a", [1])
      v1.get_variable("b", [1], trainable=False)
      v1.get_local_variable("c", [1])
      with v1.variable_scope("inner") as inner:
        v1.get_variable("d", [1])
      out += [foo.trainable_variables(), foo.global_variables(),
              foo.local_variables(), inner.trainable_variables()]
    with v1.variable_scope("foobar") as foobar:
      v1.get_variable("e", [1])
    root = v1.get_variable_scope()
    out += [foo.trainable_variables(), foobar.global_variables(),
            root.trainable_variables(),
            foo.get_collection(GraphKeys.GLOBAL_VARIABLES)]
    return out
  check(program, with_values=False)


def test_regularization_losses_in_collections():
  def program():
    _build()
    return [v1.get_collection(GraphKeys.REGULARIZATION_LOSSES),
            v1.losses.get_regularization_losses(),
            v1.losses.get_regularization_loss()]
  check(program)


def test_tf_variable_collections():
  def program():
    a = v1.Variable(1.0, name="a", collections=["mine"])
    b = v1.Variable(2.0, name="b", collections=[GraphKeys.LOCAL_VARIABLES],
                    trainable=False)
    c = tf.Variable(3.0, name="c",
                    synchronization=tf.VariableSynchronization.ON_READ)
    return [a, b, c, v1.global_variables(), v1.trainable_variables(),
            v1.local_variables(), v1.get_collection("mine")]
  check(program, with_values=False)


def test_collections_start_empty_each_pass():
  def program():
    before = [v1.global_variables(), v1.get_collection("mine"),
              v1.get_collection(GraphKeys.UPDATE_OPS)]
    v1.get_variable("v", [1])
    v1.add_to_collection("mine", 1)
    v1.add_to_collection(GraphKeys.UPDATE_OPS, tf.constant(1.0))
    return [before, v1.global_variables(), v1.get_collection("mine")]
  check(program, with_values=False)


# --- outside a pass: tf1scope changes nothing ---------------------------------

_PROBE = r'''
import json, os, sys, threading
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
v1 = tf.compat.v1
GraphKeys = v1.GraphKeys


def eager_probe():
  out = {}
  a = v1.get_variable("v", [1])
  b = v1.get_variable("v", [1])
  out["get_variable"] = [a.name, b.name, a is b, type(a).__name__]
  scope = v1.get_variable_scope()
  out["root"] = [type(scope).__module__, scope.name, str(scope.reuse)]
  with v1.variable_scope("s") as s:
    c = v1.get_variable("w", [2])
    out["scoped"] = [c.name, s.name, s.original_name_scope, str(s.reuse),
                     type(s).__module__, tf.get_current_name_scope()]
  with v1.variable_scope(None, default_name="d") as d:
    out["default"] = [d.name, tf.get_current_name_scope()]
  with tf.name_scope("ns") as ns:
    out["name_scope"] = [ns, tf.Variable(1.0, name="x").name,
                         tf.Variable(1.0, name="x").name]
  with v1.name_scope("n1") as n1:
    out["v1_name_scope"] = n1
  out["collections"] = [len(v1.global_variables()),
                        len(v1.trainable_variables()),
                        len(v1.get_collection(GraphKeys.UPDATE_OPS))]
  out["keys"] = sorted(
      map(str, v1.get_default_graph().get_all_collection_keys()))
  try:
    with v1.variable_scope("r", reuse=True):
      out["reuse"] = v1.get_variable("missing", [1]).name
  except Exception as e:
    out["reuse"] = type(e).__name__

  @tf.function
  def fn():
    return v1.get_variable("fv", [1]).read_value()
  try:
    out["function"] = fn().numpy().shape
  except Exception as e:
    out["function"] = type(e).__name__
  return out


def build_graph():
  graph = tf.Graph()
  with graph.as_default():
    with v1.variable_scope("g"):
      v1.get_variable("v", [1], regularizer=lambda x: tf.reduce_sum(x))
      v1.get_variable("l", [1], collections=[GraphKeys.LOCAL_VARIABLES])
      tf.Variable(1.0, name="t")
    with tf.name_scope("g"):
      v1.add_to_collection(GraphKeys.UPDATE_OPS, tf.constant(1.0))
  return graph


def graph_probe(graph):
  with graph.as_default():
    names = lambda xs: [getattr(x, "name", str(x)) for x in xs]
    with v1.variable_scope("g", reuse=True):
      shared = v1.get_variable("v", [1]).name
    with tf.name_scope("g") as ns:
      pass
    return [names(v1.global_variables()), names(v1.trainable_variables()),
            names(v1.local_variables()),
            names(v1.get_collection(GraphKeys.REGULARIZATION_LOSSES)),
            names(v1.get_collection(GraphKeys.UPDATE_OPS)),
            sorted(map(str, graph.get_all_collection_keys())), shared, ns]


def in_thread(fn):
  result = []
  thread = threading.Thread(target=lambda: result.append(fn()))
  thread.start()
  thread.join()
  return result[0]


def run(call):
  """Probes, calls ``call`` as a method eagerly and in a tf.function, probes."""
  report = {}
  old_graph = build_graph()
  report["before"] = [eager_probe(), graph_probe(build_graph())]

  class Model(tf.Module):
    __call__ = call

  model = Model()
  model()
  report["eager_pass"] = THREAD_REPORTS.pop()
  tf.function(model.__call__)()
  report["function_pass"] = THREAD_REPORTS.pop()
  report["after"] = [eager_probe(), graph_probe(build_graph())]
  report["old_graph"] = graph_probe(old_graph)
  report["fresh_graph"] = graph_probe(build_graph())
  return report


THREAD_REPORTS = []


def plain_call(self):
  """The probes on another thread, without tf1scope."""
  del self
  THREAD_REPORTS.append([in_thread(eager_probe),
                         in_thread(lambda: graph_probe(build_graph()))])
  return tf.constant(0)


def tf1_body(self):
  """TF1 code that fills every collection, then the probes on another thread."""
  with v1.variable_scope("s"):
    v1.get_variable("w", [2], regularizer=lambda x: tf.reduce_sum(x))
  v1.add_to_collection(GraphKeys.UPDATE_OPS, tf.constant(1.0))
  v1.add_to_collection("mine", 1)
  return plain_call(self)


reports = {"plain": run(plain_call)}
assert "tf1scope" not in sys.modules
v1.reset_default_graph()  # the eager TF1 state (default-name counters...)
import tf1scope
reports["tf1scope"] = run(tf1scope.track_tf1_style_variables(tf1_body))
print(json.dumps(reports, default=str))
'''


@pytest.fixture(scope="module")
def probe_reports():
  """The probe's report without tf1scope, then with tf1scope passes."""
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
  result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
  assert result.returncode == 0, result.stderr[-3000:]
  return json.loads(result.stdout.strip().splitlines()[-1])


def test_eager_tf1_calls_outside_a_pass_unchanged(probe_reports):
  plain, with_passes = probe_reports["plain"], probe_reports["tf1scope"]
  assert with_passes["after"][0] == plain["after"][0]
  assert with_passes["before"][0] == plain["before"][0]
  # Plain TF2: a new variable on every eager get_variable call.
  assert plain["after"][0]["get_variable"][:3] == ["v:0", "v:0", False]


def test_graph_mode_unchanged(probe_reports):
  plain, with_passes = probe_reports["plain"], probe_reports["tf1scope"]
  assert with_passes["after"][1] == plain["after"][1]
  assert with_passes["fresh_graph"] == plain["fresh_graph"]
  assert plain["after"][1][0] == ["g/v:0", "g/t:0"]


def test_graph_collections_untouched_by_a_pass(probe_reports):
  plain, with_passes = probe_reports["plain"], probe_reports["tf1scope"]
  assert with_passes["old_graph"] == plain["old_graph"]
  assert with_passes["old_graph"] == with_passes["before"][1]


def test_other_threads_unaffected_during_a_pass(probe_reports):
  plain, with_passes = probe_reports["plain"], probe_reports["tf1scope"]
  assert with_passes["eager_pass"] == plain["eager_pass"]
  assert with_passes["function_pass"] == plain["function_pass"]
  assert plain["eager_pass"][1] == plain["before"][1]
