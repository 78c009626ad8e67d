"""Random TF1 scope programs for tests/test_fuzz.py: data, a strategy, an interpreter.

A *program* is a tuple of statements (frozen dataclasses below). Block
statements (:class:`VarScope`, :class:`NameScope`, :class:`Try`,
:class:`Twice`) hold a body, so a program is a tree. :data:`programs` draws
programs of every statement; :data:`scope_programs` denser ones of variable
scopes only. :func:`execute` runs a program with the TF1 APIs and appends what it
sees to a list of observations; :func:`to_source` prints the equivalent Python,
which is what a failing example shows.

Every ``with tf.compat.v1.variable_scope(...) as s`` and every
:class:`Capture` names a scope object ``s0``, ``s1``, ... in program order; a
:class:`Ref` re-enters one of them later (``Ref(i)`` is ``s{i mod count}``, or
``get_variable_scope()`` when nothing was captured yet), so references are
always valid whatever the shrinker removes. :class:`NameRef` does the same for
name-scope strings.

No statement creates an op: in graph mode ops consume names that an eager pass
cannot see.
"""

import dataclasses
from typing import Optional, Tuple, Union

from hypothesis import strategies as st
import tensorflow as tf

from messages import first_sentence

v1 = tf.compat.v1

AUTO = "AUTO_REUSE"  # stands for tf.compat.v1.AUTO_REUSE in program data


@dataclasses.dataclass(frozen=True)
class Ref:
  """A scope object captured earlier in the program."""
  index: int


@dataclasses.dataclass(frozen=True)
class NameRef:
  """A name-scope string seen earlier: one a name scope returned, or a
  variable scope's ``original_name_scope`` (``""`` when there is none yet)."""
  index: int


@dataclasses.dataclass(frozen=True)
class VarScope:
  """``with v1.variable_scope(name, default_name=..., reuse=..., auxiliary_name_scope=...) as s:``"""
  name: Union[str, None, Ref]
  default_name: Optional[str]
  reuse: object  # None, True, False or AUTO
  aux: bool
  body: tuple


@dataclasses.dataclass(frozen=True)
class NameScope:
  """``with tf.name_scope(name) as s:`` (api "v2") or ``v1.name_scope(name, default_name)`` (api "v1")."""
  api: str
  name: Union[str, None, NameRef]
  default_name: Optional[str]
  body: tuple


@dataclasses.dataclass(frozen=True)
class GetVariable:
  """``v1.get_variable(name, [n])``"""
  name: str
  size: int


@dataclasses.dataclass(frozen=True)
class Variable:
  """``tf.Variable([0.0] * n, name=name)`` (no ``name`` argument when None)."""
  name: Optional[str]
  size: int


@dataclasses.dataclass(frozen=True)
class Observe:
  """Records the current variable scope (name, original_name_scope, reuse) and name scope."""


@dataclasses.dataclass(frozen=True)
class Capture:
  """``s = v1.get_variable_scope()``: a scope object to re-enter later."""


@dataclasses.dataclass(frozen=True)
class ObserveCaptured:
  """Records a captured scope object (name, original_name_scope, reuse) again."""
  ref: Ref


@dataclasses.dataclass(frozen=True)
class ReuseVariables:
  """``v1.get_variable_scope().reuse_variables()``"""


@dataclasses.dataclass(frozen=True)
class Try:
  """``try: body`` ``except Exception as e: observe(e)``: the program goes on
  after an error, in the scopes the error unwound to."""
  body: tuple


@dataclasses.dataclass(frozen=True)
class Twice:
  """``body`` run twice, as a model calls a layer-building function twice."""
  body: tuple


Statement = Union[VarScope, NameScope, GetVariable, Variable, Observe,
                  Capture, ObserveCaptured, ReuseVariables, Try, Twice]
Program = Tuple[Statement, ...]

# --- The strategy ---------------------------------------------------------------

