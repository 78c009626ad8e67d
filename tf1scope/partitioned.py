"""Partitioned variables (``get_variable(..., partitioner=...)``)."""


def find_partitioned(frame, name):
  """The partitioned variable stored under ``name``, or None."""
  del frame, name
  return None


def get_partitioned_variable(frame, opts):
  del frame
  raise NotImplementedError(
      f"get_variable('{opts.name}') was given a partitioner; partitioned "
      "variables are not supported yet. Remove the partitioner to create one "
      "unpartitioned variable.")
