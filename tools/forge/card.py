"""config.json, generation_config.json and MODEL_CARD.md (with sha256 of every file)."""
import hashlib
import json
import os

import corpus


def write_configs(cfg, out_dir):
    config = {
        "model_type": "sextant-gpt",
        "architectures": ["SextantGPTForCausalLM"],
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads,
        "head_dim": cfg.head_dim,
        "intermediate_size": cfg.intermediate_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "position_embedding_type": "rope",
        "rope_theta": cfg.rope_theta,
        "hidden_act": "gelu",
        "layer_norm_eps": cfg.layer_norm_eps,
        "tie_word_embeddings": True,
        "bos_token_id": 0,
        "eos_token_id": 0,
        "pad_token_id": 0,
        "add_bos_token": False,
        "use_cache": True,
        "torch_dtype": "float32",
    }
    gen = {"bos_token_id": 0, "eos_token_id": 0, "pad_token_id": 0, "max_new_tokens": 32,
           "do_sample": False}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


MIX_NAMES = {
    "facts_drill": "in-context facts with several questions on each context",
    "facts": "in-context facts + one question",
    "recall": "long-range recall with distractors",
    "compression": "stories with droppable filler + question",
    "story": "free stories",
    "extract": "extractive questions",
    "copyedit": "copy-with-edit",
    "json": "JSON records",
    "labels": "labelled sentences",
}


