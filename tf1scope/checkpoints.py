"""TF1 name-based checkpoints: ``init_from_checkpoint`` in a pass.

TF1 code warm-starts a model with
``tf.compat.v1.train.init_from_checkpoint(path, assignment_map)``, called
while the model is built. TensorFlow resolves the assignment map against
the graph's variable store and replaces the initializers of the variables it
names, so their values are read from the checkpoint when the initializers
run, once, before training.

In a pass, TensorFlow's own code resolves the map (same rules, same errors)
against the pass's view of that store (:func:`variable_store`: every
variable ``get_variable`` created or returned so far in the pass, partitioned
variables as their ``<name>/part_<i>`` shards). For each variable it names,
:func:`set_checkpoint_initializer` loads the checkpoint's value (the
shard's slice, for a partitioned variable) into the variable if this pass
created it: that is when TF1 would have run its initializer. A variable that
an earlier pass created, or that a ``tf.train.Checkpoint`` restored when it
was created, keeps its value, so training resumed from a checkpoint is never
reset to the warm-start values.

>>> import os, tempfile
>>> import tensorflow as tf, tf1scope
>>> path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
>>> with tf.Graph().as_default():                  # a TF1 checkpoint
...   w = tf.compat.v1.get_variable(
...       "old/w", [2], initializer=tf.compat.v1.constant_initializer(7.0))
...   with tf.compat.v1.Session() as sess:
...     sess.run(tf.compat.v1.global_variables_initializer())
...     _ = tf.compat.v1.train.Saver().save(sess, path)
>>> class M(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self):
...     with tf.compat.v1.variable_scope("new"):
...       w = tf.compat.v1.get_variable("w", [2])
...     tf.compat.v1.train.init_from_checkpoint(path, {"old/": "new/"})
...     return w
>>> m = M()
>>> m().numpy().tolist()
[7.0, 7.0]
>>> _ = m.variables[0].assign([1.0, 2.0])          # trained
>>> m().numpy().tolist()                            # a later pass keeps it
[1.0, 2.0]
"""

import tensorflow as tf

from tf1scope import _state

_INDEX = "tf1scope.checkpoints.index"   # frame.extras key: id(variable) -> record


class PassVariableStore:
  """TF1's graph variable store as the pass sees it, for TensorFlow's own readers.

  ``_vars`` maps each ``get_variable`` name used so far in the pass to its
  variable (partitioned variables as their shards), which is what TF1's
  ``_VariableStore._vars`` holds in graph mode. Nothing else of TF's store
  exists in a pass.
  """

  __slots__ = ("_vars",)

  def __init__(self, variables):
    self._vars = variables

  def __getattr__(self, name):
    raise AttributeError(
        f"TensorFlow's variable store has no '{name}' inside a "
        "@tf1scope.track_tf1_style_variables pass: the pass keeps TF1's "
        "variables itself. Use tf.compat.v1.get_variable and "
        "tf.compat.v1.variable_scope in the decorated method instead.")


def variable_store(frame):
  """What ``_get_default_variable_store()`` returns in ``frame``."""
  return PassVariableStore(frame.touched)


def _record_of(frame, variable):
  """The store record of ``variable`` among the pass's owners, or None."""
  index = frame.extras.get(_INDEX)
  record = index.get(id(variable)) if index is not None else None
  if record is None:
    index = {}
    for store in frame.stores:
      registry = store.registry
      for table in (registry.get_variables, registry.tf_variables):
        for rec in table.values():
          index[id(rec.variable)] = rec
    frame.extras[_INDEX] = index
    record = index.get(id(variable))
  return record


def set_checkpoint_initializer(frame, variable, ckpt_file, tensor_name,
                               slice_spec):
  """``init_from_checkpoint``'s per-variable step in a pass (see the module docstring)."""
  record = _record_of(frame, variable)
  if record is None:
    raise ValueError(
        f"init_from_checkpoint cannot initialize {variable.name} inside a "
        "@tf1scope.track_tf1_style_variables pass: it was not created by "
        "get_variable or tf.Variable in the owner's passes, so the pass "
        "cannot tell when TF1 would have run its initializer. Create it in "
        "the decorated method, or assign it yourself from "
        "tf.train.load_variable(checkpoint, name).")
  if record.pass_id != frame.pass_id or record.restored:
    return
  with _state.internal(), tf.init_scope():
    with tf.device("/cpu:0"):
      value = tf.raw_ops.RestoreV2(
          prefix=ckpt_file, tensor_names=[tensor_name],
          shape_and_slices=[slice_spec],
          dtypes=[variable.dtype.base_dtype])[0]
    variable.assign(value)
