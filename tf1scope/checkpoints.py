"""TF1 name-based checkpoints: ``init_from_checkpoint`` in a pass, and a whole owner.

:func:`save_tf1_checkpoint` and :func:`restore_tf1_checkpoint` write and read
every TF1 variable an owner tracks under its TF1 name, as
``tf.compat.v1.train.Saver`` does in graph mode; ``init_from_checkpoint``
inside a pass warm-starts the variables the pass creates.

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

import os

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope import api
from tf1scope import store as store_lib

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
  """The store record of ``variable`` among the pass's owners (nested ones too), or None."""
  index = frame.extras.get(_INDEX)
  record = index.get(id(variable)) if index is not None else None
  if record is None:
    index = {}
    for store in frame.stores + (frame.nested_stores or []):
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


def warm_start_var_with_vocab(frame, original, var, args, kwargs):
  """``warm_start``'s vocabulary remapping of ``var`` (one variable or its shards) in a pass.

  TF's step assigns the remapped checkpoint value at once (an eager pass) or
  in the traced graph (every later call of that graph), where TF1 ran it
  once, as the variable's initializer. In a pass it runs once, eagerly, in
  the pass that created the variable, and never in later passes.
  """
  shards = list(var) if isinstance(var, (list, tuple)) else [var]
  records = [_record_of(frame, v) for v in shards]
  if any(r is None for r in records):
    raise ValueError(
        f"warm_start cannot remap the vocabulary of {shards[0].name} inside a "
        "@tf1scope.track_tf1_style_variables pass: it was not created by "
        "get_variable or tf.Variable in the owner's passes. Create it in the "
        "decorated method.")
  if any(r.pass_id != frame.pass_id or r.restored for r in records):
    return
  with _state.internal(), tf.init_scope():
    original(var, *args, **kwargs)


# --- A whole owner: what tf.compat.v1.train.Saver saves and restores ------------


def _saved_entries(obj, verb):
  """(checkpoint key, slice spec, tf.Variable, TF1 name) for what TF1's Saver covers.

  TF1's default ``Saver`` holds the global variables: a variable made with
  ``collections=[LOCAL_VARIABLES]`` is neither saved nor restored, and a
  shard of a partitioned variable is the slice ``spec`` of its full name.
  """
  entries = []
  for name, record, _ in api.tf1_records(obj):
    if store_lib.GLOBAL not in record.collections:
      continue
    variable = record.variable
    key, spec = _compat.save_slice_info(variable) or (name, "")
    entries.append((key, spec, variable, name))
  if not entries:
    raise ValueError(
        f"Cannot {verb} a TF1 checkpoint: the {type(obj).__name__} tracks no "
        "TF1 global variables yet. Variables are created by the first call "
        "of its @tf1scope.track_tf1_style_variables method: call it once, "
        f"then {verb}.")
  return entries


def save_tf1_checkpoint(obj, save_path):
  """Writes ``obj``'s TF1 variables to ``save_path`` as TF1's ``Saver.save`` does.

  The checkpoint is name-based (TF1 names as keys, partitioned variables as
  slices of one tensor), so TF1 code restores it with
  ``tf.compat.v1.train.Saver().restore``, and ``tf.train.list_variables``
  lists what TF1 would. As ``Saver.save``, it updates the directory's
  ``checkpoint`` file, so ``tf.train.latest_checkpoint`` finds it. Returns
  ``save_path``. :func:`restore_tf1_checkpoint` has an example of both.
  """
  entries = _saved_entries(obj, "save")
  save_path = os.fspath(save_path)
  directory = os.path.dirname(save_path)
  if directory and not tf.io.gfile.isdir(directory):
    raise ValueError(
        "Parent directory of {} doesn't exist, can't save.".format(save_path))
  with _state.internal(), tf.init_scope(), tf.device("/cpu:0"):
    tf.raw_ops.SaveV2(
        prefix=save_path, tensor_names=[key for key, _, _, _ in entries],
        shape_and_slices=[spec for _, spec, _, _ in entries],
        tensors=[variable.read_value() for _, _, variable, _ in entries])
  _compat.write_checkpoint_state(directory or ".", save_path)
  return save_path


def _restore_error(error, why, detail):
  """TF1 Saver.restore's error for a checkpoint that does not fit the model."""
  return type(error)(
      None, None,
      f"Restoring from checkpoint failed. This is most likely due to {why} "
      "from the checkpoint. Please ensure that you have not altered the "
      f"graph expected based on the checkpoint. {detail}")


