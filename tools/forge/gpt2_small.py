"""A causal LM of GPT-2 small's shape with random weights, for timing decoding at a realistic model
size (the decode-overhead benchmark's ms per token). Not committed: `build_gpt2_small.sh` writes it
(about 500 MB) on demand.

Shape: model.py's decoder (pre-LayerNorm, rotary positions, tied embedding) at GPT-2 small's
dimensions (12 layers, hidden 768, 12 heads of 64, feed-forward 3072, 1024 positions, vocabulary
50257). GPT-2's learned position table (1024 x 768) is replaced by rotary positions, which cost a few
element-wise operations instead of a lookup. Exported by export.py like story-lm (Optimum names, KV
cache, `logits_to_keep`), so onnx-causal-lm loads it unchanged. Weights are the modules' own
initialisation under a fixed seed (constant ones jittered): the outputs mean nothing, the forward
pass costs what a trained model's would.

The tokenizer is a Hugging Face WordLevel tokenizer with a whitespace pre-tokenizer covering all
50257 ids (id 0 `<|endoftext|>`, also the unknown token; then a few words of the synthetic world
and punctuation; then synthetic syllable words), so every generated id decodes to a word.
"""
import json
import os
import sys

import torch

import card
import export
import onnx_check
from model import GPT, Config

GPT2_SMALL = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, num_key_value_heads=12,
                  head_dim=64, intermediate_size=3072, max_position_embeddings=1024)
VOCAB = 50257
SEED = 0
EOT = "<|endoftext|>"
WORDS = (". , ? : ! ' the a an and of in is has lives works as at with to from his her their one sunny "
         "morning mia tom oslo lima paris question answer context where does live what who").split()
CONSONANTS = "bcdfghjklmnprstvwxyz"
VOWELS = "aeiou"


def words(n):
    """n distinct words: EOT, WORDS, then syllable words (consonant + vowel, 1 to 3 syllables)."""
    syl = [c + v for c in CONSONANTS for v in VOWELS]   # 100 syllables
    out, seen = [EOT], {EOT}
    for w in WORDS:
        if w not in seen:
            out.append(w)
            seen.add(w)
    i = 0
    while len(out) < n:
        k, parts = i, []
        length = 1 if k < 100 else 2 if k < 100 + 100 ** 2 else 3
        k -= 0 if length == 1 else 100 if length == 2 else 100 + 100 ** 2
        for _ in range(length):
            parts.append(syl[k % 100])
            k //= 100
        w = "".join(parts)
        if w not in seen:
            out.append(w)
            seen.add(w)
        i += 1
    return out


def write_tokenizer(path, n=VOCAB):
    vocab = {w: i for i, w in enumerate(words(n))}
    assert len(vocab) == n
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": 0, "content": EOT, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": EOT},
    }
    with open(path, "w") as f:
        json.dump(tok, f, ensure_ascii=True)


def build(out_dir):
    torch.manual_seed(SEED)
    cfg = Config(vocab_size=VOCAB, **GPT2_SMALL)
    model = GPT(cfg)
    export.jitter_constant_parameters(model)
    os.makedirs(out_dir, exist_ok=True)
    stats = export.export(model, os.path.join(out_dir, "model.onnx"))
    if stats["initializer_elements"] != stats["parameters"]:
        raise SystemExit("model.onnx holds %d weights, the model %d" % (stats["initializer_elements"],
                                                                        stats["parameters"]))
    stats["onnx_check"], _ = onnx_check.compare(os.path.join(out_dir, "model.onnx"), model)
    card.write_configs(cfg, out_dir)
    write_tokenizer(os.path.join(out_dir, "tokenizer.json"))
    return stats


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    out_dir = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(
        repo, "bench", "target", "models", "gpt2-small-random")
    stats = build(out_dir)
    print("wrote %s: %d parameters, model.onnx %d bytes; onnx graph (numpy interpreter) vs torch, max abs "
          "differences: %s" % (out_dir, stats["parameters"], stats["file_bytes"], json.dumps(stats["onnx_check"])))


if __name__ == "__main__":
    main()
