"""TF1's ``tf.contrib.training.HParams`` and ``parse_values``: hyperparameters by name.

TF1 training scripts (NMT, tensor2tensor, Magenta, many research repos) keep
their hyperparameters in an ``HParams`` and override them from one
command-line flag. TensorFlow 2.0 removed it with ``tf.contrib``. This one
keeps TF1's rules exactly: a hyperparameter's type is fixed by its first
value (a list's by its first element), ``parse`` reads TF1's
``name=value,list=[a,b]`` syntax, ``set_hparam`` casts as TF1 did (an int into
a float hyperparameter, never a float into an int or a string into a
number), and the errors are TF1's.

>>> from tf1scope.compat.hparam import HParams
>>> hparams = HParams(learning_rate=0.1, num_layers=2, cells=["lstm", "gru"])
>>> hparams.parse("learning_rate=0.3,cells=[gru]").learning_rate
0.3
>>> hparams.cells
['gru']
>>> hparams.set_hparam("learning_rate", 1)   # an int where a float was: cast
>>> hparams.learning_rate
1.0
>>> hparams.parse("num_layers=2.5")
Traceback (most recent call last):
...
ValueError: Could not parse hparam 'num_layers' of type 'int' with value '2.5' in num_layers=2.5
>>> print(hparams)
learning_rate=1.0,num_layers=2,cells=['gru']

The ``HParamDef`` protocol buffer (``hparam_def=``, ``to_proto``,
``from_proto``) does not exist in TensorFlow 2; those raise
``NotImplementedError``.
"""

import json
import numbers
import re

from absl import logging

# One "name=value" clause of a parse string: a name (dots allowed), an
# optional "[index]", then a single value or a bracketed list, then a comma
# or the end.
_CLAUSE = re.compile(r"""
  (?P<name>[a-zA-Z][\w.]*)
  (\[\s*(?P<index>\d+)\s*\])?
  \s*=\s*
  (
    (?P<val>[^,\[]*)
  |
    \[(?P<vals>[^\]]*)\]
  )
  ($|,\s*)""", re.VERBOSE)

_STRINGS = (str, bytes)
_NO_PROTO = ("The HParamDef protocol buffer of tf.contrib.training does not "
             "exist in TensorFlow 2: make HParams from keyword arguments, and "
             "keep them as JSON (to_json / parse_json).")


def _could_not_parse(name, kind, value, values):
  return ValueError(f"Could not parse hparam '{name}' of type "
                    f"'{kind.__name__}' with value '{value}' in {values}")


def _assigned_twice(name, values):
  return ValueError(f"Multiple assignments to variable '{name}' in {values}")


def _value_parser(name, kind, values):
  """The function that turns one token of ``values`` into a ``kind`` value."""
  if kind != bool:
    return kind

  def parse_bool(token):
    if token in ("true", "True"):
      return True
    if token in ("false", "False"):
      return False
    try:
      return bool(int(token))
    except ValueError:
      raise _could_not_parse(name, kind, token, values) from None
  return parse_bool


def _add_scalar(results, name, index, value, values):
  """``name=value`` or ``name[index]=value`` into ``results``."""
  if index is None:
    if name in results:
      raise _assigned_twice(name, values)
    results[name] = value
    return
  slots = results.setdefault(name, {})
  if not isinstance(slots, dict):   # assigned as a whole before
    raise _assigned_twice(name, values)
  index = int(index)
  if index in slots:
    raise _assigned_twice(f"{name}[{index}]", values)
  slots[index] = value


def parse_values(values, type_map, ignore_unknown=False):
  """TF1's parse of ``"name=value,name=[v1,v2],name[i]=v"`` into ``{name: value}``.

  ``type_map`` gives each name's type (a list's element type). A scalar
  value is parsed by calling the type on its text (``true``/``false``,
  ``True``/``False`` or an integer for ``bool``); a bracketed list splits on
  commas and spaces; ``name[i]=v`` gives ``{name: {i: v}}``. A name given
  twice, an unknown name (unless ``ignore_unknown``), a list assigned to an
  index or a value that does not parse raise TF1's ``ValueError``.

  >>> parse_values("a=1,b=[x, y],c[2]=0.5", {"a": int, "b": str, "c": float})
  {'a': 1, 'b': ['x', 'y'], 'c': {2: 0.5}}
  """
  results = {}
  pos = 0
  while pos < len(values):
    match = _CLAUSE.match(values, pos)
    if not match:
      raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
    pos = match.end()
    name = match.group("name")
    if name not in type_map:
      if ignore_unknown:
        continue
      raise ValueError(f"Unknown hyperparameter type for {name}")
    kind = type_map[name]
    parse = _value_parser(name, kind, values)
    index, token, tokens = match.group("index", "val", "vals")
    if token is not None:
      try:
        value = parse(token)
      except ValueError:
        raise _could_not_parse(name, kind, token, values) from None
      _add_scalar(results, name, index, value, values)
    elif tokens is not None:
      if index is not None:
        raise ValueError("Assignment of a list to a list index.")
      if name in results:
        raise _assigned_twice(name, values)
      try:
        results[name] = [parse(t) for t in re.split("[ ,]", tokens) if t]
      except ValueError:
        raise _could_not_parse(name, kind, tokens, values) from None
    else:
      raise _could_not_parse(name, kind, "", values)
  return results