def restore_tf1_checkpoint(obj, save_path):
  """Reads ``obj``'s TF1 variables from a name-based checkpoint, as TF1's ``Saver.restore``.

  Every global TF1 variable ``obj`` tracks is read under its TF1 name (a
  shard as its slice of the partitioned tensor, however the checkpoint's
  tensor was partitioned); tensors the model lacks are ignored. Errors are
  TF1's: ``ValueError`` for a path that is not a checkpoint,
  ``NotFoundError`` for a variable the checkpoint lacks and
  ``InvalidArgumentError`` for a shape or dtype that differs. Nothing is
  assigned unless every variable can be read.

  >>> import os, tempfile
  >>> import tensorflow as tf, tf1scope
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     with tf.compat.v1.variable_scope("dense"):
  ...       return tf.compat.v1.get_variable(
  ...           "w", [2, 1], initializer=tf.compat.v1.ones_initializer())
  >>> m = M(); _ = m()
  >>> path = tf1scope.save_tf1_checkpoint(m, os.path.join(tempfile.mkdtemp(), "model.ckpt"))
  >>> tf.train.list_variables(path)                 # TF1's keys: the TF1 names
  [('dense/w', [2, 1])]
  >>> _ = m.variables[0].assign([[5.0], [6.0]])
  >>> tf1scope.restore_tf1_checkpoint(m, path)      # what TF1's Saver().restore does
  >>> m().numpy().tolist()
  [[1.0], [1.0]]
  """
  save_path = _checkpoint_path(save_path)
  _restore(save_path, _saved_entries(obj, "restore"))


def _checkpoint_path(save_path):
  if save_path is None:
    raise ValueError("Can't load save_path when it is None.")
  save_path = os.fspath(save_path)
  if not (tf.io.gfile.glob(save_path + ".index") or
          tf.io.gfile.glob(save_path)):
    raise ValueError("The passed save_path is not a valid checkpoint: " +
                     save_path)
  return save_path


def _restore(save_path, entries):
  """Reads every (key, slice spec, variable, TF1 name) entry, then assigns them all."""
  with _state.internal(), tf.init_scope(), tf.device("/cpu:0"):
    try:  # one read for all; on an error, one read per variable finds it
      values = tf.raw_ops.RestoreV2(
          prefix=save_path, tensor_names=[e[0] for e in entries],
          shape_and_slices=[e[1] for e in entries],
          dtypes=[e[2].dtype.base_dtype for e in entries])
    except (tf.errors.NotFoundError, tf.errors.InvalidArgumentError):
      values = [_read_one(save_path, *entry) for entry in entries]
    for (key, _, variable, name), value in zip(entries, values):
      if not value.shape.is_compatible_with(variable.shape):
        raise _restore_error(
            tf.errors.InvalidArgumentError(None, None, ""),
            "a mismatch between the current graph and the graph",
            f"The variable {name} has shape {variable.shape}, but "
            f"{key!r} in the checkpoint has shape {value.shape}.")
    for (_, _, variable, _), value in zip(entries, values):
      variable.assign(value)


# --- Checkpoints of tf_keras's track_tf1_style_variables layers ---------------

_SHIM_STORE = "_tf1_style_var_store/_vars/"
_SHIM_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def _unescape(local_name):
  """A checkpoint path element back to its name ("." escapes: ".S" is "/", ".." is ".")."""
  out, i = [], 0
  while i < len(local_name):
    char = local_name[i]
    if char == "." and i + 1 < len(local_name):
      following = local_name[i + 1]
      out.append("/" if following == "S" else following)
      i += 2
    else:
      out.append(char)
      i += 1
  return "".join(out)


def shim_layers(save_path):
  """``{path: {TF1 name: key}}`` for every tf_keras shim layer a TF2 checkpoint holds.

  tf_keras's ``track_tf1_style_variables`` layers save their variables under
  ``<path>/_tf1_style_var_store/_vars/<TF1 name>`` (``path`` is the layer's
  place in the saved object graph, e.g. ``model/encoder``; "" for the root).
  """
  return _shim_layers(_checkpoint_path(save_path))


