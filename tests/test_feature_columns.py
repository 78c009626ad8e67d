"""TF1 feature columns (``tf.compat.v1.feature_column``) in a pass, against graph mode.

Wide-and-deep style models build their embeddings and linear weights with
``input_layer`` and ``linear_model``, which make their variables with
``get_variable`` in variable scopes and share them through collections. In a
pass they give graph mode's variables (names, shapes, partitions, sharing),
values and outputs, eagerly and in ``tf.function``; a TF1 checkpoint of such
a model restores into it, and it trains.
"""

import os

import numpy as np
import pytest
import tensorflow as tf

import oracle
import tf1scope
import tf1scope.compat.v1 as tf1   # tf.compat.v1, with TF1's layers (Keras 3 removed them)

v1 = tf.compat.v1
fc = v1.feature_column

# Hash tables (vocabulary and hash-bucket columns) have no XLA kernels.
MODES = ("eager", "function")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _features():
  return {
      "id": tf.constant([[1], [3]], tf.int64),
      "id2": tf.constant([[4], [3]], tf.int64),
      "x": tf.constant([[1., 2.], [3., 4.]]),
      "w": tf.constant([[0.5], [2.0]]),
      "word": tf.constant([["a"], ["c"]]),
      "words": tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]],
                                      tf.constant(["a", "b", "zz"]), [2, 2]),
  }


def _identity_embedding(dim=4, seed=3):
  return fc.embedding_column(
      fc.categorical_column_with_identity("id", 10), dim,
      initializer=v1.random_uniform_initializer(seed=seed))


def identity_embedding():
  return (fc.input_layer(_features(), [_identity_embedding()]),
          v1.global_variables())


