"""The TF1 layer protocol: one variable scope per layer, variables through get_variable.

A layer of ``tf.compat.v1.layers`` does four things that decide every name:

1. at construction, an explicit ``name`` given to a *function* form
   (``dense(x, 3, name="fc")``) opens ``variable_scope(name)`` and keeps the
   scope object: the name is used as is, never made unique, so a second layer
   with the same name shares (``reuse=True``) or collides (``reuse=None``);
2. at its first call, a layer without a scope opens
   ``variable_scope(None, default_name=<snake-case class name or name>)``,
   which makes ``dense``, ``dense_1``... unique against the current variable
   scope (with ``reuse=True`` it opens ``variable_scope(<name>)`` instead);
3. every call re-enters that captured scope with ``reuse=self._reuse`` (True
   once built), without opening a new name scope, and runs under the scope's
   original name scope (ops are ``dense/MatMul``...);
4. the first call builds the variables with ``get_variable`` inside it.

Inside a pass these TF1 calls are tf1scope's, so the names are TF1 graph
mode's and are the same on every call; in a TF1 graph they are TensorFlow's.
"""

import tensorflow as tf

from tf1scope import _compat
from tf1scope import _state
from tf1scope.layers import input_spec as input_spec_lib
from tf1scope.layers import naming

UPDATE_OPS = tf.compat.v1.GraphKeys.UPDATE_OPS
REGULARIZATION_LOSSES = tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES
_ON_READ = tf.VariableSynchronization.ON_READ


def entry_point(fn):
  """Marks a layer entry point for autograph to call as is.

  Layer code is TF1 graph-building Python with no tensor-dependent Python
  control flow (``training`` tensors go through ``tf.cond``), so converting it
  would only cost tracing time. The mark costs nothing per call (unlike
  ``tf.autograph.experimental.do_not_convert``, which wraps the function in a
  context manager); functions the layer calls are plain Python calls, never
  converted either.
  """
  return _compat.never_convert(fn)


def _context_key():
  """Identifies the current pass (or graph): per-call state is kept per key."""
  frame = _state.STATE.frame
  if frame is not None:
    return ("pass", frame.pass_id)
  return ("graph", id(tf.compat.v1.get_default_graph()))


def static_value(pred):
  """The Python bool of a ``training`` flag, or None when only known at run time."""
  if isinstance(pred, tf.Variable):
    return None
  if tf.is_tensor(pred):
    if tf.executing_eagerly():
      # An eager tensor stands for a value fed at run time (a TF1 placeholder):
      # build both branches' effects, as TF1 does, and let tf.cond pick one.
      return None
    value = tf.get_static_value(pred)
    return None if value is None else bool(value)
  if isinstance(pred, bool) or pred in (0, 1):
    return bool(pred)
  raise TypeError("`pred` must be a Tensor, or a Python bool, or 1 or 0. "
                  f"Received: {pred}")


def smart_cond(pred, true_fn, false_fn):
  """``true_fn()`` or ``false_fn()`` when ``pred`` is static, else ``tf.cond``."""
  value = static_value(pred)
  if value is None:
    return tf.cond(pred, true_fn, false_fn)
  return true_fn() if value else false_fn()


def _combined_regularizer(first, second):
  """Both regularizers' losses summed (TF1 adds them as two collection entries)."""
  def regularizer(variable):
    losses = [loss for loss in (first(variable), second(variable))
              if loss is not None]
    if not losses:
      return None
    return tf.add_n(losses) if len(losses) > 1 else losses[0]
  return regularizer


