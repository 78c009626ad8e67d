"""HParams scenarios compared with TF1's own ``tf.contrib.training.HParams`` (``make_hparam_fixture.py``).

:func:`record` runs every scenario with a module that has ``HParams`` and
``parse_values`` (TF 1.15's ``hparam.py``, or ``tf1scope.compat.hparam``) and
returns what each call gave: ``repr`` of the result (so ``1``, ``1.0``,
``True``, lists and tuples stay apart), or the error's type and message.
"""

import random

# (name, initial value): one hyperparameter of every kind TF1 code used.
_BASE = (("lr", 0.1), ("layers", 2), ("name", "lstm"), ("flag", False),
         ("sizes", [64, 32]), ("rates", [0.5]), ("cells", ["gru", "lstm"]),
         ("masks", [True, False]), ("nothing", None), ("pair", (1, 2)))


def _outcome(call):
  try:
    return ["ok", repr(call())]
  except Exception as e:  # pylint: disable=broad-except
    return [type(e).__name__, str(e)]


def _fresh(module):
  return module.HParams(**dict(_BASE))


def _after(module, method, *args):
  """``method(*args)`` on a fresh HParams, then its values (or the error)."""
  hparams = _fresh(module)

  def call():
    getattr(hparams, method)(*args)
    return hparams.values()
  return _outcome(call)


# parse strings, each run on a fresh HParams
PARSES = (
    "lr=0.3", "lr=3", "lr=1e-4", "lr=.5", "lr=x", "lr=", "lr = 0.2 ",
    "layers=4", "layers=4.5", "layers=-1", "layers=0x10", "layers= 7",
    "name=gru", "name=", "name=a b", "name=[a,b]", "name=1",
    "flag=true", "flag=True", "flag=false", "flag=False", "flag=1", "flag=0",
    "flag=2", "flag=yes", "flag=TRUE",
    "sizes=[1,2,3]", "sizes=[1 2  3]", "sizes=[]", "sizes=[1.5]", "sizes=5",
    "sizes[1]=5", "sizes[0]=1,sizes[1]=2", "sizes[0]=[1]",
    "rates=[0.1,0.2]", "rates=[1]", "cells=[a, b]", "cells=[]",
    "masks=[true,false,1]", "masks=[maybe]",
    "lr=0.1,lr=0.2", "sizes[0]=1,sizes[0]=2", "sizes=[1],sizes[0]=2",
    "sizes[0]=2,sizes=[1]", "lr[0]=0.1",
    "unknown=1", "lr=0.2,unknown=3", "1lr=3", "lr", "=3", "lr=0.2,,layers=3",
    "lr=0.2, layers=3", "lr=0.2,layers=3,", "lr=0.2 ,layers=3",
    "nothing=3", "pair=[3,4]", "pair=3",
    "", "lr=0.5,layers=8,name=rnn,flag=true,sizes=[8],cells=[x,y,z]",
)

# parse_values calls: (values, type map, ignore_unknown)
PARSE_VALUES = (
    ("a=1,b=[x, y],c[2]=0.5", {"a": int, "b": str, "c": float}, False),
    ("a=1,z=2", {"a": int}, True),
    ("a=1,z=2", {"a": int}, False),
    ("a.b=3", {"a.b": int}, False),
    ("c[1]=2,c[3]=4", {"c": int}, False),
    ("c[ 1 ]=2", {"c": int}, False),
)

# set_hparam(name, value) on a fresh HParams
SETS = (
    ("lr", 1), ("lr", True), ("lr", "0.1"), ("lr", 2.5), ("lr", [0.1]),
    ("layers", 3.0), ("layers", 3.5), ("layers", True), ("layers", "3"),
    ("layers", 2 ** 40), ("name", 3), ("name", b"bytes"), ("name", None),
    ("flag", 1), ("flag", True), ("sizes", [1, 2]), ("sizes", [1.5]),
    ("sizes", (1, 2)), ("sizes", 3), ("rates", [1, 2]), ("cells", ["a"]),
    ("masks", [0]), ("nothing", 5), ("nothing", [1]), ("pair", [3, 4]),
    ("pair", (3, 4)), ("missing", 1),
)

