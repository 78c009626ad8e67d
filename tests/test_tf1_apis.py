"""TF1 training-support APIs that create variables, inside a pass, against graph mode.

Global steps, moving averages, templates, metrics and learning-rate decay are
built on ``get_variable``, ``variable_scope`` and collections. Templates are
TF1's graph templates in every pass. Metrics and decay branch on
``tf.executing_eagerly()``: in an eager pass they take TensorFlow's eager
branch, and inside ``tf.function`` the graph one, as in TF1.
"""

import pytest
import tensorflow as tf

import oracle
import tf1scope

v1 = tf.compat.v1


def global_step():
  step = v1.train.get_or_create_global_step()
  return [step, v1.train.get_global_step(), v1.train.get_or_create_global_step(),
          v1.global_variables(),
          v1.get_collection(v1.GraphKeys.GLOBAL_STEP)]


def moving_average():
  w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
  ema = v1.train.ExponentialMovingAverage(0.9)
  ema.apply([w])
  return [ema.average(w), ema.average_name(w), v1.global_variables(),
          v1.moving_average_variables(), v1.trainable_variables()]


def _dense(x, scale=1.0):
  w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
  return x * w * scale


def template():
  layer = v1.make_template("layer", _dense)
  other = v1.make_template("layer", _dense)
  return [layer(tf.ones([2])), layer(tf.ones([2])), other(tf.ones([2])),
          layer.variable_scope, other.variable_scope, v1.global_variables()]


def _template_making_a_variable_on_its_second_call(name, make_late):
  """A template whose second call adds ``make_late()`` (TF1 raises for it)."""
  calls = []

  def grows(x):
    calls.append(1)
    w = v1.get_variable("w", [1], initializer=v1.ones_initializer())
    if len(calls) > 1:
      w = w + make_late()
    return x * w
  layer = v1.make_template(name, grows)
  layer(tf.ones([1]))
  layer(tf.ones([1]))


def template_asking_for_a_new_variable_later():
  _template_making_a_variable_on_its_second_call(
      "grows", lambda: v1.get_variable("late", [1],
                                       initializer=v1.ones_initializer()))


def template_with_a_tf_variable_later():
  _template_making_a_variable_on_its_second_call(
      "bad", lambda: tf.Variable([1.0], name="oops"))


def template_scope_made_now():
  with v1.variable_scope("layer"):
    v1.get_variable("taken", [1], initializer=v1.zeros_initializer())
  layer = v1.make_template("layer", _dense, create_scope_now_=True)
  with v1.variable_scope("outer"):
    inside = layer(tf.ones([2]))
  return [inside, layer(tf.ones([2])), layer.variable_scope,
          v1.global_variables()]


def template_arguments():
  fixed = v1.make_template("ignored", _dense, unique_name_="fixed")
  scaled = v1.make_template("scaled", _dense, scale=3.0)

  def doubling_getter(getter, name, *args, **kwargs):
    return getter(name + "_doubled", *args, **kwargs)
  renamed = v1.make_template("renamed", _dense, custom_getter_=doubling_getter)
  return [fixed(tf.ones([2])), scaled(tf.ones([2])), renamed(tf.ones([2])),
          renamed(tf.ones([2])), v1.global_variables()]


def nested_templates():
  inner = v1.make_template("inner", _dense)

  def outer_fn(x):
    return inner(x) + inner(x) * v1.get_variable(
        "b", [2], initializer=v1.constant_initializer(3.0))
  outer = v1.make_template("outer", outer_fn)
  with v1.variable_scope("model"):
    return [outer(tf.ones([2])), outer(tf.ones([2])), v1.global_variables(),
            v1.trainable_variables()]


def streaming_metric():
  _, update = v1.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
  return [v1.local_variables(), v1.get_collection(v1.GraphKeys.METRIC_VARIABLES)]


def learning_rate_decay():
  step = v1.train.get_or_create_global_step()
  rate = v1.train.exponential_decay(0.1, step, 100, 0.9, staircase=True)
  return [rate * 2.0, step]


@pytest.mark.parametrize("program", [global_step, moving_average],
                         ids=lambda p: p.__name__)
def test_matches_graph_mode(program):
  oracle.assert_matches_graph_without_error(program)


@pytest.mark.parametrize("program", [
    template, template_asking_for_a_new_variable_later,
    template_scope_made_now, template_arguments, nested_templates],
                         ids=lambda p: p.__name__)
