"""Eager ``while_loop``\\ s in a pass: the body runs as TF1 built it, once.

TF1 builds a loop's body once, as a graph; eagerly, TensorFlow runs the body
once per iteration. So TF1 code that makes variables or named scopes in a
body (``get_variable("w")`` without ``reuse``, a ``tf.layers.dense`` call, a
wrapper that makes its variables in the caller's scope) would meet its own
names again on the second iteration. In a pass, every later iteration is a
replay of the first:

* it starts from the names, scope counters and layer names of the pass
  before the first iteration (the first iteration's variables keep their
  graph nodes), so it makes the same scope names;
* it may get the variables the first iteration used, with any ``reuse``;
* what it adds to collections is dropped afterwards: after the loop, the
  pass holds one body's worth, as TF1's graph did (a ``cond`` that opens
  name scopes leaves its last test's names as well).

>>> import tensorflow as tf, tf1scope
>>> v1 = tf.compat.v1
>>> class Loop(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self):
...     def body(i, x):
...       w = v1.get_variable("w", [], initializer=v1.constant_initializer(2.0))
...       return i + 1, x * w
...     return v1.while_loop(lambda i, x: i < 3, body, [0, 1.0])[1]
>>> loop = Loop()
>>> float(loop()), list(tf1scope.variables_by_name(loop))   # one "w", as in TF1
(8.0, ['w'])
"""

from tf1scope import store as store_lib
from tf1scope.layers import naming as layer_naming


def _names(frame):
  """The naming state of ``frame``: what a replayed iteration starts from."""
  return (dict(frame.names_in_use), dict(frame.scope_counts),
          {k: set(v) for k, v in frame.scope_children.items()},
          list(frame.journal), set(frame.nodes),
          dict(frame.extras.get(layer_naming.EXTRAS_KEY, {})))


def _restore_names(frame, names, kept_nodes=()):
  """``frame``'s naming state back to ``names``; ``kept_nodes`` stay claimed graph nodes."""
  used, counts, children, journal, nodes, layer_names = names
  frame.names_in_use = dict(used)
  frame.scope_counts = dict(counts)
  frame.scope_children = {k: set(v) for k, v in children.items()}
  frame.journal = list(journal)
  frame.nodes = set(nodes)
  for node in kept_nodes:
    frame.nodes.add(node)
    frame.names_in_use.setdefault(node.lower(), 1)
  frame.extras[layer_naming.EXTRAS_KEY] = dict(layer_names)


def _collection_sizes(frame):
  store_lib.list_touched(frame)   # the variables used so far join their collections first
  return {k: len(v) for k, v in frame.collections.items()}


def _drop_additions(frame, sizes):
  """Truncates each collection to its size in ``sizes`` (lists TF1 code may hold stay the same objects)."""
  for key, values in frame.collections.items():
    del values[sizes.get(key, 0):]


def run_once(frame, cond, body):
  """``(cond, body)`` for an eager ``while_loop`` in ``frame``'s pass: later iterations replay the first."""
  first = {}   # "names": before the first iteration; "nodes": what it claimed

  def loop_body(*args):
    if not first:
      first["names"] = _names(frame)
      return body(*args)
    if "nodes" not in first:   # what the first iteration made, kept from now on
      first["nodes"] = frame.nodes - first["names"][4]
      first["replay"] = set(frame.touched)
      first["sizes"] = _collection_sizes(frame)
    _restore_names(frame, first["names"], first["nodes"])
    previous, frame.replay = frame.replay, first["replay"]
    try:
      return body(*args)
    finally:
      frame.replay = previous
      _drop_additions(frame, first["sizes"])

  # ``cond`` runs as it is: what it names between iterations is undone by
  # the next iteration's restore; only its last test's names stay.
  return cond, loop_body
