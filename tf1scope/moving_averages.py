"""TF1 moving averages in a pass: averages of tensors, and zero-debiased averages.

``tf.compat.v1.train.ExponentialMovingAverage`` and TensorFlow's
``assign_moving_average`` work in a pass as in TF1 graph mode, with two
repairs (the hooks are in ``tf1scope._compat``):

* ``ExponentialMovingAverage.apply`` accepts tensors while a pass traces a
  ``tf.function``, as TF1 graph mode does: the average of a tensor is a
  non-trainable variable named ``<the tensor's op name>/<the EMA's name>``,
  zero-initialized. Eagerly TensorFlow's own ``TypeError`` stands: an eager
  tensor has no op name to name the variable after.
* The zero-debias step of ``assign_moving_average(var, value, decay,
  zero_debias=True)`` (also what ``apply`` uses for a tensor when the EMA was
  made with ``zero_debias=True``) is :func:`zero_debias` below in a pass. It
  makes TF1's two helper variables, ``<var>/biased`` and ``<var>/local_step``
  (``biased_1``... when the names are taken in the pass), through
  ``get_variable``, so that they belong to the owner and later passes reuse
  them, and updates them as TF1 does.

>>> import tensorflow as tf, tf1scope
>>> v1 = tf.compat.v1
>>> class Losses(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, loss):
...     total_loss = tf.identity(loss, name="total_loss")
...     averages = v1.train.ExponentialMovingAverage(0.9, name="avg",
...                                                  zero_debias=True)
...     averages.apply([total_loss])
...     return averages.average(total_loss).read_value()
>>> losses = Losses()
>>> step = tf.function(losses.__call__)
>>> [round(float(step(tf.constant(x))), 4) for x in (2.0, 4.0)]
[2.0, 3.0526]
>>> list(tf1scope.variables_by_name(losses))
['total_loss/avg', 'total_loss/avg/biased', 'total_loss/avg/local_step']
"""

import tensorflow as tf

from tf1scope import _compat

v1 = tf.compat.v1


def _unused_name(scope, name):
  """``name``, or ``name_<i>`` with the least ``i >= 1`` no global variable of ``scope`` has.

  TF1's rule (by op name) with variable names: a reusing scope always takes
  ``name``; the candidates are checked against the scope's global variables
  in this pass.
  """
  if scope.reuse:
    return name
  taken = {v.name.rsplit(":", 1)[0] for v in scope.global_variables()}
  full = scope.name + "/" + name
  if full not in taken:
    return name
  i = 1
  while f"{full}_{i}" in taken:
    i += 1
  return f"{name}_{i}"


def zero_debias(strategy, unbiased_var, value, one_minus_decay):
  """The zero-debiased update of ``unbiased_var`` towards ``value``, as TF1 builds it.

  ``biased`` keeps the plain moving average (zero-initialized) and
  ``local_step`` the number of updates ``t``; the update sets
  ``unbiased_var`` to ``biased / (1 - decay ** t)`` and returns it.
  """
  # TF1 names the helper scope after the variable, without its ":0".
  with v1.variable_scope(unbiased_var.name[:-2],
                         values=[unbiased_var, value, one_minus_decay]):
    scope = v1.get_variable_scope()
    with strategy.extended.colocate_vars_with(unbiased_var):
      biased = v1.get_variable(
          _unused_name(scope, "biased"), shape=unbiased_var.shape,
          dtype=unbiased_var.dtype, initializer=v1.zeros_initializer(),
          trainable=False)
      local_step = v1.get_variable(
          _unused_name(scope, "local_step"), shape=[],
          dtype=unbiased_var.dtype, initializer=v1.zeros_initializer(),
          trainable=False)

  def update(var, value, biased, local_step):
    new_biased = biased.assign_sub((biased - value) * one_minus_decay)
    steps = local_step.assign_add(1)
    debiased = new_biased / (1 - tf.pow(1.0 - one_minus_decay, steps))
    # The op takes the name of the enclosing name scope (AssignMovingAvg).
    scope_name = tf.get_current_name_scope()
    return var.assign(debiased, name=scope_name + "/" if scope_name else None)

  return _compat.update_in_cross_replica_context(
      strategy, unbiased_var, update, (value, biased, local_step))



def variables_to_restore(ema, moving_avg_variables=None):
  """``ema.variables_to_restore()`` in a pass: TF1's name map, built without hashing variables.

  TF1's maps each averaged variable (by default the trainable ones and the
  ``MOVING_AVERAGE_VARIABLES`` collection) to the name of its average, and
  every other global variable to its own name, for a ``Saver`` that loads
  averages into the model (TF1 evaluation scripts). TensorFlow's version puts
  the global variables in a ``set``, which TF2 variables refuse in a
  ``tf.function``.
  """
  if moving_avg_variables is None:
    moving_avg_variables = (v1.trainable_variables() +
                            v1.moving_average_variables())
  averaged = {}
  for variable in moving_avg_variables:
    averaged.setdefault(variable.ref(), variable)
  name_map = {ema.average_name(v): v for v in averaged.values()}
  names = {v.name for v in averaged.values()}
  for variable in v1.global_variables():
    node = variable.name.rpartition(":")[0]   # its graph node, TF1's op.name
    if variable.name not in names and node not in name_map:
      name_map[node] = variable
  return name_map
