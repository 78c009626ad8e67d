"""A TF1 Estimator training script (``tf.estimator``, removed in TensorFlow 2.16), run in TF2.

The ``model_fn``, the ``input_fn`` and the script that calls
``Estimator(...).train / evaluate / predict`` are TF1 code as written for
TF 1.15; the only change is the import. Training stops half-way and a
second Estimator on the same ``model_dir`` resumes from its TF1 checkpoint,
as TF1's Estimator does, with ``train_and_evaluate`` and a ``LatestExporter``;
a TF1 graph with a ``Saver`` then restores the final checkpoint, and the
exported SavedModel serves, the same classes.

Run:  python examples/tf1_estimator.py
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf2  # noqa: E402

import tf1scope.compat.v1 as tf  # noqa: E402  (TF1 names, tf.layers and tf.estimator included)

# Synthetic data: three Gaussian blobs in 4-D, one class each.
_rng = np.random.RandomState(0)
CENTERS = _rng.normal(scale=3.0, size=(3, 4)).astype(np.float32)
LABELS = _rng.randint(0, 3, size=600)
FEATURES = (CENTERS[LABELS] + _rng.normal(size=(600, 4))).astype(np.float32)


# --- TF1 code, unchanged -----------------------------------------------------------

def model_fn(features, labels, mode, params):
  training = mode == tf.estimator.ModeKeys.TRAIN
  net = features["x"]
  for i, units in enumerate(params["hidden_units"]):
    net = tf.layers.dense(net, units, activation=tf.nn.relu, name="hidden_%d" % i)
    net = tf.layers.batch_normalization(net, training=training,
                                        name="bn_%d" % i)
  logits = tf.layers.dense(net, params["n_classes"], name="logits")
  classes = tf.argmax(logits, axis=1)
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(
        mode, predictions={"class_ids": classes,
                           "probabilities": tf.nn.softmax(logits)})
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  if mode == tf.estimator.ModeKeys.EVAL:
    accuracy = tf.metrics.accuracy(labels=labels, predictions=classes)
    return tf.estimator.EstimatorSpec(mode, loss=loss,
                                      eval_metric_ops={"accuracy": accuracy})
  optimizer = tf.train.AdamOptimizer(learning_rate=params["learning_rate"])
  with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
  return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def train_input_fn(params):
  data = tf.data.Dataset.from_tensor_slices(({"x": FEATURES}, LABELS))
  return data.shuffle(600, seed=1).repeat().batch(params["batch_size"])


def eval_input_fn():
  return tf.data.Dataset.from_tensor_slices(({"x": FEATURES}, LABELS)).batch(100)


def serving_input_receiver_fn():
  inputs = {"x": tf.placeholder(tf.float32, [None, 4], name="x")}
  return tf.estimator.export.ServingInputReceiver(inputs, inputs)


def predict_input_fn():
  return tf.data.Dataset.from_tensor_slices({"x": FEATURES[:5]}).batch(5)


PARAMS = {"hidden_units": [16, 16], "n_classes": 3, "learning_rate": 0.01,
          "batch_size": 32}


def main():
  model_dir = tempfile.mkdtemp()
  config = tf.estimator.RunConfig(model_dir=model_dir, tf_random_seed=42)
  estimator = tf.estimator.Estimator(model_fn, config=config, params=PARAMS)
  estimator.train(train_input_fn, steps=100)
  first = estimator.evaluate(eval_input_fn)
  print("after %d steps: loss %.3f, accuracy %.3f" %
        (first["global_step"], first["loss"], first["accuracy"]))

  # A new Estimator on the same model_dir resumes from the checkpoint, here
  # with train_and_evaluate and an exporter for serving.
  resumed = tf.estimator.Estimator(
      model_fn, config=config.replace(save_checkpoints_steps=100),
      params=PARAMS)
  exporter = tf.estimator.LatestExporter("serving", serving_input_receiver_fn)
  final, exports = tf.estimator.train_and_evaluate(
      resumed, tf.estimator.TrainSpec(train_input_fn, max_steps=300),
      tf.estimator.EvalSpec(eval_input_fn, steps=None, throttle_secs=0,
                            exporters=[exporter]))
  print("after %d steps: loss %.3f, accuracy %.3f" %
        (final["global_step"], final["loss"], final["accuracy"]))
  assert final["global_step"] == 300 and final["accuracy"] > 0.9, final
  predicted = [int(p["class_ids"]) for p in resumed.predict(predict_input_fn)]
  print("predicted classes:", predicted, "labels:", LABELS[:5].tolist())

  # TF1 reads the checkpoint the Estimator wrote, under TF1's names.
  checkpoint = tf2.train.latest_checkpoint(model_dir)
  print("checkpoint:", os.path.basename(checkpoint), "-",
        len(tf2.train.list_variables(checkpoint)), "tensors, e.g.",
        sorted(name for name, _ in tf2.train.list_variables(checkpoint))[:3])
  with tf2.Graph().as_default():
    tf.train.get_or_create_global_step()
    spec = model_fn({"x": tf.constant(FEATURES[:5])}, None,
                    tf.estimator.ModeKeys.PREDICT, PARAMS)
    with tf.Session() as sess:
      tf.train.Saver().restore(sess, checkpoint)
      graph_classes = sess.run(spec.predictions["class_ids"])
  assert list(graph_classes) == predicted, (graph_classes, predicted)
  print("a TF1 graph restored from it predicts the same classes")

  # The exported SavedModel serves the same classes (TF2 loads TF1's format).
  serving = tf2.saved_model.load(exports[0].decode())
  served = serving.signatures["serving_default"](x=tf2.constant(FEATURES[:5]))
  assert served["class_ids"].numpy().tolist() == predicted, served
  print("exported to", os.path.relpath(exports[0].decode(), model_dir),
        "- it serves the same classes")


if __name__ == "__main__":
  main()
