"""tf1scope.crf against TF1's own ``tf.contrib.crf`` (stored) and TF1 graph mode (live).

Each case of ``crf_cases.NUMERIC_CASES`` was run in TF1 graph mode by
TensorFlow 1.15's ``crf.py`` (``make_crf_fixture.py``); here it runs with
``tf1scope.crf`` in a pass, eagerly and in ``tf.function``, with TF1's
weights copied in: outputs, gradients and variables must be TF1's. The name
programs build TF1's variables (or raise TF1's error) in a TF1 graph and in
a pass, and ``viterbi_decode`` gives TF1's tags and scores.
"""

import numpy as np
import pytest
import tensorflow as tf

import crf_cases
import oracle
import tf1scope
import tf1scope.compat.v1 as tf1
from layers_fixture import Reference
from layers_fixture import assert_matches_tf1
from tf1scope import crf

CRF = Reference("crf_reference", crf_cases, crf)
PROGRAMS = crf_cases.NAME_PROGRAMS


@pytest.mark.parametrize("mode", ("eager", "function"))
@pytest.mark.parametrize("name", sorted(CRF.cases))
def test_case_matches_tf1(name, mode):
  assert_matches_tf1(CRF, name, mode)


def test_every_case_and_program_has_a_tf1_reference():
  assert sorted(CRF.cases) == sorted(CRF.meta["cases"])
  assert sorted(PROGRAMS) == sorted(CRF.meta["programs"])
  with open(crf_cases.__file__) as f:
    source = f.read()
  cells = {"CrfForwardRnnCell", "CrfDecodeForwardRnnCell",
           "CrfDecodeBackwardRnnCell", "viterbi_decode"}   # used through the others
  missing = {n for n in crf.__all__ if f"C.{n}(" not in source} - cells
  assert not missing, f"no case uses {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_mode_builds_what_tf1s_crf_built(name):
  CRF.assert_program_matches(name, _program(name))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_pass_builds_what_graph_mode_built(name):
  oracle.assert_matches_graph(_program(name), modes=("eager", "function"),
                              with_values=False)


def _program(name):
  fn = PROGRAMS[name]
  return lambda: crf_cases.describe(fn, crf)


def test_viterbi_decode_gives_tf1s_tags_and_scores():
  for (scores, transitions), (tags, score) in zip(crf_cases.VITERBI,
                                                  CRF.meta["viterbi"]):
    got_tags, got_score = crf.viterbi_decode(scores, transitions)
    assert [int(t) for t in got_tags] == tags
    np.testing.assert_allclose(float(got_score), score, rtol=1e-6)


class _BiLstmCrf(tf.Module):
  """A BiLSTM-CRF tagger as TF1 NER code wrote it."""

  @tf1scope.track_tf1_style_variables
  def __call__(self, x, tags, lengths):
    (fw, bw), _ = tf1.nn.bidirectional_dynamic_rnn(
        tf1.nn.rnn_cell.LSTMCell(8), tf1.nn.rnn_cell.LSTMCell(8), x,
        sequence_length=lengths, dtype=tf1.float32)
    scores = tf1.layers.dense(tf1.concat([fw, bw], -1), 3)
    log_likelihood, transitions = tf1.contrib.crf.crf_log_likelihood(
        scores, tags, lengths)
    decoded, _ = tf1.contrib.crf.crf_decode(scores, transitions, lengths)
    return -tf1.reduce_mean(log_likelihood), decoded


def test_a_bilstm_crf_trains_with_a_tf2_optimizer_in_tf_function():
  tf.random.set_seed(0)   # the initial values, so the run is the same every time
  rng = np.random.default_rng(0)
  x = rng.normal(size=(32, 7, 2)).astype("float32")
  tags = (x[:, :, 0] > 0).astype("int32") + (x[:, :, 1] > 1).astype("int32")
  lengths = rng.integers(3, 8, size=32).astype("int32")
  model = _BiLstmCrf()
  optimizer = tf.keras.optimizers.Adam(0.05)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      loss, decoded = model(x, tags, lengths)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, decoded

  losses = []
  for _ in range(60):
    loss, decoded = step()
    losses.append(float(loss))
  assert losses[-1] < 0.3 * losses[0], losses[::10]
  mask = np.arange(7)[None, :] < lengths[:, None]
  accuracy = np.mean((decoded.numpy() == tags)[mask])
  assert accuracy > 0.9, accuracy
  assert "transitions" in tf1scope.variables_by_name(model)
