"""A TF1 wide-and-deep script, unchanged but for its import: TF1's canned DNNLinearCombinedClassifier.

The census-style classifier of TF1's tutorials: a linear ("wide") part over
crossed and bucketized columns, a DNN ("deep") part over embeddings and
numeric columns, on synthetic data (the label depends on age and
occupation). It trains, evaluates, predicts, exports for serving, and a
second Estimator resumes from the first one's checkpoint.

    python examples/tf1_wide_and_deep.py
"""

import os
import tempfile

import numpy as np
import tensorflow as tf2   # only to serve the export, as TensorFlow Serving would

import tf1scope.compat.v1 as tf   # was: import tensorflow as tf (TF 1.x)

OCCUPATIONS = ["clerk", "engineer", "farmer", "nurse", "teacher"]
ROWS = 512


def synthetic_census(seed):
  rng = np.random.RandomState(seed)
  age = rng.uniform(18, 80, size=[ROWS, 1]).astype(np.float32)
  hours = rng.uniform(10, 60, size=[ROWS, 1]).astype(np.float32)
  occupation = rng.choice(OCCUPATIONS, size=[ROWS, 1]).astype(np.bytes_)
  score = (age[:, 0] - 45) / 15 + (occupation[:, 0] == b"engineer") * 1.5 \
      + (hours[:, 0] - 35) / 20
  label = (score + rng.normal(scale=0.3, size=ROWS) > 0.3).astype(np.int64)
  return {"age": age, "hours": hours, "occupation": occupation}, label


def input_fn(features, labels, repeat):
  def fn():
    data = tf.data.Dataset.from_tensor_slices((features, labels)).batch(64)
    return data.repeat() if repeat else data
  return fn


def columns():
  fc = tf.feature_column
  age = fc.numeric_column("age")
  hours = fc.numeric_column("hours")
  occupation = fc.categorical_column_with_vocabulary_list("occupation", OCCUPATIONS)
  age_buckets = fc.bucketized_column(age, boundaries=[25, 35, 45, 55, 65])
  wide = [occupation, age_buckets,
          fc.crossed_column([age_buckets, "occupation"], hash_bucket_size=50)]
  deep = [age, hours, fc.embedding_column(occupation, dimension=3)]
  return wide, deep


def main():
  train_x, train_y = synthetic_census(0)
  test_x, test_y = synthetic_census(1)
  wide, deep = columns()
  model_dir = tempfile.mkdtemp()
  config = tf.estimator.RunConfig(tf_random_seed=1, save_checkpoints_steps=100)
  model = tf.estimator.DNNLinearCombinedClassifier(
      model_dir=model_dir, linear_feature_columns=wide,
      dnn_feature_columns=deep, dnn_hidden_units=[16, 8],
      dnn_optimizer=tf.train.AdagradOptimizer(0.1), config=config)
  model.train(input_fn(train_x, train_y, repeat=True), steps=300)
  metrics = model.evaluate(input_fn(test_x, test_y, repeat=False))
  print({k: round(float(metrics[k]), 3) for k in ("accuracy", "auc", "loss")})
  assert metrics["accuracy"] > 0.8, metrics

  predictions = list(model.predict(input_fn(test_x, test_y, repeat=False)))
  classes = [int(p["class_ids"][0]) for p in predictions]
  print("predicted classes:", classes[:8], "labels:", test_y[:8].tolist())

  spec = tf.feature_column.make_parse_example_spec(wide + deep)
  export_dir = model.export_saved_model(
      os.path.join(model_dir, "export"),
      tf.estimator.export.build_parsing_serving_input_receiver_fn(spec))
  print("exported to", os.path.relpath(os.fsdecode(export_dir), model_dir))
  served = tf2.saved_model.load(os.fsdecode(export_dir)).signatures["predict"]
  examples = [tf.train.Example(features=tf.train.Features(feature={
      "age": tf.train.Feature(float_list=tf.train.FloatList(value=test_x["age"][i])),
      "hours": tf.train.Feature(float_list=tf.train.FloatList(value=test_x["hours"][i])),
      "occupation": tf.train.Feature(bytes_list=tf.train.BytesList(
          value=test_x["occupation"][i]))})).SerializeToString() for i in range(8)]
  served_classes = served(examples=tf2.constant(examples))["class_ids"].numpy()
  assert served_classes[:, 0].tolist() == classes[:8], (served_classes, classes[:8])
  print("the export serves the same classes")

  # A new Estimator on the same model_dir resumes from its checkpoint.
  resumed = tf.estimator.DNNLinearCombinedClassifier(
      model_dir=model_dir, linear_feature_columns=wide,
      dnn_feature_columns=deep, dnn_hidden_units=[16, 8],
      dnn_optimizer=tf.train.AdagradOptimizer(0.1), config=config)
  again = resumed.evaluate(input_fn(test_x, test_y, repeat=False))
  assert int(again["global_step"]) == 300
  np.testing.assert_allclose(again["accuracy"], metrics["accuracy"])
  print("checkpoint variables, e.g.:",
        [n for n in resumed.get_variable_names() if n.startswith("linear/")][:3])


if __name__ == "__main__":
  main()
