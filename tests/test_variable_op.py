"""``variable.op`` in a pass: the TF1 graph node's name and type, as in graph mode."""

import pytest
import tensorflow as tf

import oracle
import tf1scope

v1 = tf.compat.v1


def _op_facts(variables):
  return [(v.op.name, v.op.type, v.op is v.op, v.op.node_def.name,
           v.op.node_def.op, list(v.op.inputs)) for v in variables]


def scoped_variables():
  """get_variable and tf.Variable under variable and name scopes, reused and taken names."""
  with v1.variable_scope("net"):
    w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
    with v1.name_scope("block"):
      b = v1.get_variable("b", [2], initializer=v1.zeros_initializer())
      v = tf.Variable(1.0, name="v")
      v_again = tf.Variable(2.0, name="v")
  with v1.variable_scope("net", reuse=True):
    w_again = v1.get_variable("w")
  return [w, b, v, v_again, w_again is w, _op_facts([w, b, v, v_again])]


def collection_names():
  """The TF1 idiom: a name map of every variable, by op name."""
  with v1.variable_scope("layer"):
    v1.get_variable("kernel", [3, 2], initializer=v1.ones_initializer())
    v1.get_variable("bias", [2], trainable=False)
  step = v1.train.get_or_create_global_step()
  return [sorted(v.op.name for v in v1.global_variables()),
          sorted(v.op.name for v in v1.trainable_variables()),
          step.op.name + "/sec"]


def partitioned_shards():
  p = v1.get_variable("emb", [6, 2], initializer=v1.ones_initializer(),
                      partitioner=v1.fixed_size_partitioner(3))
  return [[shard.op.name for shard in p], [shard.op.type for shard in p]]


def layer_variables():
  x = tf.ones([2, 3])
  tf1scope.layers.dense(x, 4, name="fc", kernel_initializer=v1.ones_initializer())
  return sorted(v.op.name for v in v1.trainable_variables())


@pytest.mark.parametrize("program", [scoped_variables, collection_names,
                                     partitioned_shards, layer_variables])
def test_variable_op_names_and_types_match_graph_mode(program):
  oracle.assert_matches_graph_without_error(program, modes=("eager", "function"))


def test_op_names_key_a_saver_that_restores_in_a_tf1_graph(tmp_path):
  """``Saver({v.op.name: v})`` in a pass writes what a TF1 graph's Saver reads."""

  class Model(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with v1.variable_scope("net"):
        w = v1.get_variable("w", initializer=tf.constant([1.0, 2.0]))
      return v1.train.Saver({v.op.name: v for v in v1.global_variables()}), w

  model = Model()
  saver, _ = model()
  path = saver.save(None, str(tmp_path / "model.ckpt"))
  with tf.Graph().as_default():
    w = v1.get_variable("net/w", [2])
    with v1.Session() as session:
      v1.train.Saver().restore(session, path)
      assert session.run(w).tolist() == [1.0, 2.0]


def test_outside_a_pass_an_eager_variable_still_has_no_op():
  variable = tf.Variable(1.0, name="plain")
  with pytest.raises(AttributeError, match="Tensor.op is undefined"):
    variable.op  # pylint: disable=pointless-statement


def test_a_graph_variable_keeps_its_real_op_in_a_pass():
  """A TF1 graph made inside a pass is TensorFlow's own: its variables have graph ops."""

  class Model(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      with tf.Graph().as_default():
        w = v1.get_variable("w", [2])
        return type(w.op).__name__, w.op.name

  assert Model()() == ("Operation", "w")


def test_variable_op_repr_names_the_node():
  class Model(tf.Module):

    @tf1scope.track_tf1_style_variables
    def __call__(self):
      return repr(v1.get_variable("w", [2]).op)

  assert Model()() == "<tf1scope.VariableOp 'w' type=VarHandleOp>"


def control_dependency_on_a_variable():
  """TensorFlow's own checks that tell graph variables from eager ones are unchanged."""
  w = v1.get_variable("w", initializer=tf.constant([1.0, 2.0]))
  with tf.control_dependencies([w]):
    y = tf.identity(w.read_value() * 2.0)
  return [w, y]


def test_tensorflows_own_variable_checks_see_tensorflows_answer():
  oracle.assert_matches_graph_without_error(control_dependency_on_a_variable,
                                            modes=("eager", "function"))
