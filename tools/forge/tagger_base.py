"""A token tagger the size of LLMLingua-2's published BERT-base model, with random weights, for
measuring where llmlingua2's time goes at a realistic model size (bench/run.sh compression). Not
committed: `build_tagger_base.sh` writes it (about 340 MB) on demand.

Shape: encoder.py's encoder (pre-layer-norm, rotary positions) at BERT-base's dimensions (12 layers,
hidden 768, 12 heads of 64, feed-forward 3072, 512 positions, as bert-base-multilingual-cased under
microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank) and a 2-way token head, on story-lm's
tokenizer (so its 3000-token embedding table is far smaller than BERT's 119547, which costs a lookup,
not compute). Weights are the modules' own initialisation under a fixed seed (constant ones jittered): the keep probabilities
mean nothing, the forward pass costs what a trained model's would.
"""
import os
import shutil
import sys

import torch

import bpe
import export
import tagger
from encoder import EncoderConfig

BERT_BASE = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, head_dim=64,
                 intermediate_size=3072, max_position_embeddings=512)
SEED = 0


def build(out_dir, tokenizer_path):
    torch.manual_seed(SEED)
    tok = bpe.Tokenizer.load(tokenizer_path)
    cfg = EncoderConfig(vocab_size=len(tok.vocab), **BERT_BASE)
    model = tagger.TokenTagger(cfg)
    export.jitter_constant_parameters(model)
    os.makedirs(out_dir, exist_ok=True)
    stats = tagger.export(model, os.path.join(out_dir, "model.onnx"))
    tagger.write_config(cfg, out_dir)
    shutil.copyfile(tokenizer_path, os.path.join(out_dir, "tokenizer.json"))
    return stats


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    out_dir = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(
        repo, "bench", "target", "models", "tagger-base")
    stats = build(out_dir, os.path.join(repo, "models", "story-lm", "tokenizer.json"))
    print("wrote %s: %d parameters, model.onnx %d bytes" % (out_dir, stats["parameters"], stats["file_bytes"]))


if __name__ == "__main__":
    main()
