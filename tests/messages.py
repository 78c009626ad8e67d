"""How tests compare error messages: their first sentence (plain Python, no TensorFlow)."""

import re


def first_sentence(message):
  """The message up to its first sentence end (or its first line)."""
  message = str(message).strip().split("\n")[0]
  match = re.search(r"[.?!](\s|$)", message)
  return message[:match.start() + 1] if match else message
