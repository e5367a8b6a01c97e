"""config.json, generation_config.json and MODEL_CARD.md (with sha256 of every file)."""
import hashlib
import json
import os
import re

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


def _files_section(out_dir):
    files = sorted(f for f in os.listdir(out_dir) if f != "MODEL_CARD.md")
    sums = "\n".join("| `%s` | %d | `%s` |" % (f, os.path.getsize(os.path.join(out_dir, f)),
                                                sha256(os.path.join(out_dir, f))) for f in files)
    return f"""## Files

| file | bytes | sha256 |
|---|---|---|
{sums}

(`MODEL_CARD.md` itself is not listed.)
"""


def _architecture_section(cfg, stats):
    ex = stats["export"]
    return f"""## Architecture

- decoder-only transformer, {cfg.num_hidden_layers} layer{"s" if cfg.num_hidden_layers != 1 else ""}, hidden size {cfg.hidden_size}, MLP {cfg.intermediate_size} (GELU, erf form),
  pre-LayerNorm (eps {cfg.layer_norm_eps}), final LayerNorm, no biases in attention projections
- grouped-query attention: {cfg.num_attention_heads} query heads, {cfg.num_key_value_heads} key/value heads, head_dim {cfg.head_dim}
  (query head h uses key/value head h // {cfg.num_attention_heads // cfg.num_key_value_heads}, as Hugging Face `repeat_kv`)
- rotary position embeddings (RoPE, theta {cfg.rope_theta:g}, "rotate_half" layout) computed from the
  `position_ids` input; `max_position_embeddings` {cfg.max_position_embeddings} is nominal, training documents are at most
  ~{stats.get("max_train_len", "?")} tokens long
- input embedding and LM head tied, stored once
- **parameters: {ex["parameters"]:,}** (model.onnx is {ex["file_bytes"]:,} bytes = {ex["bytes_per_param"]} bytes/parameter)
"""


def _interface_section(cfg, stats, vocab_size):
    kvh, d = cfg.num_key_value_heads, cfg.head_dim
    return f"""## ONNX interface (`model.onnx`, opset 17, one file, Optimum names)

| name | shape | type |
|---|---|---|
| `input_ids` | [batch, seq] | int64 |
| `attention_mask` | [batch, past + seq] | int64 (1 real, 0 padding) |
| `position_ids` | [batch, seq] | int64 |
| `past_key_values.{{i}}.key` / `.value`, i = 0..{cfg.num_hidden_layers - 1} | [batch, {kvh}, past, {d}] | float32 |
| `logits_to_keep` | [] (scalar) | int64: k > 0 keeps the logits of the last k positions, 0 keeps all |
| → `logits` | [batch, min(k, seq) or seq, {vocab_size}] | float32 |
| → `present.{{i}}.key` / `.value` | [batch, {kvh}, past + seq, {d}] | float32 |

- Start with an empty past (`[batch, {kvh}, 0, {d}]`) and feed `present.*` back as `past_key_values.*`.
- `logits_to_keep` is Hugging Face's argument of that name: the hidden states are sliced before the
  tied LM head ({cfg.hidden_size} x {vocab_size}, about a third of the model's work at this size), so
  next-token logits and decoding feed 1, scoring every position feeds 0. The presents always cover
  every new position.
- A key is attended iff it is not after the query (causal) and its `attention_mask` is 1. Left padding works:
  fully padded query rows get a uniform (harmless) distribution instead of NaN.
- position ids: `cumsum(attention_mask) - 1` per row (padding positions may hold any value; the references use 1
  like Hugging Face). Because positions are rotary, a constant offset changes logits only by float rounding.
- Checked in Python by running `model.onnx` itself with a small numpy interpreter of its operators
  (`tools/forge/onnx_check.py`; there is no ONNX Runtime for Python here) against torch, batch 3 with left
  padding, empty past then past + 1 and past + 3 tokens, `logits_to_keep` 0; and the graph's own logits with
  `logits_to_keep` 1, 2 and more than the new tokens against the last rows of those with 0 (`logits_to_keep`);
  max abs differences: {json.dumps(stats.get("onnx_check", {}))}.
- The graph was traced with a non-empty past and exported without constant folding (so the tied
  embedding is stored once; ONNX Runtime folds the transpose at load time).
"""


