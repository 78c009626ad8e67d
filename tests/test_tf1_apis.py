"""TF1 training-support APIs that create variables, inside a pass, against graph mode.

Global steps, moving averages, templates, metrics and learning-rate decay are
built on ``get_variable``, ``variable_scope`` and collections. Some of them
branch on ``tf.executing_eagerly()``: in an eager pass they take TensorFlow's
eager branch, and inside ``tf.function`` the graph one, as in TF1.
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


def template():
  def dense(x):
    w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
    return x * w
  layer = v1.make_template("layer", dense)
  other = v1.make_template("layer", dense)
  return [layer(tf.ones([2])), layer(tf.ones([2])), other(tf.ones([2])),
          v1.global_variables()]


def template_asking_for_a_new_variable_later():
  calls = []

  def grows(x):
    calls.append(1)
    w = v1.get_variable("w", [1], initializer=v1.ones_initializer())
    if len(calls) > 1:
      w = w + v1.get_variable("late", [1], initializer=v1.ones_initializer())
    return x * w
  layer = v1.make_template("grows", grows)
  layer(tf.ones([1]))
  layer(tf.ones([1]))


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


@pytest.mark.parametrize("program", [template, template_asking_for_a_new_variable_later,
                                     learning_rate_decay],
                         ids=lambda p: p.__name__)
def test_graph_branch_apis_match_graph_mode_in_tf_function(program):
  oracle.assert_matches_graph(program, modes=("function",))


def test_metric_variables_match_graph_mode_in_tf_function():
  """Names, collections and identity; not values: a tf.function runs every
  stateful op it traced (the metric's update), a TF1 session only those fetched."""
  oracle.assert_matches_graph(streaming_metric, modes=("function",),
                              with_values=False)


def test_eager_templates_name_the_fix():
  got = oracle.run(template, "eager")
  assert got.error == (AttributeError,
                       "tf.compat.v1.make_template makes an eager template "
                       "when called eagerly, and eager templates keep their "
                       "own variable store, which a "
                       "@tf1scope.track_tf1_style_variables pass does not "
                       "have.")


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
