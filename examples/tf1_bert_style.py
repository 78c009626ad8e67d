"""A BERT-style TF1 fine-tuning script, unchanged but for its import: TPUEstimator(use_tpu=False) on CPU.

The idioms of TF1's BERT ``run_classifier.py``, on a tiny encoder and
synthetic data: a "pre-trained" checkpoint (made here in a TF1 graph), a
``tf.contrib.tpu.TPUEstimator`` with ``use_tpu=False``, examples in a TFRecord
file read with ``tf.contrib.data.map_and_batch``, a model function that
warm-starts the encoder with ``init_from_checkpoint`` inside ``scaffold_fn``,
a hand-written Adam-with-weight-decay ``tf.train.Optimizer`` with warm-up and
polynomial decay, ``tf.gradients`` and ``clip_by_global_norm``, and
``eval_metrics=(metric_fn, tensors)``. The task: does token 3 occur in the
sequence?

    python examples/tf1_bert_style.py
"""

import os
import re
import tempfile

import numpy as np

import tf1scope.compat.v1 as tf   # was: import tensorflow as tf (TF 1.x)

VOCAB, HIDDEN, SEQ = 8, 16, 6


# --- modeling.py ------------------------------------------------------------------


def layer_norm(x, name):
  return tf.contrib.layers.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-1,
                                      scope=name)


def encoder(input_ids, is_training):
  """Embeddings, one self-attention layer and a pooler, named as BERT names them."""
  with tf.variable_scope("bert"):
    with tf.variable_scope("embeddings"):
      table = tf.get_variable("word_embeddings", [VOCAB, HIDDEN],
                              initializer=tf.truncated_normal_initializer(stddev=0.2))
      x = layer_norm(tf.nn.embedding_lookup(table, input_ids), "LayerNorm")
    with tf.variable_scope("encoder/layer_0/attention/self"):
      q = tf.layers.dense(x, HIDDEN, name="query")
      k = tf.layers.dense(x, HIDDEN, name="key")
      v = tf.layers.dense(x, HIDDEN, name="value")
      scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(HIDDEN)
      context = tf.matmul(tf.nn.softmax(scores), v)
    with tf.variable_scope("encoder/layer_0/output"):
      if is_training:
        context = tf.nn.dropout(context, keep_prob=0.9)
      x = layer_norm(x + context, "LayerNorm")
    with tf.variable_scope("pooler"):
      return tf.layers.dense(tf.reduce_max(x, axis=1), HIDDEN, activation=tf.tanh,
                             name="dense")


# --- optimization.py --------------------------------------------------------------


class AdamWeightDecayOptimizer(tf.train.Optimizer):
  """Adam with decoupled weight decay, its slots made with get_variable (as BERT's)."""

  def __init__(self, learning_rate, weight_decay_rate=0.01, beta_1=0.9,
               beta_2=0.999, epsilon=1e-6, name="AdamWeightDecayOptimizer"):
    super().__init__(False, name)
    self.learning_rate, self.weight_decay_rate = learning_rate, weight_decay_rate
    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

  def apply_gradients(self, grads_and_vars, global_step=None, name=None):
    assignments = []
    for grad, param in grads_and_vars:
      param_name = re.match("^(.*):\\d+$", param.name).group(1)
      m = tf.get_variable(param_name + "/adam_m", param.shape.as_list(),
                          tf.float32, trainable=False,
                          initializer=tf.zeros_initializer())
      v = tf.get_variable(param_name + "/adam_v", param.shape.as_list(),
                          tf.float32, trainable=False,
                          initializer=tf.zeros_initializer())
      next_m = tf.multiply(self.beta_1, m) + tf.multiply(1.0 - self.beta_1, grad)
      next_v = (tf.multiply(self.beta_2, v) +
                tf.multiply(1.0 - self.beta_2, tf.square(grad)))
      update = next_m / (tf.sqrt(next_v) + self.epsilon)
      if not any(n in param_name for n in ("LayerNorm", "bias")):
        update += self.weight_decay_rate * param
      assignments += [param.assign(param - self.learning_rate * update),
                      m.assign(next_m), v.assign(next_v)]
    return tf.group(*assignments, name=name)


def create_optimizer(loss, init_lr, num_train_steps, num_warmup_steps):
  global_step = tf.train.get_or_create_global_step()
  learning_rate = tf.train.polynomial_decay(
      tf.constant(init_lr), global_step, num_train_steps, end_learning_rate=0.0)
  warmup = tf.cast(global_step, tf.float32) < num_warmup_steps
  warmup_lr = init_lr * tf.cast(global_step, tf.float32) / num_warmup_steps
  learning_rate = tf.where(warmup, warmup_lr, learning_rate)
  optimizer = AdamWeightDecayOptimizer(learning_rate)
  tvars = tf.trainable_variables()
  grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), clip_norm=1.0)
  train_op = optimizer.apply_gradients(zip(grads, tvars), global_step=global_step)
  return tf.group(train_op, [global_step.assign(global_step + 1)])


# --- run_classifier.py ------------------------------------------------------------


