"""The examples in tf1scope's docstrings run as shown (every module of the package)."""

import doctest
import importlib
import importlib.util
import inspect
import pkgutil

import pytest

import tf1scope

# tf1scope.keras_layer imports Keras 3, whose examples run as the others do.
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(tf1scope.__path__, "tf1scope."))


def _docstrings(module):
  """(name, object) for the module and everything defined in it with a docstring."""
  yield module.__name__, module
  seen = set()
  for name, value in sorted(vars(module).items()):
    target = inspect.unwrap(value) if callable(value) else value
    if getattr(target, "__module__", None) != module.__name__ or (
        id(target) in seen or name != getattr(target, "__name__", name)):
      continue  # not defined here, or an alias
    seen.add(id(target))
    if inspect.isclass(target):
      yield f"{module.__name__}.{name}", target
      for attr, member in sorted(vars(target).items()):
        member = inspect.unwrap(member) if callable(member) else member
        if inspect.isfunction(member):
          yield f"{module.__name__}.{name}.{attr}", member
    elif inspect.isfunction(target):
      yield f"{module.__name__}.{name}", target


# Modules for optional packages: their examples run when the package is there.
OPTIONAL = {"tf1scope.compat.slim": "tf_slim",
            "tf1scope.compat.contrib": "tf_slim"}


def _importable(module_name):
  needs = OPTIONAL.get(module_name)
  return needs is None or importlib.util.find_spec(needs) is not None


def _examples():
  parser = doctest.DocTestParser()
  for module_name in MODULES:
    if not _importable(module_name):
      continue
    module = importlib.import_module(module_name)
    for name, obj in _docstrings(module):
      test = parser.get_doctest(obj.__doc__ or "", dict(vars(module)), name,
                                module_name, 0)
      if test.examples:
        yield pytest.param(test, id=name)


@pytest.mark.parametrize("test", list(_examples()))
def test_docstring_example(test):
  runner = doctest.DocTestRunner(
      optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
  runner.run(test)
  result = runner.summarize(verbose=False)
  assert result.failed == 0, f"{result.failed} failing example(s) in {test.name}"