def test_templates_match_graph_mode(program):
  """``make_template`` in a pass is TF1's graph template, eagerly too."""
  oracle.assert_matches_graph(program)


@pytest.mark.parametrize("mode", oracle.MODES)
def test_a_template_refuses_a_tf_variable_on_a_later_call_as_tf1(mode):
  """TF1's error, naming the variable (whose repr shows its value eagerly)."""
  expected = oracle.run(template_with_a_tf_variable_later, "graph").error
  got = oracle.run(template_with_a_tf_variable_later, mode).error
  assert got[0] is expected[0] is ValueError
  prefix = expected[1].split("<tf.Variable 'bad_1/oops:0'")[0]
  assert prefix.startswith("Trainable variable created when calling a template")
  assert got[1].startswith(prefix + "<tf.Variable 'bad_1/oops:0'"), got[1]


def test_learning_rate_decay_matches_graph_mode_in_tf_function():
  oracle.assert_matches_graph(learning_rate_decay, modes=("function",))


def test_metric_variables_match_graph_mode_in_tf_function():
  """Names, collections and identity; not values: a tf.function runs every
  stateful op it traced (the metric's update), a TF1 session only those fetched."""
  oracle.assert_matches_graph(streaming_metric, modes=("function",),
                              with_values=False)


class _HoldsATemplate(tf.Module):
  """A template made once, outside any pass (an eager template), called in every pass."""

  def __init__(self):
    super().__init__()
    self.layer = v1.make_template("layer", _dense)

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    with v1.variable_scope("model"):
      return self.layer(self.layer(x) * 2.0)


def test_a_template_made_outside_the_pass_works_as_in_one_tf1_graph():
  with tf.Graph().as_default():   # TF1: one graph, the template made in it
    layer = v1.make_template("layer", _dense)
    with v1.variable_scope("model"):
      layer(layer(tf.ones([2])) * 2.0)
    expected = [(v.name, tuple(v.shape)) for v in v1.global_variables()]
  assert expected == [("model/layer/w:0", (2,))]
  for mode in oracle.MODES:
    owner = _HoldsATemplate()
    call = owner if mode == "eager" else tf.function(
        owner.__call__, jit_compile=(mode == "xla"))
    for _ in range(2):   # a later pass reuses what the first one created
      assert call(tf.ones([2])).numpy().tolist() == [2.0, 2.0]
      assert [(v.name, tuple(v.shape)) for v in owner.variables] == expected


def test_outside_a_pass_an_eager_template_is_tensorflows():
  owner = _HoldsATemplate()
  owner(tf.ones([2]))
  # Called outside any pass: TensorFlow's eager template, with its own store.
  assert owner.layer(tf.ones([2])).numpy().tolist() == [1.0, 1.0]
  assert [v.name for v in owner.layer.variables] == ["layer/w:0"]
  assert list(tf1scope.variables_by_name(owner)) == ["model/layer/w"]


def test_eager_branches_are_tensorflows():
  """Eagerly, TF's own eager branches apply: metrics refuse, decay gives a callable."""
  assert oracle.run(streaming_metric, "eager").error == (
      RuntimeError,
      "tf.metrics.accuracy is not supported when eager execution is enabled.")

  class Decay(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      step = v1.train.get_or_create_global_step()
      return v1.train.exponential_decay(0.1, step, 100, 0.9)

  rate = Decay()()
  assert callable(rate)
  assert float(rate()) == pytest.approx(0.1)


def test_threads_share_a_template_made_outside_without_sharing_its_state():
  import threading  # pylint: disable=g-import-not-at-top
  barrier = threading.Barrier(2)

  def meets_the_other_thread(x):
    barrier.wait(timeout=30)   # both passes are inside the template at once
    return _dense(x)

  shared = v1.make_template("shared", meets_the_other_thread)

  class Owner(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self, x):
      with v1.variable_scope("model"):
        return shared(shared(x))

  owners = [Owner(), Owner()]
  errors, outputs = [], {}

  def run(i):
    try:
      for _ in range(3):
        outputs[i] = owners[i](tf.ones([2])).numpy().tolist()
    except Exception as e:  # pylint: disable=broad-except
      errors.append(e)
      barrier.abort()

  threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
  for t in threads:
    t.start()
  for t in threads:
    t.join(timeout=60)
  assert not errors, errors
  assert outputs == {0: [1.0, 1.0], 1: [1.0, 1.0]}
  for owner in owners:
    assert [v.name for v in owner.variables] == ["model/shared/w:0"]
  assert owners[0].variables[0] is not owners[1].variables[0]