# get(key, default) on a fresh HParams
GETS = (
    ("lr", None), ("lr", 0.5), ("lr", 1), ("lr", "x"), ("lr", [0.5]),
    ("layers", 2.5), ("layers", 3), ("sizes", [1]), ("sizes", 1),
    ("sizes", [1.5]), ("missing", 7), ("missing", None), ("name", 5),
    ("flag", 0), ("nothing", 3),
)


def _random_parses(count, seed=20261201):
  """Parse strings from TF1's grammar and near misses, the same on every run."""
  rng = random.Random(seed)
  names = [name for name, _ in _BASE] + ["unknown"]
  tokens = ["1", "-2", "0.5", "1e3", "x", "true", "False", "", " 3", "4 ",
            "a_b", "0", "nan", "inf", "7.", "1,2"]
  clauses = []
  for _ in range(count):
    parts = []
    for _ in range(rng.randint(1, 3)):
      name = rng.choice(names)
      shape = rng.random()
      if shape < 0.5:
        parts.append(f"{name}={rng.choice(tokens)}")
      elif shape < 0.8:
        items = ",".join(rng.choice(tokens) for _ in range(rng.randint(0, 3)))
        parts.append(f"{name}=[{items}]")
      else:
        parts.append(f"{name}[{rng.randint(0, 2)}]={rng.choice(tokens)}")
    clauses.append(rng.choice([",", ", ", ",,"]).join(parts))
  return clauses


def record(module):
  """What every scenario gives with ``module``'s HParams and parse_values."""
  out = {}
  fresh = _fresh(module)
  out["construct"] = [repr(fresh.values()), str(fresh), repr(fresh),
                      fresh.to_json(), fresh.to_json(indent=1, sort_keys=True),
                      fresh.to_json(separators=(",", ":"))]
  out["contains"] = [name in fresh for name in ("lr", "missing", "values")]
  out["parse"] = {s: _after(module, "parse", s) for s in PARSES}
  out["parse_random"] = {s: _after(module, "parse", s)
                         for s in _random_parses(400)}
  out["parse_values"] = [
      _outcome(lambda v=v, t=t, i=i: module.parse_values(v, t, i))
      for v, t, i in PARSE_VALUES]
  out["set_hparam"] = [_after(module, "set_hparam", n, v) for n, v in SETS]
  out["get"] = [_outcome(lambda k=k, d=d: _fresh(module).get(k, d))
                for k, d in GETS]
  out["parse_json"] = [
      _after(module, "parse_json", s) for s in (
          '{"lr": 0.5, "sizes": [4]}', '{"layers": 2.0}', '{"layers": 2.5}',
          '{"missing": 1}', '{"flag": 1}', "not json", '{"name": null}')]
  out["override_from_dict"] = [
      _after(module, "override_from_dict", d) for d in (
          {"lr": 1, "cells": ["x"]}, {"sizes": {0: 1}}, {"missing": 2})]
  out["add_hparam"] = [
      _after(module, "add_hparam", n, v) for n, v in (
          ("new", 1), ("lr", 0.2), ("nothing", 1), ("values", 1),
          ("parse", 1), ("empty", []), ("_hparam_types", 1), ("tup", (1.0,)),
          ("a.b", 3))]
  out["del_hparam"] = [
      _after(module, "del_hparam", n) for n in ("lr", "missing", "sizes")]

  # add, delete and add again; dotted names through parse
  hparams = _fresh(module)
  hparams.del_hparam("lr")
  hparams.add_hparam("lr", 3)
  hparams.add_hparam("opt.beta", 0.9)
  out["readd"] = [_outcome(lambda: hparams.parse("lr=4,opt.beta=0.8").values()),
                  str(hparams), repr(hparams)]
  out["model_structure"] = repr(
      module.HParams(model_structure="structure").get_model_structure())
  return out