def write_card(out_dir, cfg, stats, n_docs_train, vocab_size, n_merges):
    evals = stats.get("eval", {})
    ev_lines = "\n".join("| %s | %s |" % (k, ", ".join("%s %s" % (a, b) for a, b in v.items()))
                         for k, v in evals.items())
    tr = stats["train"]
    mix_text = ", ".join("%s (%d%%)" % (MIX_NAMES.get(k, k), round(100 * v)) for k, v in corpus.TRAIN_MIX.items())
    text = f"""# story-lm

A tiny GPT-style causal language model trained from scratch by `tools/forge` on the Sextant
synthetic world (see `tools/forge/README.md`). It exists so that every
Sextant plugin can be run and scored against known ground truth; it knows nothing beyond that world.
Status: **{stats.get("status", "final")}**.

{_files_section(out_dir)}
{_architecture_section(cfg, stats)}
{_interface_section(cfg, stats, vocab_size)}
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


def refresh_export_sections(out_dir, cfg, stats, vocab_size):
    """After re-exporting model.onnx from the same checkpoint: rewrites the Files, Architecture and
    ONNX interface sections of story-lm's MODEL_CARD.md from `stats` (its `export` and `onnx_check`)
    and keeps every other section (training, evaluation, reference outputs) as it was written."""
    path = os.path.join(out_dir, "MODEL_CARD.md")
    with open(path) as f:
        parts = re.split(r"(?m)^(?=## )", f.read())
    fresh = {"## Files": _files_section(out_dir), "## Architecture": _architecture_section(cfg, stats),
             "## ONNX interface": _interface_section(cfg, stats, vocab_size)}
    done = set()
    for i, part in enumerate(parts):
        for heading, text in fresh.items():
            if part.startswith(heading + "\n") or part.startswith(heading + " "):
                parts[i] = text + "\n" if part.endswith("\n\n") else text
                done.add(heading)
    missing = set(fresh) - done
    if missing:
        raise ValueError("%s has no section %s" % (path, sorted(missing)))
    with open(path, "w") as f:
        f.write("".join(parts))


# ----------------------------------------------------------------------------------- story-mlm
def write_mlm_config(cfg, out_dir, mask_id):
    config = {
        "model_type": "sextant-mlm",
        "architectures": ["SextantEncoderForMaskedLM"],
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "head_dim": cfg.head_dim,
        "intermediate_size": cfg.intermediate_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "position_embedding_type": "rope",
        "position_ids": "cumsum(attention_mask) - 1, computed inside the graph",
        "rope_theta": cfg.rope_theta,
        "hidden_act": "gelu",
        "layer_norm_eps": cfg.layer_norm_eps,
        "pre_layer_norm": True,
        "is_decoder": False,
        "tie_word_embeddings": True,
        "mask_token_id": mask_id,
        "mask_token": "<mask>",
        "pad_token_id": 0,
        "eos_token_id": 0,
        "add_bos_token": False,
        "torch_dtype": "float32",
    }
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def write_mlm_card(out_dir, cfg, stats):
    import mlm
    files = sorted(f for f in os.listdir(out_dir) if f != "MODEL_CARD.md")
    sums = "\n".join("| `%s` | %d | `%s` |" % (f, os.path.getsize(os.path.join(out_dir, f)),
                                                sha256(os.path.join(out_dir, f))) for f in files)
    tr, ex, v, rp = stats["train"], stats["export"], stats["train"]["validation"], stats["recall_prompts"]
    mask_id = stats["mask_token_id"]
    mix_text = ", ".join("%s (%d%%)" % (MIX_NAMES.get(k, k), round(100 * x)) for k, x in mlm.MLM_MIX.items())
    oc = stats["onnx_check"]
    corpus_text = ("corpus generation %d s" % tr["corpus_seconds"] if tr.get("corpus_seconds") is not None
                   else "corpus made by an earlier run (not timed here)")
    text = f"""# story-mlm

