"""Layer object names (``layer.name``) and the context check every layer call makes.

TF1 gives two names to an unnamed layer:

* its *variable scope*, ``dense``, ``dense_1``... made unique against the
  current variable scope by ``variable_scope(None, default_name="dense")``
  (this is the name its variables and ops carry, see :mod:`.base`);
* its *object name*, ``dense_1``, ``dense_2``... counted from 1 per graph and
  per class, shown in error messages such as 'Input 0 of layer "dense_1" is
  incompatible with the layer'.

Object names are counted per pass (in the pass's ``Frame.extras``), per graph
in TF1 graph mode, and process-wide for layers built eagerly outside a pass,
so a pass names its layers the same way on every call.
"""

import re
import threading
import weakref

import tensorflow as tf

from tf1scope import _state
from tf1scope.errors import NotInPassError

EXTRAS_KEY = "tf1scope.layers.object_names"   # frame.extras: base name -> count
_graph_counts = weakref.WeakKeyDictionary()
_eager_counts = {}
_lock = threading.Lock()


def snake_case(class_name):
  """``Conv2DTranspose`` -> ``conv2d_transpose``, as TF1 derives default names."""
  words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", class_name)
  name = re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()
  return "private" + name if name.startswith("_") else name


def _counts():
  frame = _state.STATE.frame
  if frame is not None:
    return frame.extras.setdefault(EXTRAS_KEY, {})
  if not tf.compat.v1.executing_eagerly_outside_functions():
    graph = tf.compat.v1.get_default_graph()
    counts = _graph_counts.get(graph)
    if counts is None:
      counts = _graph_counts[graph] = {}
    return counts
  return _eager_counts


def unique_object_name(base_name):
  """``base_1``, ``base_2``... in the current pass (or graph)."""
  with _lock:
    counts = _counts()
    counts[base_name] = counts.get(base_name, 0) + 1
    return f"{base_name}_{counts[base_name]}"


def in_graph_context():
  """True inside a pass or while building a TF1 graph: where layers may run."""
  if _state.STATE.frame is not None:
    return True
  return not tf.compat.v1.executing_eagerly_outside_functions()


def require_context(api_name):
  """Raises :class:`NotInPassError` naming the decorator when layers cannot run.

  ``api_name`` is a name in ``tf1scope.layers`` (``dense``), or a dotted
  name below ``tf1scope`` (``rnn_cell.LSTMCell``).
  """
  if not in_graph_context():
    qualified = api_name if "." in api_name else "layers." + api_name
    raise NotInPassError(
        f"tf1scope.{qualified} creates TF1 variables and must be called "
        "inside a method decorated with @tf1scope.track_tf1_style_variables "
        "(or while building a TF1 graph, inside `with tf.Graph().as_default()"
        ":`). Move the call into such a method of your tf.Module.")
