"""TF1's ``tf.estimator.RunConfig``, the parts a single-process run uses."""

import tensorflow as tf

_USE_DEFAULT = object()

_BOTH_SAVE_TRIGGERS = (
    "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set.")

# (attribute, test of a value that is not None, TF1's message when it fails)
_CHECKS = (
    ("model_dir", bool, "model_dir should be non-empty"),
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
  attributes, for model functions that read them.

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
               log_step_count_steps=100, **kwargs):
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
    self.__dict__.update(kwargs)
    _check(self)

  def replace(self, **changes):
    """A copy with ``changes``; as TF1, setting one checkpoint trigger clears the other."""
    values = dict(self.__dict__, **changes)
    steps = changes.get("save_checkpoints_steps")
    secs = changes.get("save_checkpoints_secs")
    if "save_checkpoints_steps" in changes and "save_checkpoints_secs" in changes:
      if steps is not None and secs is not None:
        raise ValueError(_BOTH_SAVE_TRIGGERS)
    elif steps is not None:
      values["save_checkpoints_secs"] = None
    elif secs is not None:
      values["save_checkpoints_steps"] = None
    return RunConfig(**values)


def _check(config):
  for name, test, message in _CHECKS:
    value = getattr(config, name)
    if value is not None and not test(value):
      raise ValueError(message)