A tiny bidirectional transformer encoder with a masked-language-model head, trained from scratch by
`tools/forge` (`forge.py mlm`, `build_mlm.sh`) on the Sextant synthetic world, with the tokenizer of
`models/story-lm` plus one `<mask>` token. Sextant's ReAGent attribution replacer uses it: mask
some positions of a prompt, run `model.onnx`, sample replacement tokens from the logits at the
masked positions. It knows nothing beyond the synthetic world.
Status: **{stats.get("status", "final")}**.

## Files

| file | bytes | sha256 |
|---|---|---|
{sums}

(`MODEL_CARD.md` itself is not listed.)

## Architecture

- encoder-only transformer (no causal mask), {cfg.num_hidden_layers} layers, hidden size {cfg.hidden_size}, {cfg.num_attention_heads} heads of
  head_dim {cfg.head_dim}, MLP {cfg.intermediate_size} (GELU, erf form), pre-LayerNorm (eps {cfg.layer_norm_eps}), final LayerNorm,
  no biases in attention projections (code: `tools/forge/encoder.py`, shared with later encoders)
- rotary position embeddings (RoPE, theta {cfg.rope_theta:g}, "rotate_half" layout) from position ids that the graph
  computes itself as `cumsum(attention_mask) - 1`; no learned position table, so `max_position_embeddings`
  {cfg.max_position_embeddings} is nominal (training documents are at most {tr["max_train_len"]} tokens long)
- MLM head (BERT style): dense {cfg.hidden_size}x{cfg.hidden_size} + GELU + LayerNorm, then the transposed input embedding
  (tied, stored once) plus an output bias of {cfg.vocab_size}
- **parameters: {ex["parameters"]:,}** (model.onnx is {ex["file_bytes"]:,} bytes = {ex["bytes_per_param"]} bytes/parameter)

## ONNX interface (`model.onnx`, opset {ex["opset"]}, one file)

| name | shape | type |
|---|---|---|
| `input_ids` | [batch, seq] | int64 |
| `attention_mask` | [batch, seq] | int64 (1 real, 0 padding) |
| → `logits` | [batch, seq, {cfg.vocab_size}] | float32 |

- Every query attends to every key whose `attention_mask` is 1 (both directions); padding keys get
  an additive -1e9, so a row with no real token gives finite (meaningless) values, never NaN.
  Logits at padding positions are meaningless; ignore them.
- Right or left padding (pad id 0) both work: the real tokens get positions 0, 1, 2, ... either way.
- Ids 0..{mask_id - 1} mean what they mean in story-lm; id {mask_id} is `<mask>`. Sample replacements from the
  logits at masked positions, excluding ids 0 and {mask_id} (the model never learned to predict them).
- Checked in Python by running `model.onnx` itself with a small numpy interpreter of its operators
  (`tools/forge/onnx_check.py`; there is no ONNX Runtime for Python here) against torch on a batch of
  3 rows (9, 5 and 2 real tokens, some `<mask>` ids), right- and left-padded: max abs logit
  difference on real positions {oc["right_padded"]["logits_real_positions"]:.2g} (right-padded) and
  {oc["left_padded"]["logits_real_positions"]:.2g} (left-padded); on all positions {max(x["logits_all_positions"] for x in oc.values()):.2g}.
- Exported without constant folding, so the tied embedding is stored once.

## Tokenizer and special tokens

- `tokenizer.json` is `models/story-lm/tokenizer.json` with one added special token `<mask>` = id {mask_id}
  (in `added_tokens` with `special: true`, `lstrip: true`, and in the BPE vocabulary); all other entries are
  unchanged, so ids from story-lm's tokenizer can be fed directly. Model vocabulary {cfg.vocab_size}.
- No BOS. `<|endoftext|>` (id 0) ends training documents and is the padding id. Masking never picks
  id 0, so do not mask it.

## Training data

