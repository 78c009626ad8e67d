"""One record for the arguments of ``get_variable``, passed along instead of 15 parameters."""

import dataclasses
from typing import Any, Callable, Optional

import tensorflow as tf

@dataclasses.dataclass(slots=True)
class VariableOptions:
  """What one ``get_variable`` call asks for, after scope defaults are applied.

  Read-only by convention: change a field with :meth:`replace`, which returns
  a new record. (Not ``frozen``: a frozen dataclass sets its 15 fields through
  ``object.__setattr__``, and one record is built per ``get_variable`` call
  that creates a variable.)

  >>> opts = VariableOptions(name="dense/kernel", shape=(3, 4))
  >>> opts.replace(name="dense/bias").name
  'dense/bias'
  """

  name: str
  shape: Any = None
  dtype: Any = tf.float32
  initializer: Any = None
  regularizer: Optional[Callable] = None
  reuse: Any = None
  trainable: Optional[bool] = None
  collections: Any = None
  caching_device: Any = None
  partitioner: Optional[Callable] = None
  validate_shape: bool = True
  use_resource: Any = None
  constraint: Optional[Callable] = None
  synchronization: Any = tf.VariableSynchronization.AUTO
  aggregation: Any = tf.compat.v1.VariableAggregation.NONE

  def replace(self, **changes):
    return dataclasses.replace(self, **changes)

  def as_kwargs(self):
    """The record as keyword arguments of a TF1 getter (``name`` included)."""
    return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
