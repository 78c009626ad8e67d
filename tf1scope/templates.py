"""``tf.compat.v1.make_template`` in a pass: TF1's graph templates, eagerly too.

A TF1 template wraps a function so that its first call creates variables in
a fresh variable scope and later calls re-enter that scope with
``reuse=True``. Eagerly, TensorFlow makes an *eager* template instead, which
keeps its variables in a store of its own; TF1 code in a pass expects the
graph template, whose variables are the pass's.

In a pass, :func:`make_template` makes TF1's graph template whether or not
the pass runs eagerly, and :func:`call_template` calls any template (made in
the pass, in an earlier pass, or outside any pass) as a graph template used
in this pass's TF1 graph: it gets its scope on its first call in the pass
(or at construction, for ``create_scope_now_=True``) and later calls in the
pass reuse it. Each pass starts afresh, as each TF1 graph build did, and the
pass model returns the variables an earlier pass created. Outside a pass a
template is TensorFlow's, unchanged.

>>> import tensorflow as tf, tf1scope
>>> def dense(x):
...   w = tf.compat.v1.get_variable(
...       "w", [2], initializer=tf.compat.v1.ones_initializer())
...   return x * w
>>> class M(tf.Module):
...   def __init__(self):
...     super().__init__()
...     self.layer = tf.compat.v1.make_template("layer", dense)
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, x):
...     return self.layer(self.layer(x))
>>> m = M()
>>> m(tf.ones([2])).numpy().tolist()
[1.0, 1.0]
>>> list(tf1scope.variables_by_name(m))
['layer/w']
"""

import functools

from tf1scope import _compat
from tf1scope import scopes

_TEMPLATES = "tf1scope.templates"   # frame.extras key: id(template) -> (template, its copy)


def make_template(frame, name, func, create_scope_now, unique_name,
                  custom_getter, create_graph_function, kwargs):
  """``make_template_internal`` in a pass: a graph template, as in TF1."""
  if kwargs:
    func = functools.partial(func, **kwargs)
  template = _compat.GraphTemplate(
      name, func, create_scope_now=False, unique_name=unique_name,
      custom_getter=custom_getter,
      create_graph_function=create_graph_function)
  scope = None
  if create_scope_now:   # TF1 opens a pure variable scope (no name scope)
    scope_name = unique_name or scopes.unique_variable_scope(frame, name)
    with scopes.pure_variable_scope(frame, scope_name, custom_getter) as scope:
      pass
    _compat.set_template_scope(template, scope)
  _compat.set_template_origin(template, scope, frame.pass_id)
  return template


def call_template(frame, template, args, kwargs):
  """Calls ``template`` as TF1's graph template in this pass's graph.

  A template made in this pass is a graph template with this pass's state.
  Any other (made in an earlier pass, or outside any pass) is called through
  a fresh graph-template copy made at its first call in the pass and kept for
  the pass, so the template itself is left as TensorFlow had it (and threads
  running passes at once share no state).
  """
  scope_at_construction, pass_id = _compat.template_origin(template)
  if pass_id != frame.pass_id:
    copies = frame.extras.get(_TEMPLATES)
    if copies is None:
      copies = frame.extras[_TEMPLATES] = {}
    entry = copies.get(id(template))
    if entry is None:   # its first call in this pass
      entry = copies[id(template)] = (
          template, _compat.graph_template_copy(template, scope_at_construction))
    template = entry[1]
  return _compat.call_graph_template(template, args, kwargs)