{tr["n_train_docs"]:,} generated documents (the generators of `tools/forge/corpus.py`), all kinds:
{mix_text}. Training people are throw-away people with fresh names; validation figures use the
world's validation people. {round(100 * mlm.PROMPT_ONLY_SHARE)}% of the documents that contain a question are cut after their last
` answer :` (no answer, no end-of-text id), the shape of the recall prompts the replacer works on;
the others end with `"\\n"` and id 0. No evaluation item is trained on.

Masking (BERT): each real token except id 0 is chosen with probability {mlm.MASK_RATE}; a chosen token becomes
`<mask>` ({round(100 * mlm.P_MASK)}%), a random token of ids 1..{mask_id - 1} ({round(100 * mlm.P_RANDOM)}%) or stays ({round(100 * (1 - mlm.P_MASK - mlm.P_RANDOM))}%). Masks are drawn afresh for
every batch; the loss is the mean cross-entropy over the chosen positions.

## Training

- {tr["steps"]} steps of {tr["docs_per_batch"]} documents (length-bucketed, right-padded), {tr["train_tokens_seen"]:,} tokens,
  {tr["train_targets_seen"]:,} loss positions; peak lr {tr["lr"]}, {tr["schedule"]}
- {tr["optimizer"]}; seed {tr["seed"]}; torch threads {tr["threads"]}
- **training time {tr["train_seconds"]} s** on this machine's CPU ({tr["tokens_per_second"]:,} tokens/s); {corpus_text};
  whole run (tokenizer, corpus, training, export, checks): {stats.get("forge_seconds", "?")} s

## Validation (masked positions, fixed masks)

| documents | positions | top-1 accuracy | loss (nats) | `<mask>` positions only: accuracy / loss |
|---|---|---|---|---|
| {tr["n_val_docs"]:,} validation documents | {v["positions"]:,} | **{v["accuracy"]}** | **{v["loss"]}** | {v["mask_only_accuracy"]} / {v["mask_only_loss"]} |
| {rp["items"]} `models/eval/recall.jsonl` prompts | {rp["positions"]:,} | {rp["accuracy"]} | {rp["loss"]} | {rp["mask_only_accuracy"]} / {rp["mask_only_loss"]} |

Positions are chosen as in training (15%, 80/10/10), so "all chosen" includes the 10% left unchanged.
Some masked tokens are not determined by the rest of the text (a name or value stated only once,
a freely chosen filler or place), which caps the accuracy well below 1.

## Reference outputs

`reference.json` holds 4 texts with 2-3 masked positions each (original and masked ids, attention mask,
for each masked position the top-5 ids and logits and the first 8 logits of its row) and a right-padded
2-row batch of two of them. Checks recorded there: {json.dumps(stats.get("reference_checks", {}))}.
"""
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w") as f:
        f.write(text)


# ------------------------------------------------------------------------------------ story-lm-draft
def write_draft_card(out_dir, cfg, stats):
    """MODEL_CARD.md of models/story-lm-draft; `stats` as draft.stage_finish makes it."""
    tr, ag, tc = stats["train"], stats["agreement"], stats["teacher_config"]
    mix_text = ", ".join("%s (%d%%)" % (MIX_NAMES.get(k, k), round(100 * v)) for k, v in corpus.TRAIN_MIX.items())
    tf = ag["validation_documents_teacher_forced"]
    rows = []
    for name, what in (("facts_prompts", "`models/eval/facts.jsonl` prompts (the answer pipeline's shape)"),
                       ("validation_questions", "validation documents cut before their first ` question :`")):
        r = ag[name]
        rows.append("| %s: %d prompts, at most %d new tokens, stop at %s | %d | **%s** | **%s** | %s | %s |" % (
            what, r["prompts"], r["max_new_tokens"], r["stop"], r["story_lm_tokens"], r["agreement"],
            r["mean_accepted"], r["tokens_per_story_lm_call"], " / ".join(str(x) for x in r["accepted_histogram"])))
    rows = "\n".join(rows)
    loss_text = tr.get("loss", "cross-entropy with the data, answer tokens weighted %s" % tr.get("answer_weight"))
    text = f"""# story-lm-draft

