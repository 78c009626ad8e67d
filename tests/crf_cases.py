"""tf.contrib.crf programs run twice: by TensorFlow 1.15's own ``crf.py`` and by ``tf1scope.crf``.

``make_crf_fixture.py`` runs every case in TF1 graph mode with TF 1.15's
``tf.contrib.crf`` (its Python, from the TF 1.15 wheel) and stores what TF1
gives; ``test_crf.py`` runs the same functions with ``tf1scope.crf``
(passed in as ``C``) and compares.
"""

import numpy as np
import tensorflow as tf

from layer_cases import Input
from layer_cases import case_registry
from layer_cases import program_registry
from layer_cases import describe  # noqa: F401  (used by the fixture writer)
from layer_cases import flat_outputs  # noqa: F401
from layer_cases import input_values  # noqa: F401
from layer_cases import weight_values  # noqa: F401

v1 = tf.compat.v1

NUMERIC_CASES, case = case_registry()
NAME_PROGRAMS, SYMBOLIC_ONLY, program = program_registry()

SCORES = (3, 5, 4)   # batch, steps, tags
TAGS = Input((3, 5), "int32", value=((0, 1, 2, 3, 0), (3, 3, 1, 0, 2),
                                     (2, 0, 0, 0, 0)))
LENGTHS = Input((3,), "int32", value=(5, 3, 1))
EMPTY_LENGTHS = Input((3,), "int32", value=(5, 0, 2))


def _likelihood(C, scores, tags, lengths):
  log_likelihood, transitions = C.crf_log_likelihood(scores, tags, lengths)
  decoded, best = C.crf_decode(scores, transitions, lengths)
  return {"log_likelihood": log_likelihood, "decoded": decoded, "best": best}


case("log_likelihood_and_decode", [SCORES, TAGS, LENGTHS], _likelihood)
case("log_likelihood_and_decode_empty_sequence",
     [SCORES, TAGS, EMPTY_LENGTHS], _likelihood)


def _given_transitions(C, scores, tags, lengths, transitions):
  log_likelihood, _ = C.crf_log_likelihood(scores, tags, lengths,
                                           transition_params=transitions)
  return {"log_likelihood": log_likelihood,
          "sequence": C.crf_sequence_score(scores, tags, lengths, transitions),
          "norm": C.crf_log_norm(scores, lengths, transitions),
          "unary": C.crf_unary_score(tags, lengths, scores),
          "binary": C.crf_binary_score(tags, lengths, transitions)}


case("scores_with_given_transitions", [SCORES, TAGS, LENGTHS, (4, 4)],
     _given_transitions)


def _int64_tags(C, scores, tags, lengths):
  with v1.variable_scope("crf"):
    log_likelihood, _ = C.crf_log_likelihood(scores, tf.cast(tags, tf.int64),
                                             lengths)
  return {"log_likelihood": log_likelihood}


case("log_likelihood_int64_tags_in_a_scope", [SCORES, TAGS, LENGTHS],
     _int64_tags)


def _one_step(C, scores, tags, lengths, transitions):
  decoded, best = C.crf_decode(scores, transitions, lengths)
  log_likelihood, _ = C.crf_log_likelihood(scores, tags, lengths, transitions)
  return {"decoded": decoded, "best": best, "log_likelihood": log_likelihood,
          "norm": C.crf_log_norm(scores, lengths, transitions)}


case("one_step_sequences", [(3, 1, 4), Input((3, 1), "int32",
                                             value=((1,), (3,), (0,))),
                            Input((3,), "int32", value=(1, 1, 0)), (4, 4)],
     _one_step)


def _multitag(C, scores, lengths, transitions):
  bitmap = tf.constant(np.arange(60).reshape(3, 5, 4) % 3 != 0)
  return {"score": C.crf_multitag_sequence_score(scores, bitmap, lengths,
                                                 transitions),
          "one_step": C.crf_multitag_sequence_score(
              scores[:, :1], bitmap[:, :1], lengths, transitions)}


case("multitag_sequence_score", [SCORES, LENGTHS, (4, 4)], _multitag)

# viterbi_decode is NumPy: (scores, transitions) pairs, seeded.
_rng = np.random.RandomState(7)
VITERBI = [(_rng.normal(size=(steps, 4)).astype("float32"),
            _rng.normal(size=(4, 4)).astype("float32"))
           for steps in (1, 2, 6, 9)]


@program
def names_two_likelihoods(C):
  scores = tf.ones(SCORES)
  tags = tf.zeros([3, 5], tf.int32)
  with v1.variable_scope("ner"):
    C.crf_log_likelihood(scores, tags, tf.constant([5, 3, 1]))
  with v1.variable_scope("pos"):
    C.crf_log_likelihood(scores, tags, tf.constant([5, 3, 1]))


@program
def error_two_likelihoods_in_one_scope(C):
  scores = tf.ones(SCORES)
  tags = tf.zeros([3, 5], tf.int32)
  C.crf_log_likelihood(scores, tags, tf.constant([5, 3, 1]))
  C.crf_log_likelihood(scores, tags, tf.constant([5, 3, 1]))
