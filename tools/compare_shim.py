"""Runs the same TF1 snippets under tf1scope and under the tf_keras shim; prints what each does.

The shim (``tf.compat.v1.keras.utils.track_tf1_style_variables``) exists only
in the legacy tf_keras package with ``TF_USE_LEGACY_KERAS=1``, which replaces
Keras 3 for the whole process, so each side runs in its own subprocess.

Run:  python tools/compare_shim.py      (needs ``pip install tf_keras``)
"""

import json
import os
import subprocess
import sys

CASES = r'''
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
v1 = tf.compat.v1
side = sys.argv[1]
if side == "shim":
  decorator = tf.compat.v1.keras.utils.track_tf1_style_variables
  Base = tf.keras.layers.Layer
else:
  import tf1scope
  decorator = tf1scope.track_tf1_style_variables
  Base = tf.Module


def run(body, calls=2, function=False):
  class M(Base):
    @decorator
    def __call__(self, x):
      return body(x)
  m = M()
  fn = tf.function(m.__call__) if function else m.__call__
  try:
    for i in range(calls):
      fn(tf.ones([1, 2]) * (i + 1))
    return "ok, %d variables" % len(m.variables)
  except Exception as e:
    return "raises %s" % type(e).__name__


def dup(x):
  with v1.variable_scope("a"):
    v1.get_variable("w", [1])
  with v1.variable_scope("a", reuse=False):
    v1.get_variable("w", [1])
  return x

def missing(x):
  with v1.variable_scope("a", reuse=True):
    return v1.get_variable("w", [1]) * x

def default_names(x):
  for _ in range(2):
    with v1.variable_scope(None, default_name="dense"):
      x = x * v1.get_variable("w", [1])
  return x

def plain_variable(x):
  return x * tf.Variable(1.0, name="t")

def const_init(x):
  return tf.cast(v1.get_variable("i", initializer=tf.constant([[1, 2]])), tf.float32) * x

def collection(x):
  v1.get_variable("w", [1], regularizer=lambda w: tf.reduce_sum(w))
  n = len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES))
  if n != 1:
    raise AssertionError("collection has %d losses" % n)
  return x

def bad_name(x):
  with v1.variable_scope("bad name!"):
    return x * v1.get_variable("w", [1])

def caching(x):
  with v1.variable_scope("c", caching_device="/cpu:0"):
    return x * v1.get_variable("w", [1])

def reuse_flag(x):
  if v1.get_variable_scope().reuse is not False:
    raise AssertionError("root reuse is %r" % v1.get_variable_scope().reuse)
  return x

import tempfile
ckpt = os.path.join(tempfile.mkdtemp(), "tf1.ckpt")
with tf.Graph().as_default():
  v1.get_variable("w", initializer=tf.constant([5.0]))
  with v1.Session() as sess:
    sess.run(v1.global_variables_initializer())
    v1.train.Saver().save(sess, ckpt)

def warm_start(x):
  w = v1.get_variable("w", [1], initializer=v1.zeros_initializer())
  v1.train.init_from_checkpoint(ckpt, {"w": "w"})
  if float(w.numpy()[0]) != 5.0:
    raise AssertionError("not warm-started")
  return x * w

def warm_start_then_train(x):
  w = v1.get_variable("w", [1], initializer=v1.zeros_initializer())
  v1.train.init_from_checkpoint(ckpt, {"w": "w"})
  if float(x.numpy()[0, 0]) == 1.0:   # the first call: warm-started, then "trained"
    w.assign([7.0])
  elif float(w.numpy()[0]) != 7.0:
    raise AssertionError("the trained value was reset")
  return x * w

def dense(x):
  return x * v1.get_variable("w", [1])

def template_in_call(x):
  t = v1.make_template("t", dense)
  return t(t(x))

outside_template = v1.make_template("outside", dense)

def template_made_outside(x):
  return outside_template(outside_template(x))

rows = {
  "reuse=False on an existing name (TF1 raises)": run(dup, calls=1),
  "reuse=True on a missing name, eager (TF1 raises)": run(missing, calls=1),
  "reuse=True on a missing name, tf.function (TF1 raises)": run(missing, calls=1, function=True),
  "default_name scopes, 2 calls eager (TF1: 2 variables)": run(default_names),
  "default_name scopes, tf.function, 2 calls": run(default_names, function=True),
  "tf.Variable in the method, 2 calls": run(plain_variable),
  "get_variable(initializer=tf.constant([[1, 2]])), 2 calls": run(const_init),
  "REGULARIZATION_LOSSES collection inside the call": run(collection, calls=1),
  "invalid scope name (TF1 raises)": run(bad_name, calls=1),
  "caching_device in a scope, eager": run(caching, calls=1),
  "get_variable_scope().reuse at the root is False": run(reuse_flag, calls=1),
  "init_from_checkpoint in the call, eager (TF1: warm-started)": run(warm_start),
  "init_from_checkpoint, then a trained value: kept by the next call": run(warm_start_then_train),
  "make_template called twice in the call, eager, 2 calls (TF1: 1 variable)": run(template_in_call),
  "a template made outside, called in the call, eager, 2 calls": run(template_made_outside),
}
print(json.dumps(rows))
'''


def side(name):
  env = dict(os.environ)
  if name == "shim":
    env["TF_USE_LEGACY_KERAS"] = "1"
  out = subprocess.run([sys.executable, "-c", CASES, name], env=env,
                       capture_output=True, text=True, check=True).stdout
  return json.loads(out.strip().splitlines()[-1])


def main():
  ours = side("tf1scope")
  try:
    shim = side("shim")
  except subprocess.CalledProcessError as e:
    print("tf_keras shim unavailable:", e.stderr.strip().splitlines()[-1:])
    shim = {k: "n/a" for k in ours}
  print("| case | tf1scope | tf_keras shim |")
  print("| --- | --- | --- |")
  for key in ours:
    print(f"| {key} | {ours[key]} | {shim[key]} |")


if __name__ == "__main__":
  main()
