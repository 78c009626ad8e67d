"""How much each benchmark measures: one frozen record for ``--quick``, one for the full run.

This module imports nothing heavy, so the smoke test can read the row list
without importing TensorFlow.
"""

import dataclasses
from typing import Tuple


@dataclasses.dataclass(frozen=True)
class Config:
  """Sizes and repeat counts of one benchmark run.

  Timings are medians over ``*_repeats`` interleaved repeats; in each repeat
  every backend runs ``*_number`` calls back to back, in an order that rotates
  from one repeat to the next.
  """

  name: str
  mlp_layers: int = 20
  mlp_width: int = 64
  mlp_batch: int = 32
  conv_batch: int = 8
  conv_size: int = 32
  eager_repeats: int = 21
  eager_number: int = 10
  function_repeats: int = 21
  function_number: int = 100
  first_repeats: int = 7
  # get_variable-heavy pass: N variables, ``block`` per variable_scope.
  var_counts: Tuple[int, ...] = (100, 1_000, 10_000, 100_000)
  var_block: int = 10
  var_budget: int = 5_000        # repeats at N: max(1, min(11, var_budget // N))
  memory_var_counts: Tuple[int, ...] = (100, 1_000, 10_000, 100_000)
  # Memory over many eager calls of the MLP.
  leak_calls: int = 10_000
  leak_warmup: int = 1_000
  leak_window: int = 1_000       # tracemalloc runs over the last 2 windows only

  def var_repeats(self, n):
    return max(1, min(11, self.var_budget // n))


FULL = Config(name="full")

QUICK = Config(
    name="quick",
    eager_repeats=3,
    eager_number=2,
    function_repeats=3,
    function_number=10,
    first_repeats=1,
    var_counts=(100, 1_000),
    var_budget=300,
    memory_var_counts=(100,),
    leak_calls=100,
    leak_warmup=5,
    leak_window=25,
)


def by_name(name):
  return {"full": FULL, "quick": QUICK}[name]


def with_overrides(config, var_counts=None, leak_calls=None):
  """``config`` with the sizes given on the command line (None: unchanged)."""
  changes = {}
  if var_counts:
    changes.update(var_counts=tuple(var_counts),
                   memory_var_counts=tuple(var_counts))
  if leak_calls:
    changes.update(leak_calls=leak_calls,
                   leak_window=min(config.leak_window, leak_calls // 4),
                   leak_warmup=min(config.leak_warmup, leak_calls // 4))
  return dataclasses.replace(config, **changes) if changes else config


def parse_counts(text):
  """``"100,1000,10_000"`` -> (100, 1000, 10000)."""
  return tuple(int(part.replace("_", "")) for part in text.split(",")
               if part.strip()) if text else None
