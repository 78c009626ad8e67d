"""TF1's ``tf.estimator.RunConfig``, the parts a single-process run uses."""


class RunConfig:
  """The parts of TF1's ``tf.estimator.RunConfig`` a single-process run uses.

  ``model_dir`` and ``tf_random_seed`` take effect (the seed is the
  graph-level seed of every pass, as ``tf.compat.v1.set_random_seed``);
  ``save_checkpoints_steps`` writes a checkpoint every so many steps of
  ``train``, ``save_summary_steps`` writes the summaries that often and
  ``log_step_count_steps`` logs the loss and step that often (TF1's
  LoggingTensorHook); the other arguments are kept as attributes,
  for model functions that read them.
  """

  def __init__(self, model_dir=None, tf_random_seed=None,
               save_checkpoints_steps=None, keep_checkpoint_max=5,
               log_step_count_steps=100, save_summary_steps=100, **kwargs):
    if save_checkpoints_steps is not None and save_checkpoints_steps <= 0:
      raise ValueError(
          f"save_checkpoints_steps must be > 0, given: {save_checkpoints_steps}")
    self.model_dir = model_dir
    self.tf_random_seed = tf_random_seed
    self.save_checkpoints_steps = save_checkpoints_steps
    self.keep_checkpoint_max = keep_checkpoint_max
    self.log_step_count_steps = log_step_count_steps
    self.save_summary_steps = save_summary_steps
    self.__dict__.update(kwargs)

  def replace(self, **changes):
    return RunConfig(**{**self.__dict__, **changes})