class Layer:
  """Base class of the TF1 layers (``tf.compat.v1.layers.Layer``).

  Subclasses define ``build(input_shape)`` (creating variables with
  :meth:`add_weight`) and ``call(inputs, ...)``.

  >>> import tensorflow as tf, tf1scope, tf1scope.layers
  >>> class Scale(tf1scope.layers.Layer):
  ...   def build(self, input_shape):
  ...     self.w = self.add_weight("w", [int(input_shape[-1])],
  ...                              initializer=tf.compat.v1.ones_initializer())
  ...   def call(self, inputs):
  ...     return inputs * self.w
  >>> class M(tf.Module):
  ...   @tf1scope.track_tf1_style_variables
  ...   def __call__(self, x):
  ...     return Scale()(x)
  >>> m = M(); _ = m(tf.ones([1, 2]))
  >>> list(tf1scope.variables_by_name(m))
  ['scale/w']
  """

  def __init__(self, trainable=True, name=None, dtype=None,
               activity_regularizer=None, **kwargs):
    scope = kwargs.pop("_scope", None)
    reuse = kwargs.pop("_reuse", None)
    for key in kwargs:
      raise TypeError("Keyword argument not understood:", key)
    self.trainable = trainable
    self.built = False
    self.input_spec = None
    self._reuse = reuse
    self._dtype = tf.as_dtype(dtype) if dtype is not None else None
    self._activity_regularizer = activity_regularizer
    self._trainable_weights = []
    self._non_trainable_weights = []
    self._weight_regularizers = []
    self._callable_losses = []
    self._per_call = (None, None)
    if isinstance(name, tf.compat.v1.VariableScope):
      self._name = naming.unique_object_name(
          naming.snake_case(type(self).__name__))
      self._base_name = name.name
    elif name:
      self._name = self._base_name = name
    else:
      self._base_name = naming.snake_case(type(self).__name__)
      self._name = naming.unique_object_name(self._base_name)
    self._scope = None
    self._current_scope = None
    if scope:
      with tf.compat.v1.variable_scope(scope) as captured:
        self._scope = captured

  # --- Properties -----------------------------------------------------------

  @property
  def name(self):
    return self._name

  @property
  def dtype(self):
    return self._dtype.name if self._dtype is not None else None

  @property
  def scope_name(self):
    if not self._scope:
      raise ValueError(
          'No name available for layer scope because the layer "' +
          self._name + '" has not been used yet. The scope name  is '
          "determined the first time the layer instance is called. You must "
          "therefore call the layer before querying `scope_name`.")
    return self._scope.name

  @property
  def activity_regularizer(self):
    return self._activity_regularizer

  @property
  def trainable_weights(self):
    return list(self._trainable_weights) if self.trainable else []

  @property
  def non_trainable_weights(self):
    if self.trainable:
      return list(self._non_trainable_weights)
    return list(self._trainable_weights) + list(self._non_trainable_weights)

  @property
  def weights(self):
    return self.trainable_weights + self.non_trainable_weights

  trainable_variables = trainable_weights
  non_trainable_variables = non_trainable_weights
  variables = weights

  def _call_state(self):
    """State of this pass's (or graph's) calls: updates, activity losses, seeds."""
    key = _context_key()
    if self._per_call[0] != key:
      self._per_call = (key, {"updates": [], "losses": [],
                              "callable_losses": []})
    return self._per_call[1]

  @property
  def updates(self):
    """The update ops this layer made in the current pass (or graph); none if not trainable.

    As in TF1, a non-trainable layer reports no updates, so its updates are
    not in ``UPDATE_OPS``. (In a pass an update op that TF1 code has built
    has already run, eagerly or in the ``tf.function``: TF1 ran it only when
    asked to.)
    """
    if not self.trainable:
      return []
    return list(self._call_state()["updates"])

  @property
  def losses(self):
    """Weight regularization and ``add_loss`` callables (from current values), and this pass's losses."""
    losses = []
    for variable, regularizer in self._weight_regularizers:
      loss = regularizer(variable)
      if loss is not None:
        losses.append(loss)
    for make_loss in (self._callable_losses +
                      self._call_state()["callable_losses"]):
      loss = make_loss()
      if loss is not None:
        losses.append(tf.convert_to_tensor(loss))
    return losses + list(self._call_state()["losses"])

  def add_loss(self, losses, inputs=None):
    """Adds losses to ``losses`` and to ``REGULARIZATION_LOSSES``, as TF1's layers do.

    A tensor counts for the current pass (or graph). A callable without
    arguments is called again each time ``losses`` is read: for good if it
    was added while the layer was being built, else for the current pass.
    """
    del inputs  # TF1 used it to group losses by input; they are all kept
    state = self._call_state()
    for loss in tf.nest.flatten(losses):
      is_callable = callable(loss)
      if is_callable:
        (state["callable_losses"] if self.built
         else self._callable_losses).append(loss)
        loss = loss()
      if loss is None:
        continue
      loss = tf.convert_to_tensor(loss)
      if not is_callable:
        state["losses"].append(loss)
      tf.compat.v1.add_to_collection(REGULARIZATION_LOSSES, loss)

  def count_params(self):
    """The number of scalars in the layer's weights (the layer must have been called)."""
    if not self.built:
      raise ValueError(
          f"You tried to call `count_params` on {self.name}, but the "
          "layer isn't built. You can build it manually via: "
          f"`{self.name}.build(batch_input_shape)`.")
    return sum(w.shape.num_elements() for w in self.weights)

  # --- Variables ------------------------------------------------------------

  def add_weight(self, name, shape, dtype=None, initializer=None,
                 regularizer=None, trainable=None, constraint=None,
                 partitioner=None, use_resource=None,
                 synchronization=tf.VariableSynchronization.AUTO,
                 aggregation=tf.compat.v1.VariableAggregation.NONE):
    """``tf.compat.v1.get_variable(name, ...)`` in the layer's scope; tracks the result."""
    if synchronization == _ON_READ:
      if trainable:
        raise ValueError(
            "Synchronization value can be set to "
            "VariableSynchronization.ON_READ only for non-trainable variables. "
            "You have specified trainable=True and "
            "synchronization=VariableSynchronization.ON_READ.")
      trainable = False
    elif trainable is None:
      trainable = True
    if dtype:
      dtype = tf.as_dtype(dtype)
    else:
      dtype = self._dtype if self._dtype is not None else tf.float32
    if regularizer is not None:
      scope_regularizer = tf.compat.v1.get_variable_scope().regularizer
      if scope_regularizer is not None:
        regularizer = _combined_regularizer(scope_regularizer, regularizer)
    variable = tf.compat.v1.get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=bool(trainable and self.trainable),
        constraint=constraint, partitioner=partitioner,
        use_resource=use_resource, synchronization=synchronization,
        aggregation=aggregation)
    if regularizer is not None:
      self._weight_regularizers.append((variable, regularizer))
    # TF1 lists a weight as trainable only if the variable it got is in
    # TRAINABLE_VARIABLES (a custom getter may have changed the flag); a
    # PartitionedVariable never is there itself, so its shards are listed as
    # non-trainable.
    if isinstance(variable, _compat.PartitionedVariable):
      parts, target = list(variable), self._non_trainable_weights
    else:
      parts = [variable]
      target = (self._trainable_weights
                if trainable and self.trainable and variable.trainable
                else self._non_trainable_weights)
    for part in parts:
      if all(known is not part for known in target):
        target.append(part)
    return variable

  def add_variable(self, *args, **kwargs):
    """TF1's older name for :meth:`add_weight`."""
    return self.add_weight(*args, **kwargs)

  def build(self, input_shape):
    del input_shape

  def call(self, inputs, **kwargs):
    del kwargs
    return inputs

  def compute_output_shape(self, input_shape):
    """A layer's output shape for ``input_shape``; layers that know it override this."""
    raise NotImplementedError(
        f"{type(self).__name__} does not implement compute_output_shape (as "
        "in TF1 graph mode): give the layer a compute_output_shape method.")

  def add_update(self, update):
    """Records an update op; ``__call__`` adds it to ``UPDATE_OPS``."""
    self._call_state()["updates"].append(update)

  # --- Calling --------------------------------------------------------------

  def _set_scope(self, scope=None):
    if self._scope is not None:
      return
    if self._reuse:
      with tf.compat.v1.variable_scope(
          scope if scope is not None else self._base_name) as captured:
        self._scope = captured
    else:
      with tf.compat.v1.variable_scope(
          scope, default_name=self._base_name) as captured:
        self._scope = captured

  def apply(self, inputs, *args, **kwargs):
    return self(inputs, *args, **kwargs)

  @entry_point
  def __call__(self, inputs, *args, **kwargs):
    naming.require_context(type(self).__name__)
    return self._call_in_context(inputs, args, kwargs)

  def _call_in_context(self, inputs, args, kwargs):
    """``__call__`` once the context is checked (:func:`make_and_call` checks it)."""
    scope_arg = kwargs.pop("scope", None) if kwargs else None
    if self._scope is None:
      self._set_scope(scope_arg)
    updates = self._call_state()["updates"]
    first_update = len(updates)
    reuse = True if self.built else self._reuse
    with tf.compat.v1.variable_scope(
        self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
      self._current_scope = scope
      with tf.name_scope(scope.original_name_scope):
        if not isinstance(inputs, tf.Tensor):
          input_spec_lib.check_count(self.input_spec, inputs, self._name)
          inputs = tf.convert_to_tensor(inputs)
        if self.input_spec is not None:
          input_spec_lib.check(self.input_spec, inputs, self._name)
        if not self.built:
          if self._dtype is None:
            self._dtype = inputs.dtype.base_dtype
          self.build(inputs.shape)
          self.built = True
        outputs = self.call(inputs, *args, **kwargs)
        if self._activity_regularizer is not None:
          self._regularize_activity(outputs)
    if len(updates) > first_update and self.trainable:
      present = {id(u) for u in tf.compat.v1.get_collection(UPDATE_OPS)}
      for update in updates[first_update:]:
        if id(update) not in present:
          tf.compat.v1.add_to_collection(UPDATE_OPS, update)
    return outputs

  def _regularize_activity(self, outputs):
    """``regularizer(output) / batch size`` for each output, through :meth:`add_loss` as in TF1."""
    with tf.name_scope("ActivityRegularizer"):
      for output in tf.nest.flatten(outputs):
        loss = tf.convert_to_tensor(self._activity_regularizer(output))
        batch_size = tf.cast(tf.compat.v1.shape(output)[0], loss.dtype)
        self.add_loss(loss / batch_size)


@entry_point
def make_and_call(cls, api_name, inputs, call_kwargs, **layer_kwargs):
  """What every function form does: check the context, build the layer, call it once."""
  naming.require_context(api_name)
  return cls(**layer_kwargs)._call_in_context(inputs, (), call_kwargs)
