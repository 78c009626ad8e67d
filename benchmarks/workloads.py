"""The workloads: TF1-style code, and the native TF2 modules that are its floor.

The TF1 bodies are plain TF1 code (``tf.compat.v1.get_variable`` in
``variable_scope``\\ s); a backend runs them under its decorator. The native
modules compute the same ops with variables created once, the TF2 way.
Initializers are module constants so that neither side pays for building them.
"""

import functools

import tensorflow as tf

GLOROT = tf.compat.v1.glorot_uniform_initializer()
ZEROS = tf.compat.v1.zeros_initializer()

# conv net: (scope name, filters, stride) of 3x3 "SAME" convolutions, then a
# global average pool and a 10-way dense layer.
CONV_SPECS = (("conv1", 16, 1), ("conv2", 32, 2), ("conv3", 64, 2))
IMAGE_CHANNELS = 3
CLASSES = 10

_VAR_NAMES = tuple("v%d" % i for i in range(1000))

# --- TF1-style bodies ------------------------------------------------------------


def mlp_tf1(x, layers, width):
  """``layers`` dense+relu layers, each in its own variable_scope."""
  for i in range(layers):
    with tf.compat.v1.variable_scope("layer_%d" % i):
      kernel = tf.compat.v1.get_variable("kernel", [width, width],
                                         initializer=GLOROT)
      bias = tf.compat.v1.get_variable("bias", [width], initializer=ZEROS)
    x = tf.nn.relu(tf.matmul(x, kernel) + bias)
  return x


def convnet_tf1(images):
  """A small conv net with ``get_variable`` and ``tf.nn.conv2d``."""
  x = images
  channels = IMAGE_CHANNELS
  for name, filters, stride in CONV_SPECS:
    with tf.compat.v1.variable_scope(name):
      kernel = tf.compat.v1.get_variable("kernel", [3, 3, channels, filters],
                                         initializer=GLOROT)
      bias = tf.compat.v1.get_variable("bias", [filters], initializer=ZEROS)
    x = tf.nn.relu(tf.nn.bias_add(
        tf.nn.conv2d(x, kernel, strides=stride, padding="SAME"), bias))
    channels = filters
  x = tf.reduce_mean(x, axis=[1, 2])
  with tf.compat.v1.variable_scope("logits"):
    kernel = tf.compat.v1.get_variable("kernel", [channels, CLASSES],
                                       initializer=GLOROT)
    bias = tf.compat.v1.get_variable("bias", [CLASSES], initializer=ZEROS)
  return tf.matmul(x, kernel) + bias


def convnet_layers(images, layers):
  """The same conv net with a ``tf.compat.v1.layers``-style module ``layers``."""
  x = images
  for name, filters, stride in CONV_SPECS:
    x = layers.conv2d(x, filters, 3, strides=stride, padding="same",
                      activation=tf.nn.relu, name=name,
                      kernel_initializer=GLOROT, bias_initializer=ZEROS)
  x = tf.reduce_mean(x, axis=[1, 2])
  return layers.dense(x, CLASSES, name="logits", kernel_initializer=GLOROT,
                      bias_initializer=ZEROS)


def many_variables_tf1(n, block):
  """``n`` get_variable calls, ``block`` per variable_scope."""
  names = _VAR_NAMES[:block]
  for b in range(n // block):
    with tf.compat.v1.variable_scope("block_%d" % b):
      for name in names:
        tf.compat.v1.get_variable(name, [4], initializer=ZEROS)


def tf1_style_class(decorator, body):
  """A ``tf.Module`` whose ``__call__`` runs ``body`` under ``decorator``."""

  class TF1Style(tf.Module):

    def __init__(self, **config):
      super().__init__()
      self._body = functools.partial(body, **config)

    @decorator
    def __call__(self, *args):
      return self._body(*args)

  TF1Style.__name__ = TF1Style.__qualname__ = "TF1Style_" + body.__name__
  return TF1Style


# --- Native TF2 modules (the floor) -------------------------------------------------
#
# Each native ``__call__`` calls a module-level body function, as the TF1-style
# modules call theirs: both sides then have the same Python frames on the stack
# (TensorFlow records the stack for every eager op, at a cost per frame) and
# autograph converts the same number of functions on a first traced call.


def mlp_native(x, params):
  """The forward pass of :class:`NativeMLP`."""
  for kernel, bias in params:
    x = tf.nn.relu(tf.matmul(x, kernel) + bias)
  return x


def convnet_native(images, convs, logits):
  """The forward pass of :class:`NativeConvNet`."""
  x = images
  for kernel, bias, stride in convs:
    x = tf.nn.relu(tf.nn.bias_add(
        tf.nn.conv2d(x, kernel, strides=stride, padding="SAME"), bias))
  x = tf.reduce_mean(x, axis=[1, 2])
  kernel, bias = logits
  return tf.matmul(x, kernel) + bias


def many_variables_native(module):
  """:class:`NativeManyVariables`' pass: creates the variables once, then visits them."""
  if module.blocks is None:
    names = _VAR_NAMES[:module.block_size]
    blocks = []
    for b in range(module.n // module.block_size):
      with tf.name_scope("block_%d" % b):
        blocks.append([tf.Variable(ZEROS([4]), name=name) for name in names])
    module.blocks = blocks
    return
  for block in module.blocks:
    for variable in block:
      pass


class NativeMLP(tf.Module):
  """``mlp_tf1`` with its variables created once, in ``__init__``."""

  def __init__(self, layers, width):
    super().__init__()
    params = []
    for i in range(layers):
      with tf.name_scope("layer_%d" % i):
        params.append((
            tf.Variable(GLOROT([width, width]), name="kernel"),
            tf.Variable(ZEROS([width]), name="bias")))
    self.params = params

  def __call__(self, x):
    return mlp_native(x, self.params)


class NativeConvNet(tf.Module):
  """``convnet_tf1`` with its variables created once, in ``__init__``."""

  def __init__(self):
    super().__init__()
    convs = []
    channels = IMAGE_CHANNELS
    for name, filters, stride in CONV_SPECS:
      with tf.name_scope(name):
        convs.append((
            tf.Variable(GLOROT([3, 3, channels, filters]), name="kernel"),
            tf.Variable(ZEROS([filters]), name="bias"), stride))
      channels = filters
    self.convs = convs
    with tf.name_scope("logits"):
      self.logits = (tf.Variable(GLOROT([channels, CLASSES]), name="kernel"),
                     tf.Variable(ZEROS([CLASSES]), name="bias"))

  def __call__(self, images):
    return convnet_native(images, self.convs, self.logits)


class NativeManyVariables(tf.Module):
  """``many_variables_tf1``: creates on the first call, returns them on later calls."""

  def __init__(self, n, block):
    super().__init__()
    self.n = n
    self.block_size = block
    self.blocks = None

  def __call__(self):
    many_variables_native(self)