# Small alphabets so that names collide: "A" and "a" collide in TF1's
# case-insensitive uniquifier, "a_1" collides with the uniquified "a".
# "_x" is not a valid root scope name (TF1 raises ValueError), valid nested:
# a get_variable full name starting with it is invalid too.
SCOPE_NAMES = ("a", "b", "_x", "A", "a_1", "a/b")
NAME_SCOPE_NAMES = ("a", "b", "A", "a_1", "w", "", "a/", "_x", "a/b",
                    "a_1/b/", "b/a/")
DEFAULT_NAMES = ("d", "a", "D", "a_1")
VARIABLE_NAMES = ("w", "a", "W", "_x", "a_1", "b/w")
# Absolute names ("a/") included (their duplicate-node errors are TF1's); no
# "": see test_tf_variable_empty_name in test_fuzz.py. NAME_SCOPE_NAMES has no
# "a//": see test_tf_variable_in_name_scope_with_double_slash.
TF_VARIABLE_NAMES = (None, "w", "a", "A", "_x", "a_1", "a/w", "Variable", "a/", "w/")
REUSES = (None, True, False, AUTO)

_leaves = st.one_of(
    st.builds(GetVariable, st.sampled_from(VARIABLE_NAMES), st.sampled_from((1, 2))),
    st.builds(Variable, st.sampled_from(TF_VARIABLE_NAMES), st.sampled_from((1, 2))),
    st.just(Observe()),
    st.just(Capture()),
    st.builds(ObserveCaptured, st.builds(Ref, st.integers(0, 3))),
    st.just(ReuseVariables()),
)


def _var_scope(bodies, unnamed_share=4):
  named = st.builds(
      VarScope,
      name=st.one_of(st.sampled_from(SCOPE_NAMES + ("",)),
                     st.builds(Ref, st.integers(0, 3))),
      default_name=st.sampled_from((None, "d")),  # ignored when named
      reuse=st.sampled_from(REUSES),
      aux=st.sampled_from((True, True, True, False)),
      body=bodies)
  # name None: the default name is made unique. A missing default name and a
  # truthy reuse are TF1 errors, so they are rare.
  unnamed = st.builds(
      VarScope,
      name=st.just(None),
      # Hypothesis favours the first and last choices: rare ones go between.
      default_name=st.sampled_from(DEFAULT_NAMES * 2 + (None,) + DEFAULT_NAMES),
      reuse=st.sampled_from((None, False) * 3 + (True,) + (None, False) * 3),
      aux=st.sampled_from((True, True, True, False)),
      body=bodies)
  # One scope in ``unnamed_share`` is unnamed (hypothesis favours the ends of
  # a range, so 1 is the unnamed pick).
  return st.integers(0, unnamed_share - 1).flatmap(
      lambda i: unnamed if i == 1 else named)


def _name_scope(bodies):
  name = st.one_of(st.sampled_from(NAME_SCOPE_NAMES),
                   st.builds(NameRef, st.integers(0, 5)))
  v2 = st.builds(NameScope, st.just("v2"), name, st.just(None), bodies)
  v1_ = st.builds(NameScope, st.just("v1"), st.one_of(name, st.just(None)),
                  st.one_of(st.just(None), st.sampled_from(DEFAULT_NAMES)),
                  bodies)
  return st.one_of(v2, v1_)


def _blocks(statements):
  bodies = st.lists(statements, max_size=4).map(tuple)
  return st.one_of(_var_scope(bodies), _name_scope(bodies),
                   st.builds(Try, bodies), st.builds(Twice, bodies))


statements = st.recursive(_leaves, _blocks, max_leaves=14)
programs = st.lists(statements, min_size=1, max_size=6).map(tuple)


# Denser programs for the variable-scope counters (default names made unique,
# closed on exit, restored when a captured scope exits): only scopes, captures,
# repetition and tf.Variables (which never fail on a repeated name), so that
# the same scopes meet more often.
_scope_leaves = st.one_of(
    st.builds(Variable, st.sampled_from((None, "a")), st.just(1)),
    st.just(Capture()),
    st.just(Observe()),
)


