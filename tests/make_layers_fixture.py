"""Regenerates tests/fixtures/{layers,rnn,slim}_reference.{npz,json} from real TF1 code.

Runs every case of ``layer_cases.py`` with ``tf.compat.v1.layers``, every
case of ``rnn_cases.py`` with ``tf.compat.v1.nn.rnn_cell``, both from
tf_keras (``TF_USE_LEGACY_KERAS=1``), and every case of ``slim_cases.py``
with ``tf_slim`` on TF1's own layers, in TF1 graph mode, and stores names, shapes,
weights, inputs, outputs, gradients, regularization losses and every variable
after one run of the outputs and ``UPDATE_OPS``. The tests read the stored files and
never need tf_keras.

    pip install tf_keras==2.21.0 tf-slim==1.1.0
    python tests/make_layers_fixture.py

The script re-runs itself in a child process with ``TF_USE_LEGACY_KERAS=1``
(the variable must be set before TensorFlow is imported).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
SEP = "|"


def with_legacy_keras(script, generate):
  """Runs ``generate()`` in ``script`` re-run with ``TF_USE_LEGACY_KERAS=1`` (set before TF loads)."""
  if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    sys.exit(subprocess.call([sys.executable, os.path.abspath(script)],
                             env=env))
  generate()


def main():
  with_legacy_keras(__file__, generate)


def _key(*parts):
  return SEP.join(str(p) for p in parts)


def _variable_record(v):
  return ["Variable", v.name, list(v.shape.as_list()), v.dtype.base_dtype.name,
          bool(v.trainable)]


def _numeric_case(c, tf, v1, layers, layer_cases, arrays):
  graph = tf.Graph()
  with graph.as_default():
    if c.graph_seed is not None:
      v1.set_random_seed(c.graph_seed)
    placeholders = [v1.placeholder(tf.as_dtype(i.dtype), i.placeholder_shape)
                    for i in c.inputs]
    outputs = layer_cases.flat_outputs(c.build(layers, *placeholders))
    updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
    regs = [tf.convert_to_tensor(r) for r in
            v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)]
    variables = v1.global_variables()
    grad_names, grads = _gradients(tf, v1, outputs, placeholders)
    assigns = []
    if c.assign:
      values = layer_cases.weight_values(
          c.name, [(v.name[:-2], v.shape.as_list(), v.dtype.base_dtype.name)
                   for v in variables])
      assigns = [v.assign(values[v.name[:-2]]) for v in variables]
    inputs = layer_cases.input_values(c)
    with v1.Session(graph=graph) as sess:
      sess.run(v1.global_variables_initializer())
      sess.run(assigns)
      before = sess.run(variables)
      feed = dict(zip(placeholders, inputs))
      # One run, so the gradients see this run's outputs (and random draws).
      out_values, _, reg_values, grad_values = sess.run(
          [outputs, updates, regs, grads], feed)
      after = sess.run(variables)
  for i, value in enumerate(inputs):
    arrays[_key(c.name, "input", i)] = value
  for v, value in zip(variables, before):
    arrays[_key(c.name, "weight", v.name[:-2])] = value
  for v, value in zip(variables, after):
    arrays[_key(c.name, "after", v.name[:-2])] = value
  for k, value in out_values.items():
    arrays[_key(c.name, "output", k)] = value
  for i, value in enumerate(reg_values):
    arrays[_key(c.name, "reg", i)] = value
  for name, value in zip(grad_names, grad_values):
    arrays[_key(c.name, "grad", name)] = value
  return {
      "gradients": grad_names,
      "variables": [_variable_record(v) for v in variables],
      "outputs": sorted(out_values),
      "output_shapes": {k: list(outputs[k].shape.as_list()) if
                        outputs[k].shape.rank is not None else None
                        for k in outputs},
      "update_ops": len(updates),
      "regularization_losses": len(regs),
  }


def _gradients(tf, v1, outputs, placeholders):
  """Gradients of the probe loss: (names, tensors) for trainable variables and float inputs."""
  import layer_cases  # pylint: disable=g-import-not-at-top
  loss = layer_cases.probe_loss(layer_cases.flat_outputs(outputs))
  if loss is None:
    return [], []
  targets = [(v.name[:-2], v) for v in v1.trainable_variables()]
  targets += [(f"input:{i}", p) for i, p in enumerate(placeholders)
              if p.dtype.is_floating]
  grads = tf.gradients(loss, [t for _, t in targets])
  kept = [(name, g) for (name, _), g in zip(targets, grads) if g is not None]
  return [n for n, _ in kept], [tf.convert_to_tensor(g) for _, g in kept]


def _name_program(fn, tf, layers, layer_cases, first_sentence):
  with tf.Graph().as_default():
    try:
      out = layer_cases.describe(fn, layers)
    except Exception as e:  # pylint: disable=broad-except
      return {"error": [type(e).__name__, first_sentence(e)]}
  out["variables"] = [_variable_record(v) for v in out["variables"]]
  return {"output": out}


def generate():
  import warnings  # pylint: disable=g-import-not-at-top
  warnings.simplefilter("ignore")
  sys.path[:0] = [HERE, os.path.dirname(HERE)]
  import numpy as np  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  try:
    import tf_keras  # pylint: disable=g-import-not-at-top
  except ImportError:
    sys.exit("tf_keras is needed to generate the fixture: "
             "pip install tf_keras==2.21.0 (or pip install -e '.[legacy]')")
  import layer_cases  # pylint: disable=g-import-not-at-top
  import rnn_cases  # pylint: disable=g-import-not-at-top
  v1 = tf.compat.v1
  assert v1.layers.dense.__module__.startswith("tf_keras"), (
      "tf.compat.v1.layers must come from tf_keras (TF_USE_LEGACY_KERAS=1)")
  assert v1.nn.rnn_cell.LSTMCell.__module__.startswith("tf_keras")
  slim, slim_version = _tf1_slim()
  import slim_cases  # pylint: disable=g-import-not-at-top
  versions = {"tensorflow": tf.__version__, "tf_keras": tf_keras.__version__,
              "tf_slim": slim_version}
  for stem, cases, namespace in (("layers_reference", layer_cases, v1.layers),
                                 ("rnn_reference", rnn_cases, v1.nn.rnn_cell),
                                 ("slim_reference", slim_cases, slim)):
    meta, arrays = record_reference(cases, namespace, versions)
    _write(stem, np, arrays, meta)


def record_reference(cases, namespace, meta):
  """(meta, arrays): every case and program of the module ``cases`` run with ``namespace``.

  ``meta`` starts as the given dict (versions); the arrays are the cases'
  inputs, weights, outputs and gradients, for ``_write``.
  """
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from messages import first_sentence  # pylint: disable=g-import-not-at-top
  v1 = tf.compat.v1
  arrays = {}
  meta = dict(meta, cases={}, programs={})
  for c in cases.NUMERIC_CASES:
    meta["cases"][c.name] = _numeric_case(c, tf, v1, namespace, cases, arrays)
  for name, fn in cases.NAME_PROGRAMS.items():
    meta["programs"][name] = _name_program(fn, tf, namespace, cases,
                                           first_sentence)
  return meta, arrays


def _tf1_slim():
  """``tf_slim`` with TF1's own layers: its batch normalization made importable.

  TensorFlow 2.16+ points ``tensorflow.python.layers.normalization`` at a
  tf_keras module that does not exist; the class TF1 had is tf_keras's
  ``legacy_tf_layers`` one. The other layers are TensorFlow's frozen copy of
  TF1's. TensorFlow 2.21's ``ops`` also lost ``ops.Tensor``, which slim
  reads.
  """
  try:
    import tf_slim  # pylint: disable=g-import-not-at-top
  except ImportError:
    sys.exit("tf_slim is needed to generate the fixture: pip install tf-slim")
  from tf_keras.src.legacy_tf_layers import normalization  # pylint: disable=g-import-not-at-top
  from tf_slim.layers import layers  # pylint: disable=g-import-not-at-top
  from tensorflow.python.framework import ops  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  layers.normalization_layers = normalization
  if not hasattr(ops, "Tensor"):   # slim's constant_value reads ops.Tensor
    ops.Tensor = tf.Tensor
  import importlib.metadata  # pylint: disable=g-import-not-at-top
  return tf_slim, importlib.metadata.version("tf-slim")


def _write(stem, np, arrays, meta):
  os.makedirs(FIXTURES, exist_ok=True)
  npz = os.path.join(FIXTURES, stem + ".npz")
  path = os.path.join(FIXTURES, stem + ".json")
  np.savez_compressed(npz, **arrays)
  with open(path, "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
    f.write("\n")
  print(f"wrote {len(meta['cases'])} cases and {len(meta['programs'])} "
        f"programs: {npz} ({os.path.getsize(npz)} bytes), {path}")


if __name__ == "__main__":
  main()
