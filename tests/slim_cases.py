"""TF-Slim programs run twice: with TF1's own layers and with ``tf1scope.compat.slim``.

``make_layers_fixture.py`` runs every case here in TF1 graph mode with
``tf_slim`` whose layers are TF1's own (tf_keras's ``legacy_tf_layers``
batch normalization, TensorFlow's frozen copy of the others) and stores
what TF1 gives; ``test_slim.py`` runs the same functions with
``tf1scope.compat.slim`` (passed in as ``S``; the nets in ``tf_slim.nets``
use the same repaired layers module) and compares, as for
``layer_cases.py``.
"""

import tensorflow as tf

import layer_cases

v1 = tf.compat.v1

NUMERIC_CASES, case = layer_cases.case_registry()
Input = layer_cases.Input
flat_outputs = layer_cases.flat_outputs
weight_values = layer_cases.weight_values
input_values = layer_cases.input_values

TRUE = Input((), "bool", value=True)


def cnn(S, x, is_training):
  """A small slim CNN: arg_scope, conv2d with batch_norm, max_pool2d, repeat, flatten, dropout."""
  with S.arg_scope([S.conv2d, S.fully_connected],
                   weights_regularizer=S.l2_regularizer(0.01),
                   normalizer_fn=S.batch_norm,
                   normalizer_params={"is_training": is_training,
                                      "decay": 0.9, "scale": True}):
    net = S.conv2d(x, 4, [3, 3], scope="conv1")
    net = S.max_pool2d(net, [2, 2], scope="pool1")
    net = S.repeat(net, 2, S.conv2d, 4, [3, 3], scope="conv2")
    net = S.flatten(net)
    net = S.dropout(net, 0.5, is_training=False)
    return {"logits": S.fully_connected(net, 3, activation_fn=None,
                                        normalizer_fn=None, scope="logits")}


case("slim_cnn_training", [(2, 8, 8, 3)], lambda S, x: cnn(S, x, True))
case("slim_cnn_inference", [(2, 8, 8, 3)], lambda S, x: cnn(S, x, False))
case("slim_cnn_training_tensor", [(2, 8, 8, 3), TRUE], cnn)


def _tiny_resnet(S, x, version, is_training):
  from tf_slim.nets import resnet_v1, resnet_v2  # pylint: disable=g-import-not-at-top
  module = resnet_v1 if version == 1 else resnet_v2
  block = (module.resnet_v1_block if version == 1 else module.resnet_v2_block)
  blocks = [block("block1", base_depth=2, num_units=2, stride=2),
            block("block2", base_depth=4, num_units=1, stride=1)]
  net_fn = module.resnet_v1 if version == 1 else module.resnet_v2
  with S.arg_scope(module.resnet_arg_scope()):
    logits, end_points = net_fn(x, blocks, num_classes=3,
                                is_training=is_training, scope="resnet")
  return {"logits": logits,
          "block1": end_points["resnet/block1"]}


case("slim_resnet_v1_tiny_training", [(2, 16, 16, 3)],
     lambda S, x: _tiny_resnet(S, x, 1, True))
case("slim_resnet_v2_tiny_inference", [(2, 16, 16, 3)],
     lambda S, x: _tiny_resnet(S, x, 2, False))


# The zero-debiased moving mean adds TF1's BatchNorm/BatchNorm/moving_mean/biased
# and .../local_step (tf1scope.moving_averages makes them in a pass).
case("slim_batch_norm_zero_debias", [(4, 3, 3, 2)], lambda S, x: {
    "y": S.batch_norm(x, zero_debias_moving_mean=True, is_training=True)})


def _batch_norms(S, x, flat):
  return {
      "rank2": S.batch_norm(flat, is_training=True, scope="rank2"),
      "in_place": S.batch_norm(x, updates_collections=None, is_training=True,
                               scope="in_place"),
      "renorm": S.batch_norm(x, renorm=True, is_training=True, scope="renorm"),
      "channels_first": S.batch_norm(
          tf.transpose(x, [0, 3, 1, 2]), data_format="NCHW", fused=False,
          is_training=True, scope="nchw"),
  }