A much smaller causal language model than `models/story-lm`, with exactly its tokenizer and training
data, made by `tools/forge` (`forge.py draft`, `build_draft.sh`) to propose tokens for story-lm in
speculative decoding. Same model code, export code and ONNX interface as story-lm, so Sextant's
`onnx-causal-lm` component loads it unchanged. It knows nothing beyond the synthetic world.
Status: **{stats.get("status", "final")}**.

{_files_section(out_dir)}
{_architecture_section(cfg, stats)}- story-lm for comparison: {tc["num_hidden_layers"]} layers, hidden size {tc["hidden_size"]}, {stats["teacher_parameters"]:,} parameters
  ({stats["teacher_parameters"] / stats["export"]["parameters"]:.1f} times as many). Multiply-adds per new token, besides attention over the past, are about
  the parameter count in both (every weight is used once per token), of which the tied LM head
  ({cfg.hidden_size} x {cfg.vocab_size}) is {100 * cfg.hidden_size * cfg.vocab_size / stats["export"]["parameters"]:.0f}% here.

{_interface_section(cfg, stats, cfg.vocab_size)}
## Tokenizer

`tokenizer.json` is `models/story-lm/tokenizer.json`, copied unchanged (same sha256): ids, special
tokens and the no-BOS rule are story-lm's (see its card).

## Training data

story-lm's: the data stage's {stats.get("n_train_docs", "?")} tokenised training documents (`build/train_tokens.pt`), a mixture
of {mix_text}, and its validation documents (validation people, never in training).
Loss: {loss_text}.

## Training

- {tr["steps"]} steps of {tr["docs_per_batch"]} documents, {tr["train_tokens_seen"]:,} loss tokens, peak lr {tr["lr"]}, {tr["schedule"]}
- {tr["optimizer"]}; seed {tr["seed"]}; torch threads {tr["threads"]}
- **training time {tr["train_seconds"]} s** on this machine's CPU (whole run with figures, export and checks: {stats.get("forge_seconds", "?")} s)
- **validation loss {tr["validation_loss"]}** (mean token cross-entropy, nats, on {tf["documents"]} validation documents; story-lm: {stats.get("teacher_validation_loss", "?")})

## Agreement with story-lm (torch, greedy)

- Teacher-forced on the {tf["documents"]} validation documents: the draft's argmax equals story-lm's at
  **{tf["agreement"]}** of {tf["positions"]:,} positions (every loss position of the documents, including the
  context's unpredictable names and facts).
- On story-lm's own greedy continuations (what a draft must predict), with speculative decoding at
  draft length {ag["facts_prompts"]["draft_length"]} under greedy verification: from the verified prefix the draft proposes
  {ag["facts_prompts"]["draft_length"]} tokens greedily (fewer at the end of the continuation), story-lm accepts the longest prefix
  equal to its own greedy tokens and adds one token of its own.

| prompts | story-lm tokens | next-token agreement | mean accepted draft tokens (of {ag["facts_prompts"]["draft_length"]}) | tokens per story-lm call | rounds accepting 0 / 1 / 2 / 3 / 4 |
|---|---|---|---|---|---|
{rows}

Agreement counts the continuation's tokens, its stop token included, for which the draft's argmax after
the same prefix is story-lm's token. Answers (`answer : <value>`) need a value bound to a name in the
context, which story-lm learned (facts accuracy {stats.get("teacher_facts_accuracy", "?")}); a one-layer model's last position sees only its
own token before attending once, so it cannot look up the value of the name asked about: the draft's
own facts accuracy (the same scoring) is {ag["facts_accuracy"]["draft"]} on {ag["facts_accuracy"]["items"]} items. It mostly gets the answer's kind and the
surrounding template right.

## Reference outputs

`reference.json`: story-lm's format and prompts, for this model (greedy ids from the cached path, full
logit vectors, a left-padded batch). Checks recorded there: {json.dumps(stats.get("reference_checks", {}))}.
"""
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w") as f:
        f.write(text)
