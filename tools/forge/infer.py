"""Greedy generation through the cached incremental path, single prompts and left-padded batches.
This is the decoding the Java side mirrors: no BOS is prepended; position_ids = cumsum(mask) - 1
(padding positions get 1, as in Hugging Face); stop at the end-of-text token or once the generated
text contains a newline."""
import torch

EOT_ID = 0


def left_pad(batch_ids, pad_id=EOT_ID):
    n = max(len(x) for x in batch_ids)
    ids = torch.full((len(batch_ids), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch_ids), n), dtype=torch.long)
    for i, x in enumerate(batch_ids):
        ids[i, n - len(x):] = torch.tensor(x, dtype=torch.long)
        mask[i, n - len(x):] = 1
    return ids, mask


def positions(mask):
    pos = mask.cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


@torch.no_grad()
def greedy_batch(model, tok, prompts_ids, max_new=16, stop_newline=True):
    """Returns (generated ids per row, generated text per row, truncated at the first newline)."""
    ids, mask = left_pad(prompts_ids)
    b = ids.shape[0]
    past = model.empty_past(b)
    pos = positions(mask)
    logits, past = model(ids, mask, pos, past)
    out = [[] for _ in range(b)]
    done = [False] * b
    last_pos = pos[:, -1:]
    for _ in range(max_new):
        nxt = logits[:, -1, :].argmax(-1)
        for i in range(b):
            if not done[i]:
                t = int(nxt[i])
                if t == EOT_ID:
                    done[i] = True
                    continue
                out[i].append(t)
                if stop_newline and "\n" in tok.decode(out[i]):
                    done[i] = True
        if all(done):
            break
        mask = torch.cat([mask, torch.ones(b, 1, dtype=torch.long)], 1)
        last_pos = last_pos + 1
        logits, past = model(nxt.unsqueeze(1), mask, last_pos, past)
    texts = []
    for o in out:
        s = tok.decode(o)
        texts.append(s.split("\n")[0])
    return out, texts


def answer_of(text):
    """The scoring rule: text up to the first newline (or EOS), whitespace trimmed."""
    return text.split("\n")[0].strip()
