"""``tf.contrib.seq2seq.BasicDecoder``: an RNN cell, a helper and an optional output layer."""

import collections

import tensorflow as tf

from tf1scope import _compat
from tf1scope.layers import base as layers_base
from tf1scope.seq2seq import decoder
from tf1scope.seq2seq import helper as helper_lib


class BasicDecoderOutput(
    collections.namedtuple("BasicDecoderOutput", ("rnn_output", "sample_id"))):
  pass


def check_output_layer(output_layer):
  if output_layer is not None and not isinstance(output_layer,
                                                 layers_base.Layer):
    raise TypeError("output_layer must be a Layer, received: %s" %
                    type(output_layer))


def rnn_output_size(cell, output_layer):
  """The size of one step's output: the cell's, or what ``output_layer`` makes of it."""
  size = cell.output_size
  if output_layer is None:
    return size
  shapes = tf.nest.map_structure(
      lambda s: tf.TensorShape([None]).concatenate(s), size)
  layer_shapes = output_layer.compute_output_shape(shapes)
  return tf.nest.map_structure(lambda s: s[1:], layer_shapes)


class BasicDecoder(decoder.Decoder):
  """TF1's ``BasicDecoder``: each step calls ``cell``, then ``output_layer``, then the helper.

  Run it with :func:`tf1scope.seq2seq.dynamic_decode`; its outputs are
  ``BasicDecoderOutput(rnn_output, sample_id)``.
  """

  def __init__(self, cell, helper, initial_state, output_layer=None):
    _compat.assert_like_rnncell("cell", cell)
    if not isinstance(helper, helper_lib.Helper):
      raise TypeError("helper must be a Helper, received: %s" % type(helper))
    check_output_layer(output_layer)
    self._cell = cell
    self._helper = helper
    self._initial_state = initial_state
    self._output_layer = output_layer

  @property
  def batch_size(self):
    return self._helper.batch_size

  @property
  def output_size(self):
    return BasicDecoderOutput(
        rnn_output=rnn_output_size(self._cell, self._output_layer),
        sample_id=self._helper.sample_ids_shape)

  @property
  def output_dtype(self):
    dtype = tf.nest.flatten(self._initial_state)[0].dtype
    return BasicDecoderOutput(
        tf.nest.map_structure(
            lambda _: dtype, rnn_output_size(self._cell, self._output_layer)),
        self._helper.sample_ids_dtype)

  def initialize(self, name=None):
    return self._helper.initialize() + (self._initial_state,)

  def step(self, time, inputs, state, name=None):
    with tf.compat.v1.name_scope(name, "BasicDecoderStep",
                                 (time, inputs, state)):
      cell_outputs, cell_state = self._cell(inputs, state)
      if self._output_layer is not None:
        cell_outputs = self._output_layer(cell_outputs)
      sample_ids = self._helper.sample(time=time, outputs=cell_outputs,
                                       state=cell_state)
      finished, next_inputs, next_state = self._helper.next_inputs(
          time=time, outputs=cell_outputs, state=cell_state,
          sample_ids=sample_ids)
    outputs = BasicDecoderOutput(cell_outputs, sample_ids)
    return outputs, next_state, next_inputs, finished