def _shim_layers(save_path):
  layers = {}
  for key, _ in tf.train.list_variables(save_path):
    at = key.find(_SHIM_STORE)
    if at < 0 or not key.endswith(_SHIM_SUFFIX):
      continue
    path = key[:at].rstrip("/")
    local = key[at + len(_SHIM_STORE):-len(_SHIM_SUFFIX)]
    if "/" in local:
      continue
    layers.setdefault(path, {})[_unescape(local)] = key
  return layers


def restore_shim_checkpoint(obj, save_path, path=None):
  """Reads ``obj``'s TF1 variables from a checkpoint saved with tf_keras's shim.

  A layer decorated with ``tf.compat.v1.keras.utils.track_tf1_style_variables``
  (tf_keras) saves its variables in ``tf.train.Checkpoint`` and
  ``save_weights`` files under their TF1 names, below its own place in the
  object graph. This reads them into the variables of ``obj`` with the same
  TF1 names, as :func:`restore_tf1_checkpoint` does for TF1 checkpoints:
  everything is read before anything is assigned, and a variable the layer
  did not save raises ``NotFoundError``. ``path`` says which shim layer, when
  the checkpoint holds several (:func:`shim_layers` lists them).

  >>> import os, tempfile
  >>> import tensorflow as tf, tf1scope
  >>> shim = tf.Module()   # the layout a shim layer saves: its store's variables
  >>> shim._tf1_style_var_store = tf.Module()
  >>> shim._tf1_style_var_store._vars = {"dense/w": tf.Variable([[3.0], [4.0]])}
  >>> path = tf.train.Checkpoint(model=shim).write(
  ...     os.path.join(tempfile.mkdtemp(), "shim"))
  >>> tf1scope.shim_layers(path)
  {'model': {'dense/w': 'model/_tf1_style_var_store/_vars/dense.Sw/.ATTRIBUTES/VARIABLE_VALUE'}}
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     with tf.compat.v1.variable_scope("dense"):
  ...       return tf.compat.v1.get_variable("w", [2, 1])
  >>> m = M(); _ = m()
  >>> tf1scope.restore_shim_checkpoint(m, path)
  >>> m().numpy().tolist()
  [[3.0], [4.0]]
  """
  save_path = _checkpoint_path(save_path)
  layers = _shim_layers(save_path)
  if not layers:
    raise ValueError(
        f"{save_path} holds no variables of a tf_keras "
        "track_tf1_style_variables layer (no '_tf1_style_var_store' keys); "
        "for a checkpoint written by TF1's Saver use "
        "tf1scope.restore_tf1_checkpoint.")
  if path is None:
    if len(layers) > 1:
      raise ValueError(
          f"{save_path} holds the variables of {len(layers)} shim layers, at "
          f"{sorted(layers)}: pass path= to say which one "
          f"{type(obj).__name__} restores.")
    path = next(iter(layers))
  elif path not in layers:
    raise ValueError(
        f"{save_path} has no shim layer at {path!r}; its shim layers are at "
        f"{sorted(layers)}.")
  keys = layers[path]
  entries = []
  for name, spec, variable, tf1_name in _saved_entries(obj, "restore"):
    key = keys.get(name)
    if key is None:
      raise _restore_error(
          tf.errors.NotFoundError(None, None, ""),
          "a Variable name or other graph key that is missing",
          f"The variable {tf1_name} is not among the variables the shim layer "
          f"at {path!r} saved ({len(keys)} of them, e.g. "
          f"{sorted(keys)[:3]}).")
    entries.append((key, spec, variable, tf1_name))
  _restore(save_path, entries)


def _read_one(save_path, key, spec, variable, name):
  """One variable's value from the checkpoint, or TF1's error naming it."""
  try:
    return tf.raw_ops.RestoreV2(
        prefix=save_path, tensor_names=[key], shape_and_slices=[spec],
        dtypes=[variable.dtype.base_dtype])[0]
  except tf.errors.NotFoundError as e:
    raise _restore_error(
        e, "a Variable name or other graph key that is missing",
        f"The variable {name} is not in {save_path} as {key!r}: list its "
        "keys with tf.train.list_variables(path).") from None
  except tf.errors.InvalidArgumentError as e:
    raise _restore_error(
        e, "a mismatch between the current graph and the graph",
        f"The variable {name} ({variable.dtype.base_dtype.name}) cannot be "
        f"read from {key!r}: {e.message}") from None
