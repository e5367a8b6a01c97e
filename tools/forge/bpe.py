"""Byte-level BPE (GPT-2 style), trained from scratch, written as a Hugging Face tokenizer.json.

Pre-tokenisation is GPT-2's regex (the same one Hugging Face's ByteLevel pre-tokenizer uses with
use_regex=true, add_prefix_space=false); the letter / number classes are
emulated with Python's Unicode-aware \w and \d (see PRETOKEN). Encoding applies merges lowest rank first, like the Rust `tokenizers` BPE.
"""
import heapq
import json
import re
from collections import Counter, defaultdict

EOT = "<|endoftext|>"
# GPT-2's pattern with \p{L} written as [^\W\d_] (Unicode letters) and \p{N} as \d: identical on
# ASCII, and on ordinary accented letters / symbols; exotic numerals (e.g. superscripts) may differ.
PRETOKEN = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {v: k for k, v in BYTE_ENCODER.items()}


def pretokenize(text):
    return ["".join(BYTE_ENCODER[b] for b in piece.encode("utf-8")) for piece in PRETOKEN.findall(text)]


def train(texts, vocab_size, min_count=2):
    """Returns (vocab dict token->id, merges list of (a, b)). id 0 is the end-of-text token,
    ids 1..256 the byte symbols in byte order, then one token per merge."""
    words = Counter()
    for t in texts:
        words.update(pretokenize(t))
    vocab = {EOT: 0}
    for b in range(256):
        vocab[BYTE_ENCODER[b]] = len(vocab)
    seqs = [list(w) for w in words]
    counts = [words[w] for w in words]
    pair_count = Counter()
    pair_where = defaultdict(set)
    for i, s in enumerate(seqs):
        for a, b in zip(s, s[1:]):
            pair_count[(a, b)] += counts[i]
            pair_where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    while len(vocab) < vocab_size and heap:
        c, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -c:
            continue  # stale entry
        if -c < min_count:
            break
        merges.append(pair)
        new = pair[0] + pair[1]
        vocab[new] = len(vocab)
        changed = set()
        for i in list(pair_where[pair]):
            s = seqs[i]
            for a, b in zip(s, s[1:]):
                pair_count[(a, b)] -= counts[i]
                changed.add((a, b))
            out, j = [], 0
            while j < len(s):
                if j + 1 < len(s) and s[j] == pair[0] and s[j + 1] == pair[1]:
                    out.append(new)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            seqs[i] = out
            for a, b in zip(out, out[1:]):
                pair_count[(a, b)] += counts[i]
                pair_where[(a, b)].add(i)
                changed.add((a, b))
        del pair_count[pair]
        pair_where.pop(pair, None)
        for p in changed:
            if pair_count.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_count[p], p))
    return vocab, merges


class Tokenizer:
    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.inv = {i: t for t, i in vocab.items()}
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.merges = [tuple(m) for m in merges]
        self.cache = {}
        self.eot_id = vocab[EOT]

    @staticmethod
    def load(path):
        d = json.load(open(path))
        merges = [m.split(" ") if isinstance(m, str) else m for m in d["model"]["merges"]]
        return Tokenizer(d["model"]["vocab"], merges)

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best, best_i = None, -1
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, best_i = r, i
            if best is None:
                break
            a, b = self.merges[best]
            out, j = [], 0
            while j < len(parts):
                if j + 1 < len(parts) and parts[j] == a and parts[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(parts[j])
                    j += 1
            parts = out
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        """Ids of text; a literal "<|endoftext|>" becomes the special token (as in tokenizers)."""
        ids = []
        for k, chunk in enumerate(text.split(EOT)):
            if k:
                ids.append(self.eot_id)
            for w in pretokenize(chunk):
                ids.extend(self._bpe(w))
        return ids

    def decode(self, ids):
        toks = "".join(self.inv[i] if i != self.eot_id else "" for i in ids)
        return bytearray(BYTE_DECODER[c] for c in toks).decode("utf-8", errors="replace")

    def token(self, i):
        return self.inv[i]

    def to_hf_json(self):
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": 0, "content": EOT, "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": True, "special": True}],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                              "use_regex": True},
            "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                               "use_regex": True},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                        "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None,
                      "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                      "byte_fallback": False, "vocab": self.vocab,
                      "merges": [a + " " + b for a, b in self.merges]},
        }

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.to_hf_json(), f, ensure_ascii=False, indent=None)