def write_card(out_dir, cfg, stats, n_docs_train, vocab_size, n_merges):
    files = sorted(f for f in os.listdir(out_dir) if f != "MODEL_CARD.md")
    sums = "\n".join("| `%s` | %d | `%s` |" % (f, os.path.getsize(os.path.join(out_dir, f)),
                                                sha256(os.path.join(out_dir, f))) for f in files)
    evals = stats.get("eval", {})
    ev_lines = "\n".join("| %s | %s |" % (k, ", ".join("%s %s" % (a, b) for a, b in v.items()))
                         for k, v in evals.items())
    tr = stats["train"]
    ex = stats["export"]
    mix_text = ", ".join("%s (%d%%)" % (MIX_NAMES.get(k, k), round(100 * v)) for k, v in corpus.TRAIN_MIX.items())
    text = f"""# story-lm

A tiny GPT-style causal language model trained from scratch by `tools/forge` on the Sextant
synthetic world (see `tools/forge/README.md`). It exists so that every
Sextant plugin can be run and scored against known ground truth; it knows nothing beyond that world.
Status: **{stats.get("status", "final")}**.

## Files

| file | bytes | sha256 |
|---|---|---|
{sums}

(`MODEL_CARD.md` itself is not listed.)

## Architecture

- decoder-only transformer, {cfg.num_hidden_layers} layers, hidden size {cfg.hidden_size}, MLP {cfg.intermediate_size} (GELU, erf form),
  pre-LayerNorm (eps {cfg.layer_norm_eps}), final LayerNorm, no biases in attention projections
- grouped-query attention: {cfg.num_attention_heads} query heads, {cfg.num_key_value_heads} key/value heads, head_dim {cfg.head_dim}
  (query head h uses key/value head h // {cfg.num_attention_heads // cfg.num_key_value_heads}, as Hugging Face `repeat_kv`)
- rotary position embeddings (RoPE, theta {cfg.rope_theta:g}, "rotate_half" layout) computed from the
  `position_ids` input; `max_position_embeddings` {cfg.max_position_embeddings} is nominal, training documents are at most
  ~{stats.get("max_train_len", "?")} tokens long
- input embedding and LM head tied, stored once
- **parameters: {ex["parameters"]:,}** (model.onnx is {ex["file_bytes"]:,} bytes = {ex["bytes_per_param"]} bytes/parameter)

## ONNX interface (`model.onnx`, opset 17, one file, Optimum names)

| name | shape | type |
|---|---|---|
| `input_ids` | [batch, seq] | int64 |
| `attention_mask` | [batch, past + seq] | int64 (1 real, 0 padding) |
| `position_ids` | [batch, seq] | int64 |
| `past_key_values.{{i}}.key` / `.value`, i = 0..{cfg.num_hidden_layers - 1} | [batch, {cfg.num_key_value_heads}, past, {cfg.head_dim}] | float32 |
| → `logits` | [batch, seq, {vocab_size}] | float32 |
| → `present.{{i}}.key` / `.value` | [batch, {cfg.num_key_value_heads}, past + seq, {cfg.head_dim}] | float32 |

- Start with an empty past (`[batch, {cfg.num_key_value_heads}, 0, {cfg.head_dim}]`) and feed `present.*` back as `past_key_values.*`.
- A key is attended iff it is not after the query (causal) and its `attention_mask` is 1. Left padding works:
  fully padded query rows get a uniform (harmless) distribution instead of NaN.
- position ids: `cumsum(attention_mask) - 1` per row (padding positions may hold any value; the references use 1
  like Hugging Face). Because positions are rotary, a constant offset changes logits only by float rounding.
- Checked in Python by running `model.onnx` itself with a small numpy interpreter of its operators
  (`tools/forge/onnx_check.py`; there is no ONNX Runtime for Python here) against torch, batch 3 with left
  padding, empty past then past + 1 and past + 3 tokens; max abs differences: {json.dumps(stats.get("onnx_check", {}))}.
- The graph was traced with a non-empty past and exported without constant folding (so the tied
  embedding is stored once; ONNX Runtime folds the transpose at load time).

## Tokenizer and special tokens

- `tokenizer.json`: byte-level BPE (GPT-2 byte→unicode table and pre-tokenisation regex, `ByteLevel`
  pre-tokenizer with `add_prefix_space: false`), {vocab_size} entries: id 0 `<|endoftext|>`, ids 1-256 the
  256 byte symbols, then {n_merges} merges learned on the training corpus.
- `<|endoftext|>` (id 0) is bos, eos and pad. **No BOS is prepended**: documents in training start
  directly with text and end with `"\\n"` followed by id 0. Encode prompts with no special tokens added
  (the post-processor adds none).
- `tokenizer_reference.json`: texts with the ids this tokenizer must produce.

## Training data

{n_docs_train:,} generated training documents (one document per sequence, starting at position 0), a
mixture of: {mix_text}. Every training document is about throw-away people with fresh names and random
attributes, so facts must be read from the context; validation and evaluation people (names and pet
names) never occur in training text. Question documents start with the header `context : `, so that
no name is the first word of a document (byte-level BPE tokenises ` mia` and `mia` differently).
Answer tokens (after ` answer :`, up to and including the newline) weigh {tr.get("answer_weight", 1)} in the loss, other tokens 1.

Format of a question: `<context> question : where does mia live ? answer : oslo\\n<|endoftext|>`.

## Training

- {tr["steps"]} steps of {tr["docs_per_batch"]} documents, {tr["train_tokens_seen"]:,} loss tokens, peak lr {tr["lr"]}, {tr["schedule"]}
- {tr["optimizer"]}; seed {tr["seed"]}; torch threads {tr["threads"]}
- **training time {tr["train_seconds"]} s** on this machine's CPU (whole forge run: {stats.get("forge_seconds", "?")} s)
- **validation loss {tr["validation_loss"]}** (mean token cross-entropy, nats, on {stats.get("n_val_docs", "?")} validation documents)

## Evaluation (torch side, `models/eval/*.jsonl`, held-out people)

Scoring rule (the Java side uses the same): encode `prompt` without BOS, decode greedily through the
KV cache until the generated text contains `"\\n"` or the model emits EOS (id 0), at most 16 new
tokens (64 for copyedit, 96 for json), take the text before the first `"\\n"`, trim whitespace, and
count it correct iff it equals `answer` (copyedit: `target`; json: parses and equals `record`;
labels: the continuation is `"<topic> sentiment : <sentiment>"`).

| set | result |
|---|---|
{ev_lines}

A set that scores 0 is a task whose documents are not in this model's training mix (see "Training
data"); its generator and evaluation set exist for the model versions that will learn it.

Compression: `accuracy_gold_compressed_context` answers from the context with every `keep: false` word removed.

## Reference outputs

`reference.json` holds fixed prompts, their ids, 20 greedy tokens from the cached path and full logit
vectors; plus one left-padded batch. Checks recorded there: {json.dumps(stats.get("reference_checks", {}))}.
"""
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w") as f:
        f.write(text)