def write_examples(path, rng, count):
  with tf.python_io.TFRecordWriter(path) as writer:
    for _ in range(count):
      ids = rng.randint(0, VOCAB, size=SEQ)
      label = int(3 in ids)
      features = {"input_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
                  "label_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=[label]))}
      writer.write(tf.train.Example(features=tf.train.Features(
          feature=features)).SerializeToString())


def input_fn_builder(path, is_training):
  name_to_features = {"input_ids": tf.FixedLenFeature([SEQ], tf.int64),
                      "label_ids": tf.FixedLenFeature([], tf.int64)}

  def decode(record):
    example = tf.parse_single_example(record, name_to_features)
    return {name: tf.to_int32(t) for name, t in example.items()}

  def input_fn(params):
    d = tf.data.TFRecordDataset(path)
    if is_training:
      d = d.repeat().shuffle(buffer_size=100, seed=1)
    return d.apply(tf.contrib.data.map_and_batch(
        decode, batch_size=params["batch_size"], drop_remainder=is_training))
  return input_fn


def assignment_map_from_checkpoint(tvars, init_checkpoint):
  names = {re.match("^(.*):\\d+$", v.name).group(1) for v in tvars}
  assignment_map = {name: name for name, _ in tf.train.list_variables(init_checkpoint)
                    if name in names}
  return assignment_map, set(assignment_map)


def model_fn_builder(init_checkpoint, learning_rate, num_train_steps):
  def model_fn(features, labels, mode, params):
    is_training = mode == tf.estimator.ModeKeys.TRAIN
    pooled = encoder(features["input_ids"], is_training)
    logits = tf.layers.dense(pooled, 2, name="output")
    log_probs = tf.nn.log_softmax(logits)
    one_hot = tf.one_hot(features["label_ids"], depth=2)
    per_example_loss = -tf.reduce_sum(one_hot * log_probs, axis=-1)
    loss = tf.reduce_mean(per_example_loss)
    assignment_map, initialized = assignment_map_from_checkpoint(
        tf.trainable_variables(), init_checkpoint)

    def scaffold_fn():
      tf.train.init_from_checkpoint(init_checkpoint, assignment_map)
      return tf.train.Scaffold()

    if mode == tf.estimator.ModeKeys.TRAIN:
      tf.logging.info("%d variables start from %s", len(initialized), init_checkpoint)
      return tf.contrib.tpu.TPUEstimatorSpec(
          mode, loss=loss, scaffold_fn=scaffold_fn,
          train_op=create_optimizer(loss, learning_rate, num_train_steps, 10))
    if mode == tf.estimator.ModeKeys.EVAL:
      def metric_fn(per_example_loss, label_ids, logits):
        predictions = tf.argmax(logits, axis=-1, output_type=tf.int32)
        return {"eval_accuracy": tf.metrics.accuracy(label_ids, predictions),
                "eval_loss": tf.metrics.mean(per_example_loss)}
      return tf.contrib.tpu.TPUEstimatorSpec(
          mode, loss=loss, scaffold_fn=scaffold_fn,
          eval_metrics=(metric_fn, [per_example_loss, features["label_ids"], logits]))
    return tf.contrib.tpu.TPUEstimatorSpec(
        mode, predictions={"probabilities": tf.nn.softmax(logits)},
        scaffold_fn=scaffold_fn)
  return model_fn


def pretrain_checkpoint(path):
  """The "pre-trained" encoder: made and saved in a TF1 graph, as BERT's release was."""
  with tf.Graph().as_default():
    encoder(tf.zeros([1, SEQ], tf.int32), is_training=False)
    with tf.Session() as session:
      session.run(tf.global_variables_initializer())
      return tf.train.Saver().save(session, path)


def main():
  work = tempfile.mkdtemp()
  init_checkpoint = pretrain_checkpoint(os.path.join(work, "bert_model.ckpt"))
  rng = np.random.RandomState(0)
  train_file, eval_file = os.path.join(work, "train.tf_record"), os.path.join(work, "eval.tf_record")
  write_examples(train_file, rng, 256)
  write_examples(eval_file, rng, 64)

  run_config = tf.contrib.tpu.RunConfig(
      cluster=None, master=None, model_dir=os.path.join(work, "output"),
      save_checkpoints_steps=100, tf_random_seed=1,
      tpu_config=tf.contrib.tpu.TPUConfig(
          iterations_per_loop=100, num_shards=8,
          per_host_input_for_training=tf.contrib.tpu.InputPipelineConfig.PER_HOST_V2))
  num_train_steps = 200
  estimator = tf.contrib.tpu.TPUEstimator(
      use_tpu=False, model_fn=model_fn_builder(init_checkpoint, 2e-3, num_train_steps),
      config=run_config, train_batch_size=16, eval_batch_size=16,
      predict_batch_size=8)
  estimator.train(input_fn=input_fn_builder(train_file, True), max_steps=num_train_steps)

  # The encoder started from the pre-trained checkpoint and moved from it.
  first = tf.train.load_variable(os.path.join(work, "output", "model.ckpt-0"),
                                 "bert/embeddings/word_embeddings")
  pretrained = tf.train.load_variable(init_checkpoint, "bert/embeddings/word_embeddings")
  np.testing.assert_array_equal(first, pretrained)
  assert not np.allclose(estimator.get_variable_value("bert/embeddings/word_embeddings"),
                         pretrained)

  result = estimator.evaluate(input_fn=input_fn_builder(eval_file, False))
  print({k: round(float(v), 3) for k, v in sorted(result.items())})
  assert result["eval_accuracy"] > 0.8, result
  probabilities = [p["probabilities"] for p in
                   estimator.predict(input_fn=input_fn_builder(eval_file, False))]
  print("predicted probabilities of the first example:", np.round(probabilities[0], 3))
  print("adam slots, e.g.:", [n for n in estimator.get_variable_names()
                              if n.endswith("adam_m")][:2])


if __name__ == "__main__":
  main()
