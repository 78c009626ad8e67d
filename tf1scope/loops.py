"""Eager ``while_loop``\\ s in a pass: the body runs as TF1 built it, once.

TF1 builds a loop's body once, as a graph; eagerly, TensorFlow runs the body
once per iteration. So TF1 code that makes variables or named scopes in a
body (``get_variable("w")`` without ``reuse``, a ``tf.layers.dense`` call, a
``tf.Variable``, a wrapper that makes its variables in the caller's scope)
would meet its own names again on the second iteration. In a pass, every
later iteration is a replay of the first: it starts from the pass as it was
before the first iteration (names, scope counters, layer names, the
variables used so far, collections), so it makes the same names and finds
the variables the first one made, and afterwards the pass is put back as
the first iteration left it. After the loop the pass holds one body's
worth, as TF1's graph did.

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

def _snapshot(frame):
  """What a loop body changes in ``frame``, copied."""
  return (dict(frame.names_in_use), dict(frame.scope_counts),
          {k: set(v) for k, v in frame.scope_children.items()},
          list(frame.journal), set(frame.nodes), dict(frame.touched),
          {k: list(v) for k, v in frame.collections.items()},
          None if frame.unlisted is None else list(frame.unlisted),
          _extras(frame.extras))


def _extras(extras):
  """The per-pass tables of other modules (layer names, partitioned variables...), one level deep."""
  return {k: dict(v) if isinstance(v, dict) else v for k, v in extras.items()}


def _restore(frame, snapshot):
  """``frame`` as at ``snapshot`` (which stays usable for the next iteration)."""
  (used, counts, children, journal, nodes, touched, collections, unlisted,
   extras) = snapshot
  frame.names_in_use = dict(used)
  frame.scope_counts = dict(counts)
  frame.scope_children = {k: set(v) for k, v in children.items()}
  frame.journal = list(journal)
  frame.nodes = set(nodes)
  frame.touched = dict(touched)
  # Collection lists may be held by TF1 code (get_collection_ref): refilled in place.
  for key, values in frame.collections.items():
    values[:] = collections.get(key, ())
  for key, values in collections.items():
    frame.collections.setdefault(key, list(values))
  if unlisted is None or frame.unlisted is None:
    frame.unlisted = None if frame.unlisted is None else list(unlisted or ())
  else:
    frame.unlisted[:] = unlisted
  frame.extras = _extras(extras)


def run_once(frame, cond, body):
  """``(cond, body)`` for an eager ``while_loop`` in ``frame``'s pass: later iterations replay the first."""
  states = {}   # "before" and "after" the first iteration

  def loop_body(*args):
    if "before" not in states:
      states["before"] = _snapshot(frame)
      return body(*args)
    if "after" not in states:
      states["after"] = _snapshot(frame)
    _restore(frame, states["before"])
    try:
      return body(*args)
    finally:
      _restore(frame, states["after"])

  # ``cond`` runs as it is: between iterations what it names is undone by
  # the next replay; only its last test's names stay.
  return cond, loop_body