case("slim_batch_norm_variants", [(4, 3, 3, 2), (6, 3)], _batch_norms)


def _more_layers(S, x):
  with S.arg_scope([S.conv2d, S.separable_conv2d, S.conv2d_transpose],
                   biases_initializer=v1.constant_initializer(0.1)):
    return {
        "separable": S.separable_conv2d(x, 4, [3, 3], depth_multiplier=2,
                                        scope="separable"),
        "depthwise": S.separable_conv2d(x, None, [3, 3], depth_multiplier=1,
                                        scope="depthwise"),
        "transpose": S.conv2d_transpose(x, 2, [3, 3], stride=2,
                                        scope="transpose"),
        "dilated": S.conv2d(x, 2, [3, 3], rate=2, scope="dilated"),
        "avg_pool": S.avg_pool2d(x, [2, 2], stride=1, scope="avg"),
        "layer_norm": S.layer_norm(x, scope="layer_norm"),
        "fc_rank3": S.fully_connected(tf.reshape(x, [2, 12, 9]), 5,
                                      scope="fc3"),
    }


case("slim_more_layers", [(2, 6, 6, 3)], _more_layers)

case("slim_dropout_training_seeded", [(4, 6)], lambda S, x: {
    "y": S.dropout(x, 0.7, is_training=True, seed=3)}, graph_seed=5)


# --- Name programs ----------------------------------------------------------------

NAME_PROGRAMS, SYMBOLIC_ONLY, program = layer_cases.program_registry()


def _net(fn_name, module_name, size, **kwargs):
  def build(S):
    import importlib  # pylint: disable=g-import-not-at-top
    module = importlib.import_module("tf_slim.nets." + module_name)
    x = tf.reshape(tf.range(2 * size * size * 3, dtype=tf.float32) % 7.0,
                   [2, size, size, 3])
    arg_scope = getattr(module, {"resnet_v1": "resnet_arg_scope",
                                 "resnet_v2": "resnet_arg_scope"}.get(
                                     module_name, fn_name + "_arg_scope"))
    with S.arg_scope(arg_scope()):
      _, end_points = getattr(module, fn_name)(x, num_classes=10, **kwargs)
    v1.add_to_collection("end_points", sorted(end_points))
  return build


for _fn, _module, _size, _kwargs in (
    ("resnet_v1_50", "resnet_v1", 64, {"is_training": True}),
    ("resnet_v2_50", "resnet_v2", 64, {"is_training": False}),
    ("inception_v3", "inception_v3", 107, {}),
    ("alexnet_v2", "alexnet", 224, {}),
):
  program(_net(_fn, _module, _size, **_kwargs), name=f"net_{_fn}")


@program
def shared_scopes(S):
  x = tf.ones([2, 4])
  S.fully_connected(x, 3, scope="fc")
  S.fully_connected(x, 3, scope="fc", reuse=True)
  with v1.variable_scope("block", reuse=v1.AUTO_REUSE):
    S.fully_connected(x, 3, normalizer_fn=S.batch_norm)
    S.fully_connected(x, 3, normalizer_fn=S.batch_norm)
  S.stack(x, S.fully_connected, [4, 2], scope="stack")
  S.model_variable("extra", [2], initializer=v1.zeros_initializer())


@program
def error_batch_norm_renorm_with_updates_collections(S):
  S.batch_norm(tf.ones([2, 2, 2, 2]), renorm=True, updates_collections=None)


@program
def error_conv2d_rank3(S):
  S.conv2d(tf.ones([2, 4, 3]), 2, [3, 3])


@program
def error_fully_connected_reuse_missing(S):
  S.fully_connected(tf.ones([2, 4]), 3, scope="missing", reuse=True)


def describe(program_fn, S):
  """What a name program built (``layer_cases.describe``), and slim's collections."""
  out = layer_cases.describe(program_fn, S)
  out["model_variables"] = [
      v.name for v in v1.get_collection(v1.GraphKeys.MODEL_VARIABLES)]
  out["end_points"] = v1.get_collection("end_points")
  return out
