"""``tf.contrib.seq2seq`` (removed in TensorFlow 2.0), on ``tf1scope.layers`` and ``tf1scope.rnn_cell``.

TF1 sequence-to-sequence code (the NMT tutorial, summarization and
dialogue models) decodes with ``tf.contrib.seq2seq``: helpers and
``BasicDecoder`` run by ``dynamic_decode``, ``AttentionWrapper`` with Luong
or Bahdanau attention, ``BeamSearchDecoder`` and ``sequence_loss``. These
are TF1's classes and functions, with TF1's variables (``memory_layer``,
``decoder/attention_wrapper/attention_layer``, ...), numbers and errors,
inside a pass, eagerly and in ``tf.function``, and in a TF1 graph. Through
``import tf1scope.compat.v1 as tf`` they are ``tf.contrib.seq2seq``.

>>> import tensorflow as tf2, tf1scope
>>> import tf1scope.compat.v1 as tf
>>> seq2seq = tf.contrib.seq2seq
>>> class Decoder(tf2.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, memory, targets, lengths):
...     attention = seq2seq.LuongAttention(4, memory)
...     cell = seq2seq.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(4), attention,
...                                     attention_layer_size=4)
...     helper = seq2seq.TrainingHelper(targets, lengths)
...     decoder = seq2seq.BasicDecoder(
...         cell, helper, cell.zero_state(2, tf.float32),
...         output_layer=tf.layers.Dense(7, name="projection"))
...     outputs, _, _ = seq2seq.dynamic_decode(decoder)
...     return outputs.rnn_output
>>> model = Decoder()
>>> model(tf2.ones([2, 5, 3]), tf2.ones([2, 4, 3]), tf2.constant([4, 2])).shape
TensorShape([2, 4, 7])
>>> for name in tf1scope.variables_by_name(model):
...   print(name)
memory_layer/kernel
decoder/attention_wrapper/lstm_cell/kernel
decoder/attention_wrapper/lstm_cell/bias
decoder/attention_wrapper/attention_layer/kernel
decoder/projection/kernel
decoder/projection/bias
"""

from tf1scope.seq2seq.attention_wrapper import AttentionMechanism
from tf1scope.seq2seq.attention_wrapper import AttentionWrapper
from tf1scope.seq2seq.attention_wrapper import AttentionWrapperState
from tf1scope.seq2seq.attention_wrapper import BahdanauAttention
from tf1scope.seq2seq.attention_wrapper import BahdanauMonotonicAttention
from tf1scope.seq2seq.attention_wrapper import LuongAttention
from tf1scope.seq2seq.attention_wrapper import LuongMonotonicAttention
from tf1scope.seq2seq.attention_wrapper import hardmax
from tf1scope.seq2seq.attention_wrapper import monotonic_attention
from tf1scope.seq2seq.attention_wrapper import safe_cumprod
from tf1scope.seq2seq.basic_decoder import BasicDecoder
from tf1scope.seq2seq.basic_decoder import BasicDecoderOutput
from tf1scope.seq2seq.beam_search_decoder import BeamSearchDecoder
from tf1scope.seq2seq.beam_search_decoder import BeamSearchDecoderOutput
from tf1scope.seq2seq.beam_search_decoder import BeamSearchDecoderState
from tf1scope.seq2seq.beam_search_decoder import FinalBeamSearchDecoderOutput
from tf1scope.seq2seq.beam_search_decoder import gather_tree
from tf1scope.seq2seq.beam_search_decoder import tile_batch
from tf1scope.seq2seq.decoder import Decoder
from tf1scope.seq2seq.decoder import dynamic_decode
from tf1scope.seq2seq.helper import CustomHelper
from tf1scope.seq2seq.helper import GreedyEmbeddingHelper
from tf1scope.seq2seq.helper import Helper
from tf1scope.seq2seq.helper import InferenceHelper
from tf1scope.seq2seq.helper import SampleEmbeddingHelper
from tf1scope.seq2seq.helper import ScheduledEmbeddingTrainingHelper
from tf1scope.seq2seq.helper import ScheduledOutputTrainingHelper
from tf1scope.seq2seq.helper import TrainingHelper
from tf1scope.seq2seq.loss import sequence_loss

__all__ = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState",
    "BahdanauAttention", "BahdanauMonotonicAttention", "BasicDecoder",
    "BasicDecoderOutput", "BeamSearchDecoder", "BeamSearchDecoderOutput",
    "BeamSearchDecoderState", "CustomHelper", "Decoder",
    "FinalBeamSearchDecoderOutput", "GreedyEmbeddingHelper", "Helper",
    "InferenceHelper", "LuongAttention", "LuongMonotonicAttention",
    "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper",
    "ScheduledOutputTrainingHelper", "TrainingHelper", "dynamic_decode",
    "gather_tree", "hardmax", "monotonic_attention", "safe_cumprod",
    "sequence_loss", "tile_batch",
]
