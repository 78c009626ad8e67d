"""Functions over the variables an owner tracks, and layers made once per scope."""

import tensorflow as tf

from tf1scope import _state
from tf1scope import keras_owner
from tf1scope import naming
from tf1scope import store as store_lib
from tf1scope.errors import NotInPassError


def _stores(obj):
  """The stores of ``obj`` and of every module or Keras layer it tracks."""
  stores = []
  seen = set()
  candidates = [obj]
  if isinstance(obj, tf.Module):
    candidates.extend(obj.submodules)
  elif isinstance(obj, keras_owner.layer_types()):
    from tf1scope import _keras_private  # pylint: disable=g-import-not-at-top
    candidates.extend(_keras_private.sublayers(obj))
  for candidate in candidates:
    if isinstance(candidate, store_lib.VariableStore):
      store = candidate
    else:
      store = getattr(candidate, "__dict__", {}).get(store_lib.STORE_ATTRIBUTE)
    if store is not None and id(store) not in seen:
      seen.add(id(store))
      stores.append(store)
  return stores


def _records(obj):
  records = []
  for store in _stores(obj):
    records.extend(store.records())
  records.sort(key=lambda r: r.seq)
  return records


def variables_by_name(obj):
  """TF1 name (without ``:0``) -> variable, for every variable ``obj`` tracks, in creation order.

  For a Keras 3 layer or model the values are its ``keras.Variable`` weights
  (the objects in ``layer.weights``); the variables of Keras layers it holds
  (e.g. made by :func:`get_or_create_layer`) are theirs, not TF1-style, and
  are left out.

  >>> import tensorflow as tf, tf1scope
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     with tf.compat.v1.variable_scope("layer"):
  ...       tf.compat.v1.get_variable("w", [2])
  ...       tf.compat.v1.get_variable("b", [1])
  >>> m = M(); m()
  >>> list(tf1scope.variables_by_name(m))
  ['layer/w', 'layer/b']
  """
  return {name: exported for name, _, exported in tf1_records(obj)}


def tf1_records(obj):
  """(TF1 name, store record, variable as exported) of every TF1 variable ``obj`` tracks.

  In creation order; what :func:`variables_by_name` lists (a Keras owner
  exports its ``keras.Variable`` weights; ``record.variable`` is the
  ``tf.Variable`` behind each).
  """
  out = {}
  for store in _stores(obj):
    hooks = store.registry.owner_hooks
    for record in store.records():
      variable = record.variable
      if hooks is not None:
        variable = hooks.exported(variable)
        if variable is None:  # a Keras sublayer's own weight
          continue
      out[record] = variable
  ordered = sorted(out, key=lambda r: r.seq)
  return [(_tf1_name(r.variable), r, out[r]) for r in ordered]


def _tf1_name(variable):
  name = variable.name
  return name[:-2] if name.endswith(":0") else name


def regularization_losses(obj):
  """The regularization losses of every regularized variable ``obj`` tracks, from current values.

  >>> import tensorflow as tf, tf1scope
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     tf.compat.v1.get_variable(
  ...         "w", [2], initializer=tf.compat.v1.ones_initializer(),
  ...         regularizer=lambda v: tf.reduce_sum(v) * 0.5)
  >>> m = M(); m()
  >>> [float(l) for l in tf1scope.regularization_losses(m)]
  [1.0]
  """
  losses = []
  for record in _records(obj):
    if record.regularizer is not None:
      loss = record.regularizer(record.variable)
      if loss is not None:
        losses.append(loss)
  return losses


def get_or_create_layer(name, factory):
  """A stateful object made once per variable-scope path and tracked by the owner.

  ``factory()`` runs the first time ``name`` is asked for under the current
  variable scope; later calls, in this pass or later ones, return that object.
  In a Keras layer or model the object, if it is a Keras layer, is tracked as
  a sublayer (its weights and losses are the owner's, ``.keras`` files save
  it), and must be made in the first call of the decorated method.

  >>> import tensorflow as tf, tf1scope
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self):
  ...     with tf.compat.v1.variable_scope("block"):
  ...       return tf1scope.get_or_create_layer("counter", lambda: tf.Module())
  >>> m = M()
  >>> m() is m()
  True
  """
  frame = _state.STATE.frame
  if frame is None:
    raise NotInPassError(
        f"tf1scope.get_or_create_layer('{name}') must be called inside a "
        "method decorated with @tf1scope.track_tf1_style_variables.")
  key = naming.join(frame.scope.name, name)
  for store in reversed(frame.stores):
    layer = store.registry.layers.get(key)
    if layer is not None:
      return layer
  store = frame.store
  with store.registry.lock:
    layer = store.registry.layers.get(key)
    if layer is None:
      hooks = store.registry.owner_hooks
      if hooks is not None:
        hooks.check_new_layer(key)
      layer = factory()
      if hooks is not None:
        hooks.on_new_layer(key, layer)
      store.registry.layers[key] = layer
      store.tf1_layers[key] = layer
  return layer
