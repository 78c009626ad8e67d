"""``tf.compat.v1.layers`` (removed with Keras 3), built on ``tf.compat.v1.get_variable``.

Use it inside a method decorated with ``@tf1scope.track_tf1_style_variables``:
variable names, sharing through ``reuse`` and ``variable_scope``,
``UPDATE_OPS`` and ``REGULARIZATION_LOSSES`` are TF1 graph mode's, and the
outputs are TF1's numbers, eagerly and inside ``tf.function``. In a TF1 graph
(``with tf.Graph().as_default():``) the layers build graph variables exactly
as TF1 did.

>>> import tensorflow as tf, tf1scope, tf1scope.layers as layers
>>> class Net(tf.Module):
...   @tf1scope.track_tf1_style_variables
...   def __call__(self, images, training):
...     x = layers.conv2d(images, 4, 3, activation=tf.nn.relu)
...     x = layers.batch_normalization(x, training=training)
...     x = layers.max_pooling2d(x, 2, 2)
...     return layers.dense(layers.flatten(x), 10)
>>> net = Net()
>>> net(tf.zeros([2, 8, 8, 1]), training=True).shape
TensorShape([2, 10])
>>> sorted(tf1scope.variables_by_name(net))[:3]
['batch_normalization/beta', 'batch_normalization/gamma', 'batch_normalization/moving_mean']
"""

from tf1scope.layers.base import Layer
from tf1scope.layers.convolutional import Conv1D
from tf1scope.layers.convolutional import Conv2D
from tf1scope.layers.convolutional import Conv2DTranspose
from tf1scope.layers.convolutional import Conv3D
from tf1scope.layers.convolutional import Conv3DTranspose
from tf1scope.layers.convolutional import SeparableConv1D
from tf1scope.layers.convolutional import SeparableConv2D
from tf1scope.layers.convolutional import conv1d
from tf1scope.layers.convolutional import conv2d
from tf1scope.layers.convolutional import conv2d_transpose
from tf1scope.layers.convolutional import conv3d
from tf1scope.layers.convolutional import conv3d_transpose
from tf1scope.layers.convolutional import separable_conv1d
from tf1scope.layers.convolutional import separable_conv2d
from tf1scope.layers.core import Dense
from tf1scope.layers.core import Dropout
from tf1scope.layers.core import Flatten
from tf1scope.layers.core import dense
from tf1scope.layers.core import dropout
from tf1scope.layers.core import flatten
from tf1scope.layers.input_spec import InputSpec
from tf1scope.layers.normalization import BatchNormalization
from tf1scope.layers.normalization import batch_normalization
from tf1scope.layers.pooling import AveragePooling1D
from tf1scope.layers.pooling import AveragePooling2D
from tf1scope.layers.pooling import AveragePooling3D
from tf1scope.layers.pooling import MaxPooling1D
from tf1scope.layers.pooling import MaxPooling2D
from tf1scope.layers.pooling import MaxPooling3D
from tf1scope.layers.pooling import average_pooling1d
from tf1scope.layers.pooling import average_pooling2d
from tf1scope.layers.pooling import average_pooling3d
from tf1scope.layers.pooling import max_pooling1d
from tf1scope.layers.pooling import max_pooling2d
from tf1scope.layers.pooling import max_pooling3d

__all__ = [
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "BatchNormalization", "Conv1D", "Conv2D", "Conv2DTranspose", "Conv3D",
    "Conv3DTranspose", "Dense", "Dropout", "Flatten", "InputSpec", "Layer",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "SeparableConv1D",
    "SeparableConv2D", "average_pooling1d", "average_pooling2d",
    "average_pooling3d", "batch_normalization", "conv1d", "conv2d",
    "conv2d_transpose", "conv3d", "conv3d_transpose", "dense", "dropout",
    "flatten", "max_pooling1d", "max_pooling2d", "max_pooling3d",
    "separable_conv1d", "separable_conv2d",
]
