"""Builds the shared tokenizer and the tokenised training / validation corpora.

Outputs (under build/): train_tokens.pt, val_tokens.pt (lists of int32 tensors, one per document,
each ending with the end-of-text id 0) and writes tokenizer.json to the given model folder."""
import json
import os

import torch

import bpe
import corpus

N_TRAIN_DOCS = 300_000
N_VAL_DOCS = 2_000
N_BPE_DOCS = 60_000
VOCAB_SIZE = 3000
TRAIN_SEED, VAL_SEED = 1, 2


def build(world, build_dir, tokenizer_path):
    os.makedirs(build_dir, exist_ok=True)
    # The BPE sample is drawn from a fixed mix (BPE_MIX), with the question header stripped, so
    # tokenizer.json (and every token id) does not change when the training mix does.
    bpe_docs = corpus.training_documents(world, "train", N_BPE_DOCS, TRAIN_SEED, fresh_share=0.5,
                                         mix=corpus.BPE_MIX)
    bpe_docs = [d[len(corpus.HEADER):] if d.startswith(corpus.HEADER) else d for d in bpe_docs]
    vocab, merges = bpe.train(bpe_docs, VOCAB_SIZE)
    del bpe_docs
    train_docs = corpus.training_documents(world, "train", N_TRAIN_DOCS, TRAIN_SEED)
    val_docs = corpus.training_documents(world, "validation", N_VAL_DOCS, VAL_SEED)
    tok = bpe.Tokenizer(vocab, merges)
    tok.save(tokenizer_path)
    for name, docs in (("train", train_docs), ("val", val_docs)):
        ids = [torch.tensor(tok.encode(d) + [tok.eot_id], dtype=torch.int32) for d in docs]
        torch.save(ids, os.path.join(build_dir, name + "_tokens.pt"))
    with open(os.path.join(build_dir, "corpus_sample.txt"), "w") as f:
        f.write("".join(d + "<|endoftext|>\n" for d in train_docs[:200]))
    return tok
