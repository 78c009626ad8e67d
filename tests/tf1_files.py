"""Files TF1 wrote, for tests: checkpoints saved by TF1's Saver in graph mode."""

import os

import tensorflow as tf

v1 = tf.compat.v1


def vocab_checkpoint(directory):
  """A checkpoint of ``emb`` (rows 1, 2, 3) over vocabulary a, b, c; a VocabInfo to c, a, z.

  Returns (checkpoint path, VocabInfo). The new vocabulary's rows start as
  the old rows 3 and 1, and zeros for the new word.
  """
  old_vocab = os.path.join(directory, "old.txt")
  new_vocab = os.path.join(directory, "new.txt")
  with open(old_vocab, "w") as f:
    f.write("a\nb\nc\n")
  with open(new_vocab, "w") as f:
    f.write("c\na\nz\n")
  path = os.path.join(directory, "vocab.ckpt")
  with tf.Graph().as_default():
    v1.get_variable("emb", initializer=tf.constant([[1., 1.], [2., 2.], [3., 3.]]))
    with v1.Session() as sess:
      sess.run(v1.global_variables_initializer())
      v1.train.Saver().save(sess, path)
  vocab = v1.train.VocabInfo(new_vocab=new_vocab, new_vocab_size=3,
                             num_oov_buckets=0, old_vocab=old_vocab,
                             backup_initializer=v1.zeros_initializer())
  return path, vocab