def _scope_blocks(statements_):
  bodies = st.lists(statements_, max_size=3).map(tuple)
  name_scope = st.builds(NameScope, st.just("v2"),
                         st.sampled_from(("a", "d", "")), st.just(None), bodies)
  return st.one_of(_var_scope(bodies, unnamed_share=2), st.builds(Twice, bodies),
                   name_scope)


scope_statements = st.recursive(_scope_leaves, _scope_blocks, max_leaves=10)
scope_programs = st.lists(scope_statements, min_size=1, max_size=4).map(tuple)


# --- The interpreter --------------------------------------------------------------


def _reuse_arg(reuse):
  return v1.AUTO_REUSE if reuse == AUTO else reuse


def _reuse_obs(reuse):
  if reuse is v1.AUTO_REUSE:
    return AUTO
  return reuse




def is_failed_fetch(e):
  """A reuse=True get_variable of a variable that does not exist yet.

  :class:`Try` does not catch it. Excluded: after catching it, a program that
  creates the variable differs from graph mode in its *second* pass, where
  tf1scope's fetch returns the variable the first pass created (see
  ``test_caught_failed_fetch_then_create`` in tests/test_fuzz.py).
  """
  return isinstance(e, ValueError) and " does not exist, or was not created" in str(e)


def execute(program, observations, variables):
  """Runs ``program`` with the TF1 APIs.

  Appends observations (tuples of strings, numbers, bools, None) to
  ``observations`` and every variable it gets to ``variables``. An exception
  propagates after being recorded as ``("error", type name, first sentence)``.
  """
  captured = []     # scope objects, s0, s1, ...
  name_scopes = []  # name-scope strings seen, for NameRef
  first_index = {}

  def captured_scope(ref):
    if not captured:
      return v1.get_variable_scope()
    return captured[ref.index % len(captured)]

  def record_variable(kind, var):
    variables.append(var)
    index = first_index.setdefault(id(var), len(first_index))
    observations.append((kind, var.name, tuple(var.shape.as_list()), index))

  def observe(kind, scope):
    observations.append((kind, scope.name, scope.original_name_scope,
                         _reuse_obs(scope.reuse)))

  def run(body):
    for s in body:
      if isinstance(s, VarScope):
        target = s.name
        if isinstance(target, Ref):
          target = captured_scope(target)
        with v1.variable_scope(target, default_name=s.default_name,
                               reuse=_reuse_arg(s.reuse),
                               auxiliary_name_scope=s.aux) as scope:
          captured.append(scope)
          name_scopes.append(scope.original_name_scope)
          observe("vs", scope)
          run(s.body)
      elif isinstance(s, NameScope):
        name = s.name
        if isinstance(name, NameRef):
          name = (name_scopes[name.index % len(name_scopes)] if name_scopes
                  else "")
        if s.api == "v2":
          manager = tf.name_scope(name)
        else:
          manager = v1.name_scope(name, default_name=s.default_name)
        with manager as scope_string:
          name_scopes.append(scope_string)
          observations.append(("ns", scope_string))
          run(s.body)
      elif isinstance(s, GetVariable):
        record_variable("gv", v1.get_variable(s.name, [s.size]))
      elif isinstance(s, Variable):
        kwargs = {} if s.name is None else {"name": s.name}
        record_variable("var", tf.Variable([0.0] * s.size, **kwargs))
      elif isinstance(s, Observe):
        scope = v1.get_variable_scope()
        observe("at", scope)
        observations.append(("name_scope", tf.get_current_name_scope()))
      elif isinstance(s, Capture):
        captured.append(v1.get_variable_scope())
      elif isinstance(s, ObserveCaptured):
        observe("captured", captured_scope(s.ref))
      elif isinstance(s, ReuseVariables):
        v1.get_variable_scope().reuse_variables()
      elif isinstance(s, Twice):
        run(s.body)
        run(s.body)
      elif isinstance(s, Try):
        try:
          run(s.body)
        except Exception as e:  # pylint: disable=broad-except
          if is_failed_fetch(e):
            raise
          observations.append(("caught", type(e).__name__, first_sentence(e)))
      else:
        raise TypeError(f"not a statement: {s!r}")

  try:
    run(program)
  except Exception as e:  # pylint: disable=broad-except
    observations.append(("error", type(e).__name__, first_sentence(e)))
    raise


