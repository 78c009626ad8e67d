"""``tf.contrib.training.HParams`` against TF1's own (``make_hparam_fixture.py``).

TensorFlow 1.15's ``hparam.py`` ran every scenario of ``hparam_cases.py``
(``repr`` of each result, or the error's type and message) into
``fixtures/hparam_reference.json``; tf1scope's must give the same record,
scenario by scenario.
"""

import importlib
import json
import os

import pytest

import hparam_cases
import tf1scope.compat.v1 as tf1
from tf1scope.compat import hparam

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                         "hparam_reference.json")

with open(REFERENCE) as _f:
  _WANT = json.load(_f)
_GOT = hparam_cases.record(hparam)


@pytest.mark.parametrize("section", sorted(_WANT))
def test_every_scenario_gives_what_tf1s_hparams_gave(section):
  want, got = _WANT[section], json.loads(json.dumps(_GOT[section]))
  if isinstance(want, dict):
    assert sorted(got) == sorted(want)
    differ = {key: (got[key], want[key]) for key in want if got[key] != want[key]}
    assert not differ, differ
  else:
    assert got == want


def test_the_reference_covers_errors_and_successes():
  # The record must exercise both outcomes in every group of calls.
  for section in ("parse", "parse_random", "set_hparam", "get", "add_hparam"):
    outcomes = _WANT[section]
    outcomes = outcomes.values() if isinstance(outcomes, dict) else outcomes
    kinds = {outcome[0] for outcome in outcomes}
    assert "ok" in kinds and "ValueError" in kinds, (section, kinds)


def test_contrib_training_is_this_hparams():
  assert tf1.contrib.training.HParams is hparam.HParams
  assert tf1.contrib.training.parse_values is hparam.parse_values
  hparams = tf1.contrib.training.HParams(learning_rate=0.1, layers=[2, 3])
  hparams.parse("learning_rate=0.5,layers=[4]")
  assert hparams.values() == {"learning_rate": 0.5, "layers": [4]}


def test_protocol_buffers_are_refused_with_a_clear_error():
  with pytest.raises(NotImplementedError, match="HParamDef protocol buffer"):
    hparam.HParams(hparam_def=object())
  with pytest.raises(NotImplementedError, match="to_json / parse_json"):
    hparam.HParams(a=1).to_proto()
  with pytest.raises(NotImplementedError, match="HParamDef"):
    hparam.HParams.from_proto(object())


def test_contrib_training_names_what_it_lacks():
  with pytest.raises(AttributeError, match="tf.contrib.training.Tuner was "
                     "removed in TensorFlow 2.0 with tf.contrib; tf1scope "
                     "provides HParams, parse_values"):
    tf1.contrib.training.Tuner  # pylint: disable=pointless-statement


def test_contrib_training_helpers_are_tf_slims():
  pytest.importorskip("tf_slim", reason="tf-slim is optional")
  training = importlib.import_module("tf_slim.training.training")
  evaluation = importlib.import_module("tf_slim.training.evaluation")
  assert tf1.contrib.training.create_train_op is training.create_train_op
  assert tf1.contrib.training.checkpoints_iterator is evaluation.checkpoints_iterator
