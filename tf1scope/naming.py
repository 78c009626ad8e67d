"""The one place that decides names: TF1 graph-mode name scopes, as pure functions.

These reproduce ``tf.Graph.name_scope`` and ``tf.Graph.unique_name`` over a
plain dict, so that a pass names things exactly as a TF1 graph would:

>>> used = {}
>>> enter_name_scope(used, "", "a")
('a', 'a/')
>>> enter_name_scope(used, "", "a")
('a_1', 'a_1/')
>>> enter_name_scope(used, "a_1", "b")
('a_1/b', 'a_1/b/')
>>> enter_name_scope(used, "a_1", "/abs/")
('/abs', '/abs/')
"""

import re

# The patterns TF1 applies to scope names (tensorflow/core/framework/node_def_util.cc).
ROOT_SCOPE_PATTERN = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
NESTED_SCOPE_PATTERN = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


_valid_nested = set()   # names already validated below the root
_valid_root = set()     # names already validated at the root


def validate_scope_name(name, stack):
  """Raises TF1's ValueError when ``name`` cannot open a scope under ``stack``."""
  valid = _valid_nested if stack else _valid_root
  if name in valid:
    return
  _check_scope_name(name, stack)
  if len(valid) > 100000:
    valid.clear()
  valid.add(name)


def _check_scope_name(name, stack):
  if stack:
    if not NESTED_SCOPE_PATTERN.match(name):
      raise ValueError(
          f"'{name}' is not a valid scope name. A scope name has to match "
          f"the following pattern: {NESTED_SCOPE_PATTERN.pattern}")
  elif not ROOT_SCOPE_PATTERN.match(name):
    raise ValueError(
        f"'{name}' is not a valid root scope name. A root scope name has "
        f"to match the following pattern: {ROOT_SCOPE_PATTERN.pattern}")


def unique_name(names_in_use, stack, name):
  """``Graph.unique_name``: ``stack/name``, suffixed ``_N`` if already used; marks it used."""
  if stack:
    name = stack + "/" + name
  key = name.lower()
  i = names_in_use.get(key, 0)
  names_in_use[key] = i + 1
  if i == 0:
    return name
  base_key = key
  while key in names_in_use:
    key = "%s_%d" % (base_key, i)
    i += 1
  names_in_use[key] = 1
  return "%s_%d" % (name, i - 1)


def enter_name_scope(names_in_use, stack, name):
  """``Graph.name_scope(name)``: returns (new stack, the string the scope yields).

  ``None`` and ``""`` reset to the root; a name ending in ``/`` is taken as an
  absolute scope and is not made unique; anything else is made unique.
  """
  if not name:
    return "", ""
  if isinstance(name, bytes):
    name = name.decode("utf-8")
  if name not in (_valid_nested if stack else _valid_root):
    validate_scope_name(name, stack)
  if name[-1] == "/":
    return name[:-1], name
  # unique_name(names_in_use, stack, name), when the name is new.
  full = stack + "/" + name if stack else name
  key = full.lower()
  if key not in names_in_use:
    names_in_use[key] = 1
    return full, full + "/"
  new_stack = unique_name(names_in_use, stack, name)
  return new_stack, new_stack + "/"


def join(scope_name, name):
  """A variable's full name in a variable scope: ``scope/name``, or ``name`` at the root."""
  return scope_name + "/" + name if scope_name else name


def claim_variable(names_in_use, nodes, name, key=None):
  """The graph node name of a variable made as ``name`` from the root scope.

  ``claim_node(nodes, unique_name(names_in_use, "", name))``, with the common
  case (a name not used yet) in one step. ``key`` is ``name.lower()``, when
  the caller has it already.

  >>> used, nodes = {}, set()
  >>> claim_variable(used, nodes, "a/w"), claim_variable(used, nodes, "a/w")
  ('a/w', 'a/w_1')
  """
  if key is None:
    key = name.lower()
  if key not in names_in_use and name not in nodes:
    names_in_use[key] = 1
    nodes.add(name)
    return name
  return claim_node(nodes, unique_name(names_in_use, "", name))


def claim_node(nodes, name):
  """Records a variable's graph node ``name``; TF1's ValueError if a node has it.

  Names made unique never collide; an absolute ``tf.Variable`` name
  (``name="a/"``) is not made unique and can.
  """
  if name in nodes:
    raise ValueError("Duplicate node name in graph: '%s'" % name)
  nodes.add(name)
  return name
