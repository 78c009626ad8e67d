"""TF1's ``tf.estimator.RunConfig``, the parts a single-process run uses."""

import copy

import tensorflow as tf

_USE_DEFAULT = object()

_BOTH_SAVE_TRIGGERS = (
    "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set.")

# (attribute, test of a value that is not None, TF1's message when it fails)
_CHECKS = (
    ("model_dir", bool, "model_dir should be non-empty."),
    ("save_summary_steps", lambda n: n >= 0, "save_summary_steps should be >= 0"),
    ("save_checkpoints_steps", lambda n: n >= 0,
     "save_checkpoints_steps should be >= 0"),
    ("save_checkpoints_secs", lambda n: n >= 0,
     "save_checkpoints_secs should be >= 0"),
    ("session_config", lambda c: isinstance(c, tf.compat.v1.ConfigProto),
     "session_config must be instance of ConfigProto"),
    ("keep_checkpoint_max", lambda n: n >= 0, "keep_checkpoint_max should be >= 0"),
    ("keep_checkpoint_every_n_hours", lambda n: n > 0,
     "keep_checkpoint_every_n_hours should be > 0"),
    ("log_step_count_steps", lambda n: n > 0, "log_step_count_steps should be > 0"),
    ("tf_random_seed", lambda s: isinstance(s, int), "tf_random_seed must be integer."),
)


class RunConfig:
  """The parts of TF1's ``tf.estimator.RunConfig`` a single-process run uses.

  The arguments are TF1's, in TF1's order, with TF1's checks. ``model_dir``
  and ``tf_random_seed`` take effect (the seed is the graph-level seed of
  every pass, as ``tf.compat.v1.set_random_seed``). ``train`` writes a
  checkpoint every ``save_checkpoints_steps`` steps or
  ``save_checkpoints_secs`` seconds (TF1's default when neither is given:
  every 600 seconds; both None: no checkpoints), keeping
  ``keep_checkpoint_max``; it writes the summaries every
  ``save_summary_steps`` steps, and logs loss, step and steps per second
  every ``log_step_count_steps`` steps. The other arguments are kept as
  attributes, for model functions that read them; an ``Estimator`` made
  with ``train_distribute``, ``eval_distribute``, ``experimental_distribute``
  or ``device_fn`` set raises ``NotImplementedError`` (TF1 would have
  distributed the run; running it on one device instead would change it).
  Unknown arguments raise TF1's ``TypeError``, and ``replace`` TF1's
  ``ValueError`` for a property it does not allow.

  >>> RunConfig().save_checkpoints_secs, RunConfig().save_checkpoints_steps
  (600, None)
  >>> RunConfig(save_checkpoints_steps=10).save_checkpoints_secs is None
  True
  """

  # A single local process, as TF1's RunConfig reported it without TF_CONFIG.
  num_ps_replicas = 0
  num_worker_replicas = 1
  is_chief = True
  master = ""
  task_type = "worker"
  task_id = 0

  def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
               save_checkpoints_steps=_USE_DEFAULT,
               save_checkpoints_secs=_USE_DEFAULT, session_config=None,
               keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000,
               log_step_count_steps=100, train_distribute=None, device_fn=None,
               protocol=None, eval_distribute=None,
               experimental_distribute=None,
               experimental_max_worker_delay_secs=None,
               session_creation_timeout_secs=7200,
               checkpoint_save_graph_def=True):
    if (save_checkpoints_steps is _USE_DEFAULT and
        save_checkpoints_secs is _USE_DEFAULT):
      save_checkpoints_steps, save_checkpoints_secs = None, 600
    elif save_checkpoints_secs is _USE_DEFAULT:
      save_checkpoints_secs = None
    elif save_checkpoints_steps is _USE_DEFAULT:
      save_checkpoints_steps = None
    elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
      raise ValueError(_BOTH_SAVE_TRIGGERS)
    self.model_dir = model_dir
    self.tf_random_seed = tf_random_seed
    self.save_summary_steps = save_summary_steps
    self.save_checkpoints_steps = save_checkpoints_steps
    self.save_checkpoints_secs = save_checkpoints_secs
    self.session_config = session_config
    self.keep_checkpoint_max = keep_checkpoint_max
    self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
    self.log_step_count_steps = log_step_count_steps
    self.train_distribute = train_distribute
    self.device_fn = device_fn
    self.protocol = protocol
    self.eval_distribute = eval_distribute
    self.experimental_distribute = experimental_distribute
    self.experimental_max_worker_delay_secs = experimental_max_worker_delay_secs
    self.session_creation_timeout_secs = session_creation_timeout_secs
    self.checkpoint_save_graph_def = checkpoint_save_graph_def
    _check(self)

  # What replace() may change, in TF1's order (TF1's message lists them).
  _REPLACEABLE = (
      "model_dir", "tf_random_seed", "save_summary_steps",
      "save_checkpoints_steps", "save_checkpoints_secs", "session_config",
      "keep_checkpoint_max", "keep_checkpoint_every_n_hours",
      "log_step_count_steps", "train_distribute", "device_fn", "protocol",
      "eval_distribute", "experimental_distribute",
      "experimental_max_worker_delay_secs", "session_creation_timeout_secs",
      "checkpoint_save_graph_def")

  def replace(self, **changes):
    """A copy with ``changes``; as TF1, setting one checkpoint trigger clears the other."""
    allowed = type(self)._REPLACEABLE
    for key in changes:
      if key not in allowed:
        raise ValueError(
            f"Replacing {key} is not supported. Allowed properties are "
            f"{list(RunConfig._REPLACEABLE)}.")
    steps = changes.get("save_checkpoints_steps")
    secs = changes.get("save_checkpoints_secs")
    if "save_checkpoints_steps" in changes and "save_checkpoints_secs" in changes:
      if steps is not None and secs is not None:
        raise ValueError(_BOTH_SAVE_TRIGGERS)
    elif steps is not None:
      changes["save_checkpoints_secs"] = None
    elif secs is not None:
      changes["save_checkpoints_steps"] = None
    replaced = copy.copy(self)
    replaced.__dict__.update(changes)
    _check(replaced)
    return replaced


# The RunConfig arguments that ask for more than one process or device.
_DISTRIBUTION_ARGUMENTS = ("train_distribute", "eval_distribute",
                           "experimental_distribute", "device_fn")


def _shown(name, value):
  return repr(value) if name == "device_fn" else type(value).__name__ + "(...)"


def check_single_process(config):
  """Raises if ``config`` asks for distribution, which tf1scope's Estimator does not do.

  TF1 would have trained on the strategy's devices; running on one device
  instead would change the batch each step sees and the checkpoints' shape
  of training, so it is refused rather than ignored.
  """
  for name in _DISTRIBUTION_ARGUMENTS:
    value = getattr(config, name)
    if value is not None:
      raise NotImplementedError(
          f"RunConfig({name}={_shown(name, value)}) "
          "is not supported: tf1scope's Estimator runs in one process on the "
          f"default devices. Leave {name} unset, or run the model "
          "function's TF1 code in a tf.Module method decorated with "
          "@tf1scope.track_tf1_style_variables, called in strategy.run.")


def _check(config):
  for name, test, message in _CHECKS:
    value = getattr(config, name)
    if value is not None and not test(value):
      raise ValueError(message)