def hash_and_vocabulary_columns():
  columns = [
      fc.embedding_column(fc.categorical_column_with_hash_bucket("word", 7), 3,
                          combiner="sqrtn", initializer=v1.ones_initializer()),
      fc.indicator_column(
          fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c"])),
      fc.embedding_column(
          fc.categorical_column_with_vocabulary_list("words", ["a", "b"],
                                                     num_oov_buckets=2),
          2, initializer=v1.random_normal_initializer(seed=5)),
  ]
  return (fc.input_layer(_features(), columns), v1.global_variables(),
          v1.trainable_variables())


def bucketized_and_crossed_columns():
  bucketized = fc.bucketized_column(fc.numeric_column("w"), [0.0, 1.0, 1.5])
  crossed = fc.crossed_column([bucketized, "word"], 5)
  columns = [fc.numeric_column("x", shape=[2]), bucketized,
             fc.embedding_column(crossed, 2,
                                 initializer=v1.random_uniform_initializer(seed=4))]
  return fc.input_layer(_features(), columns), v1.global_variables()


def weighted_column():
  weighted = fc.weighted_categorical_column(
      fc.categorical_column_with_identity("id", 10), "w")
  column = fc.embedding_column(weighted, 2,
                               initializer=v1.random_normal_initializer(seed=1))
  return fc.input_layer(_features(), [column]), v1.global_variables()


def linear_model():
  columns = [fc.categorical_column_with_identity("id", 10),
             fc.numeric_column("x", shape=[2]),
             fc.categorical_column_with_hash_bucket("word", 5)]
  return (fc.linear_model(_features(), columns, units=2, sparse_combiner="mean"),
          v1.global_variables(), v1.trainable_variables())


def partitioned_embedding():
  with v1.variable_scope("emb", partitioner=v1.fixed_size_partitioner(2)):
    out = fc.input_layer(_features(), [_identity_embedding()])
  return out, v1.global_variables()


def input_layer_twice_in_a_reused_scope():
  with v1.variable_scope("tower", reuse=v1.AUTO_REUSE):
    columns = [_identity_embedding()]
    a = fc.input_layer(_features(), columns)
    b = fc.input_layer(_features(), columns)
  return a, b, v1.global_variables()


def input_layer_in_reused_scopes():
  columns = [_identity_embedding()]
  with v1.variable_scope("tower"):
    a = fc.input_layer(_features(), columns)
  with v1.variable_scope("tower", reuse=True):
    b = fc.input_layer(_features(), columns)
  return a, b, v1.global_variables()


def shared_embeddings():
  columns = fc.shared_embedding_columns(
      [fc.categorical_column_with_identity("id", 10),
       fc.categorical_column_with_identity("id2", 10)], 3,
      initializer=v1.random_uniform_initializer(seed=2))
  return (fc.input_layer(_features(), columns), v1.global_variables(),
          v1.trainable_variables())


PROGRAMS = [identity_embedding, hash_and_vocabulary_columns,
            bucketized_and_crossed_columns, weighted_column, linear_model,
            partitioned_embedding, input_layer_twice_in_a_reused_scope,
            input_layer_in_reused_scopes]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_feature_columns_match_graph_mode(program):
  expected = oracle.assert_matches_graph_without_error(program, modes=MODES)
  assert expected.output[-1], "the program made no variables"


def test_shared_embedding_columns_match_graph_mode_in_tf_function():
  expected = oracle.assert_matches_graph_without_error(
      shared_embeddings, modes=("function",))
  names = [v[1] for v in expected.output[1]]
  assert names == ["input_layer/id_id2_shared_embedding/embedding_weights:0"]


def test_shared_embedding_columns_eagerly_raise_tensorflows_error():
  """``shared_embedding_columns`` checks ``executing_eagerly()`` itself (TensorFlow's eager branch)."""
  outcome = oracle.run(shared_embeddings, "eager")
  assert outcome.error == (
      RuntimeError,
      "shared_embedding_columns are not supported when eager execution is "
      "enabled.")


class WideAndDeep(tf.Module):
  """A wide-and-deep model written with TF1 feature columns."""

  @tf1scope.track_tf1_style_variables
  def __call__(self, features):
    deep_columns = [
        fc.embedding_column(fc.categorical_column_with_identity("id", 10), 4,
                            initializer=v1.random_uniform_initializer(seed=7)),
        fc.numeric_column("x", shape=[2])]
    wide_columns = [fc.categorical_column_with_hash_bucket("word", 5),
                    fc.categorical_column_with_identity("id", 10)]
    with v1.variable_scope("deep"):
      net = fc.input_layer(features, deep_columns)
      net = tf1.layers.dense(net, 8, activation=tf.nn.relu,
                            kernel_initializer=v1.glorot_uniform_initializer(seed=8))
      deep = tf1.layers.dense(net, 1, kernel_initializer=v1.ones_initializer())
    with v1.variable_scope("wide"):
      wide = fc.linear_model(features, wide_columns)
    return deep + wide


def _wide_and_deep_in_graph(features_fn, checkpoint=None):
  """(output, {name: value}) of WideAndDeep's body in a TF1 graph, optionally restored."""
  with tf.Graph().as_default():
    out = WideAndDeep.__call__.__tf1scope_method__(None, features_fn())
    with v1.Session() as sess:
      sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
      if checkpoint is not None:
        v1.train.Saver().restore(sess, checkpoint)
      values = {v.op.name: sess.run(v) for v in v1.global_variables()}
      return sess.run(out), values


def test_a_tf1_checkpoint_of_a_feature_column_model_restores_by_name(tmp_path):
  """Graph mode trains nothing here; it writes its initial values, which the pass reads."""
  path = os.fspath(tmp_path / "model.ckpt")
  with tf.Graph().as_default():
    out = WideAndDeep.__call__.__tf1scope_method__(None, _features())
    # Make the checkpoint's values differ from any initializer.
    bump = [v1.assign_add(v, tf.fill(tf.shape(v), 0.25))
            for v in v1.global_variables()]
    with v1.Session() as sess:
      sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
      sess.run(bump)
      expected = sess.run(out)
      graph_names = sorted(v.op.name for v in v1.global_variables())
      v1.train.Saver().save(sess, path)
  model = WideAndDeep()
  model(_features())
  assert sorted(tf1scope.variables_by_name(model)) == graph_names
  tf1scope.restore_tf1_checkpoint(model, path)
  np.testing.assert_allclose(model(_features()).numpy(), expected, rtol=1e-6)
  np.testing.assert_allclose(tf.function(model)(_features()).numpy(), expected,
                             rtol=1e-6)


def test_a_feature_column_model_trains_under_tf_function():
  model = WideAndDeep()
  features = _features()
  labels = tf.constant([[1.0], [-1.0]])
  optimizer = tf.keras.optimizers.SGD(0.05)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      loss = tf.reduce_mean(tf.square(model(features) - labels))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, grads

  first, grads = step()
  count = len(model.variables)
  names = tf1scope.variables_by_name(model)
  embedding = names["deep/input_layer/id_embedding/embedding_weights"]
  index = [v.ref() for v in model.trainable_variables].index(embedding.ref())
  grad = tf.convert_to_tensor(grads[index]).numpy()
  # Only the embedding rows of the ids in the batch (1 and 3) get a gradient.
  assert np.any(grad[[1, 3]] != 0) and not np.any(np.delete(grad, [1, 3], 0))
  for _ in range(30):
    loss, _ = step()
  assert float(loss) < 0.1 * float(first)
  assert len(model.variables) == count


def test_the_wide_and_deep_model_matches_graph_mode_before_training():
  expected, graph_values = _wide_and_deep_in_graph(_features)
  model = WideAndDeep()
  got = tf.function(model)(_features()).numpy()
  values = {k: v.numpy() for k, v in tf1scope.variables_by_name(model).items()}
  assert sorted(values) == sorted(graph_values)
  for name, value in graph_values.items():
    np.testing.assert_allclose(values[name], value, rtol=1e-6, err_msg=name)
  np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_embedding_lookups_do_not_compile_with_xla_natively_either():
  """README's limit: the sparse ops of an embedding lookup have no XLA kernels, with or without tf1scope."""
  outcome = oracle.run(identity_embedding, "xla")
  assert outcome.error is not None and outcome.error[0] is tf.errors.InvalidArgumentError
  table = tf.Variable(tf.ones([10, 4]))

  @tf.function(jit_compile=True)
  def native(ids):
    return tf.nn.safe_embedding_lookup_sparse(table, tf.sparse.from_dense(ids))

  with pytest.raises(tf.errors.InvalidArgumentError, match="SparseReshape"):
    native(tf.constant([[1], [3]], tf.int64))
