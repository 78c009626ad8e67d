"""Moving a trained TF1 model to TF2 and back, through TF1 name-based checkpoints.

1. TF1: the model function below is trained in a tf.Session and saved with
   tf.compat.v1.train.Saver (a name-based checkpoint), as a TF1 run did.
2. TF2: the same, unchanged function in a decorated tf.Module restores that
   checkpoint (tf1scope.restore_tf1_checkpoint), gives the same loss, trains
   on under tf.function with a Keras optimizer and saves a TF1 checkpoint
   again (tf1scope.save_tf1_checkpoint).
3. TF1 again: a graph-mode Saver reads that checkpoint and gives TF2's loss.
4. A new model with another head warm-starts its trunk from the TF1
   checkpoint with tf.compat.v1.train.init_from_checkpoint, in the model code.

Synthetic data, no downloads.  Run:  python examples/tf1_checkpoint.py
"""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import tf1scope  # noqa: E402

v1 = tf.compat.v1

RNG = np.random.default_rng(0)
X = RNG.normal(size=(256, 4)).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32) + 0.1).astype(np.float32)


def trunk(x):
  """TF1 model code: two dense layers with get_variable."""
  with v1.variable_scope("trunk"):
    for i in range(2):
      with v1.variable_scope("dense%d" % i):
        w = v1.get_variable("kernel", [x.shape[-1], 16],
                            initializer=v1.glorot_uniform_initializer(seed=i))
        b = v1.get_variable("bias", [16], initializer=v1.zeros_initializer())
        x = tf.nn.relu(tf.matmul(x, w) + b)
  return x


def head(x, name="head"):
  with v1.variable_scope(name):
    w = v1.get_variable("kernel", [x.shape[-1], 1],
                        initializer=v1.glorot_uniform_initializer(seed=9))
    return tf.matmul(x, w)


def loss_fn(prediction, y):
  return tf.reduce_mean(tf.square(prediction - y))


def tf1_train_and_save(path, steps=200):
  """Step 1: a TF1 run: graph, session, optimizer, Saver."""
  with tf.Graph().as_default():
    x, y = tf.constant(X), tf.constant(Y)
    loss = loss_fn(head(trunk(x)), y)
    train = v1.train.AdamOptimizer(0.01).minimize(loss)
    saver = v1.train.Saver(v1.trainable_variables())
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      for _ in range(steps):
        sess.run(train)
      saver.save(sess, path)
      return float(sess.run(loss))


def tf1_evaluate(path):
  """Step 3: TF1 graph mode reads a checkpoint and evaluates the loss."""
  with tf.Graph().as_default():
    loss = loss_fn(head(trunk(tf.constant(X))), tf.constant(Y))
    with v1.Session() as sess:
      v1.train.Saver().restore(sess, path)
      return float(sess.run(loss))


class Regressor(tf.Module):

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    return head(trunk(x))


class WarmStarted(tf.Module):
  """Step 4: a new head on the TF1 trunk, warm-started in the model code."""

  def __init__(self, checkpoint):
    super().__init__()
    self.checkpoint = checkpoint

  @tf1scope.track_tf1_style_variables
  def __call__(self, x):
    prediction = head(trunk(x), name="new_head")
    v1.train.init_from_checkpoint(self.checkpoint, {"trunk/": "trunk/"})
    return prediction


def main():
  directory = tempfile.mkdtemp()
  tf1_path = os.path.join(directory, "tf1", "model.ckpt")
  os.makedirs(os.path.dirname(tf1_path))
  tf1_loss = tf1_train_and_save(tf1_path)
  print(f"1. TF1 trained, saved {tf.train.list_variables(tf1_path)}")
  print(f"   TF1 loss {tf1_loss:.5f}")

  model = Regressor()
  model(X[:1])                                     # creates the variables
  tf1scope.restore_tf1_checkpoint(model, tf1_path)
  restored_loss = float(loss_fn(model(X), Y))
  print(f"2. TF2 restored it: loss {restored_loss:.5f}")
  assert abs(restored_loss - tf1_loss) < 1e-5

  optimizer = tf.keras.optimizers.Adam(0.01)

  @tf.function
  def train_step():
    with tf.GradientTape() as tape:
      loss = loss_fn(model(X), Y)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

  for _ in range(200):
    train_step()
  tf2_loss = float(loss_fn(model(X), Y))
  os.makedirs(os.path.join(directory, "tf2"))
  tf2_path = tf1scope.save_tf1_checkpoint(
      model, os.path.join(directory, "tf2", "model.ckpt"))
  print(f"   trained on in TF2: loss {tf2_loss:.5f}, saved in TF1's format")
  assert tf2_loss < restored_loss

  back_in_tf1 = tf1_evaluate(tf2_path)
  print(f"3. TF1 graph mode read it back: loss {back_in_tf1:.5f}")
  assert abs(back_in_tf1 - tf2_loss) < 1e-5

  warm = WarmStarted(tf1_path)
  warm(X[:1])
  same = all(np.array_equal(warm_v.numpy(), tf.train.load_variable(tf1_path, name))
             for name, warm_v in tf1scope.variables_by_name(warm).items()
             if name.startswith("trunk/"))
  print(f"4. a new head on the warm-started TF1 trunk: trunk equal to TF1's: {same}; "
        f"variables {list(tf1scope.variables_by_name(warm))}")
  assert same


if __name__ == "__main__":
  main()