def _cast(name, kind, value):
  """``value`` as a ``kind`` hyperparameter, by TF1's rules, or TF1's ValueError."""
  if type(value) == kind:  # pylint: disable=unidiomatic-typecheck
    return value
  if issubclass(kind, type(None)):   # no type to check against
    return value
  compatible = not (
      (issubclass(kind, _STRINGS) and not isinstance(value, _STRINGS)) or
      issubclass(kind, bool) != isinstance(value, bool) or
      (issubclass(kind, numbers.Integral) and
       not isinstance(value, numbers.Integral)) or
      (issubclass(kind, numbers.Number) and
       not isinstance(value, numbers.Number)))
  if not compatible:
    raise ValueError(f"Could not cast hparam '{name}' of type '{kind}' from "
                     f"value {value!r}")
  return kind(value)


class HParams:
  """TF1's ``tf.contrib.training.HParams``: typed hyperparameters as attributes.

  >>> hparams = HParams(batch_size=32, optimizer="adam")
  >>> hparams.batch_size, "optimizer" in hparams, hparams.get("dropout", 0.1)
  (32, True, 0.1)
  >>> hparams.to_json(sort_keys=True)
  '{"batch_size": 32, "optimizer": "adam"}'
  """

  def __init__(self, hparam_def=None, model_structure=None, **kwargs):
    # name -> (type of the value or of a list's elements, whether a list)
    self._hparam_types = {}
    self._model_structure = model_structure
    if hparam_def:
      raise NotImplementedError(_NO_PROTO)
    for name, value in kwargs.items():
      self.add_hparam(name, value)

  def add_hparam(self, name, value):
    """Adds the hyperparameter ``name``; its type is that of ``value`` (of a list's first element)."""
    # A name that is already an attribute (a method, another hyperparameter
    # with a value) is refused, as TF1 refused it.
    if getattr(self, name, None) is not None:
      raise ValueError(f"Hyperparameter name is reserved: {name}")
    if isinstance(value, (list, tuple)):
      if not value:
        raise ValueError(
            f"Multi-valued hyperparameters cannot be empty: {name}")
      self._hparam_types[name] = (type(value[0]), True)
    else:
      self._hparam_types[name] = (type(value), False)
    setattr(self, name, value)

  def set_hparam(self, name, value):
    """Sets an existing hyperparameter, cast to its type (KeyError if there is none)."""
    kind, is_list = self._hparam_types[name]
    if isinstance(value, list):
      if not is_list:
        raise ValueError(
            f"Must not pass a list for single-valued parameter: {name}")
      setattr(self, name, [_cast(name, kind, v) for v in value])
    else:
      if is_list:
        raise ValueError(
            f"Must pass a list for multi-valued parameter: {name}.")
      setattr(self, name, _cast(name, kind, value))

  def del_hparam(self, name):
    """Removes the hyperparameter ``name``; nothing happens if there is no such attribute."""
    if hasattr(self, name):
      delattr(self, name)
      del self._hparam_types[name]

  def parse(self, values):
    """Sets hyperparameters from a ``"name=value,..."`` string (see :func:`parse_values`); returns self."""
    type_map = {name: kind for name, (kind, _) in self._hparam_types.items()}
    return self.override_from_dict(parse_values(values, type_map))

  def override_from_dict(self, values_dict):
    """Sets every hyperparameter of ``values_dict``; returns self."""
    for name, value in values_dict.items():
      self.set_hparam(name, value)
    return self

  def set_from_map(self, values_map):
    """Deprecated in TF1: :meth:`override_from_dict`."""
    logging.warning("HParams.set_from_map is deprecated: use "
                    "override_from_dict.")
    return self.override_from_dict(values_dict=values_map)

  def set_model_structure(self, model_structure):
    self._model_structure = model_structure

  def get_model_structure(self):
    return self._model_structure

  def to_json(self, indent=None, separators=None, sort_keys=False):
    """The values as a JSON object (``json.dumps`` arguments)."""
    return json.dumps(self.values(), indent=indent, separators=separators,
                      sort_keys=sort_keys)

  def parse_json(self, values_json):
    """Sets hyperparameters from a JSON object; returns self."""
    return self.override_from_dict(json.loads(values_json))

  def values(self):
    """``{name: value}``, in the order the hyperparameters were added."""
    return {name: getattr(self, name) for name in self._hparam_types}

  def get(self, key, default=None):
    """The value of ``key``, or ``default`` if there is none; a default of another type raises."""
    if key not in self._hparam_types:
      return default
    if default is not None:
      kind, is_list = self._hparam_types[key]
      shown = f"list<{kind}>" if is_list else str(kind)
      message = (f"Hparam '{key}' of type '{shown}' is incompatible with "
                 f"default={default}")
      if is_list != isinstance(default, list):
        raise ValueError(message)
      try:
        for value in (default if is_list else [default]):
          _cast(key, kind, value)
      except ValueError as e:
        raise ValueError(f"{message}. {e}") from None
    return getattr(self, key)

  def __contains__(self, key):
    return key in self._hparam_types

  def __str__(self):
    return ",".join(f"{name}={value}" for name, value in self.values().items())

  def __repr__(self):
    return f"{type(self).__name__}({sorted(self.values().items())})"

  def to_proto(self, export_scope=None):
    del export_scope
    raise NotImplementedError(_NO_PROTO)

  @staticmethod
  def from_proto(hparam_def, import_scope=None):
    del hparam_def, import_scope
    raise NotImplementedError(_NO_PROTO)