# --- Printing ----------------------------------------------------------------------


def _reuse_src(reuse):
  return "v1.AUTO_REUSE" if reuse == AUTO else repr(reuse)


def to_source(program):
  """The program as Python source (``v1`` is ``tf.compat.v1``)."""
  lines = []
  counter = [0]
  name_scopes = []  # source expressions of the strings NameRef picks from
  ns_counter = [0]

  def capture_name():
    name = "s%d" % counter[0]
    counter[0] += 1
    return name

  def captured_src(ref):
    if not counter[0]:
      return "v1.get_variable_scope()"
    return "s%d" % (ref.index % counter[0])

  def name_scope_name():
    name = "n%d" % ns_counter[0]
    ns_counter[0] += 1
    name_scopes.append(name)
    return name

  def emit(body, indent):
    pad = "  " * indent
    if not body:
      lines.append(pad + "pass")
    for s in body:
      if isinstance(s, VarScope):
        if isinstance(s.name, Ref):
          target = captured_src(s.name)
        else:
          target = repr(s.name)
        args = [target]
        if s.default_name is not None:
          args.append("default_name=%r" % s.default_name)
        if s.reuse is not None:
          args.append("reuse=" + _reuse_src(s.reuse))
        if not s.aux:
          args.append("auxiliary_name_scope=False")
        as_name = capture_name()
        name_scopes.append(as_name + ".original_name_scope")
        lines.append("%swith v1.variable_scope(%s) as %s:" %
                     (pad, ", ".join(args), as_name))
        emit(s.body, indent + 1)
      elif isinstance(s, NameScope):
        if isinstance(s.name, NameRef):
          name = (name_scopes[s.name.index % len(name_scopes)] if name_scopes
                  else "''")
        else:
          name = repr(s.name)
        as_name = name_scope_name()
        if s.api == "v2":
          lines.append("%swith tf.name_scope(%s) as %s:" % (pad, name, as_name))
        elif s.default_name is None:
          lines.append("%swith v1.name_scope(%s) as %s:" % (pad, name, as_name))
        else:
          lines.append("%swith v1.name_scope(%s, default_name=%r) as %s:" %
                       (pad, name, s.default_name, as_name))
        emit(s.body, indent + 1)
      elif isinstance(s, GetVariable):
        lines.append("%sv1.get_variable(%r, [%d])" % (pad, s.name, s.size))
      elif isinstance(s, Variable):
        name = "" if s.name is None else ", name=%r" % s.name
        lines.append("%stf.Variable(%r%s)" % (pad, [0.0] * s.size, name))
      elif isinstance(s, Observe):
        lines.append("%sobserve(v1.get_variable_scope(), "
                     "tf.get_current_name_scope())" % pad)
      elif isinstance(s, Capture):
        lines.append("%s%s = v1.get_variable_scope()" % (pad, capture_name()))
      elif isinstance(s, ObserveCaptured):
        lines.append("%sobserve(%s)" % (pad, captured_src(s.ref)))
      elif isinstance(s, ReuseVariables):
        lines.append("%sv1.get_variable_scope().reuse_variables()" % pad)
      elif isinstance(s, Twice):  # unrolled: each run binds its own s<i>, n<i>
        for run_number in (1, 2):
          lines.append("%s# Twice, run %d:" % (pad, run_number))
          emit(s.body, indent)
      elif isinstance(s, Try):
        lines.append(pad + "try:")
        emit(s.body, indent + 1)
        lines.append(pad + "except Exception as e:")
        lines.append(pad + "  observe(e)  # re-raises 'Variable ... does not exist'")

  emit(program, 0)
  return "\n".join(lines)
