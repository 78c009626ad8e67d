"""Drop-in TF1 API modules: ``import tf1scope.compat.v1 as tf``."""
