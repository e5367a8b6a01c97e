"""A small GPT-style decoder: pre-LayerNorm blocks, rotary positions (RoPE) driven by an explicit
position_ids input, grouped-query attention, GELU MLP, tied input/output embedding.

forward(input_ids, attention_mask, position_ids, past_kv) is the only path (training uses an empty
past) and has no Python branches on tensor shapes, so it traces into one ONNX graph that works
with an empty or a non-empty past and with left padding.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e9  # additive mask value; finite so fully masked rows (left padding) never give NaN


class Config:
    def __init__(self, vocab_size, hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                 num_key_value_heads=4, head_dim=32, intermediate_size=512,
                 max_position_embeddings=1024, rope_theta=10000.0, layer_norm_eps=1e-5):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads
        self.head_dim = head_dim
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.rope_theta = rope_theta
        self.layer_norm_eps = layer_norm_eps

    def to_dict(self):
        return dict(self.__dict__)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kvh, self.d = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.g = self.h // self.kvh
        self.q = nn.Linear(c.hidden_size, self.h * self.d, bias=False)
        self.k = nn.Linear(c.hidden_size, self.kvh * self.d, bias=False)
        self.v = nn.Linear(c.hidden_size, self.kvh * self.d, bias=False)
        self.o = nn.Linear(self.h * self.d, c.hidden_size, bias=False)

    def forward(self, x, cos, sin, bias, past_k, past_v):
        b, s = x.shape[0], x.shape[1]
        q = self.q(x).view(b, s, self.h, self.d).transpose(1, 2)      # [b, h, s, d]
        k = self.k(x).view(b, s, self.kvh, self.d).transpose(1, 2)    # [b, kvh, s, d]
        v = self.v(x).view(b, s, self.kvh, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)                              # [b, kvh, t, d]
        v = torch.cat([past_v, v], dim=2)
        # query heads h*g .. h*g+g-1 share key/value head h (as Hugging Face's repeat_kv)
        q5 = q.reshape(b, self.kvh, self.g, s, self.d)
        att = torch.matmul(q5, k.unsqueeze(2).transpose(-1, -2)) * (1.0 / math.sqrt(self.d))
        att = torch.softmax(att + bias, dim=-1)                        # bias: [b, 1, 1, s, t]
        y = torch.matmul(att, v.unsqueeze(2))                          # [b, kvh, g, s, d]
        y = y.reshape(b, self.h, s, self.d).transpose(1, 2).reshape(b, s, self.h * self.d)
        return self.o(y), k, v


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.attn = Attention(c)
        self.ln2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.fc = nn.Linear(c.hidden_size, c.intermediate_size)
        self.proj = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x, cos, sin, bias, past_k, past_v):
        a, k, v = self.attn(self.ln1(x), cos, sin, bias, past_k, past_v)
        x = x + a
        x = x + self.proj(F.gelu(self.fc(self.ln2(x))))
        return x, k, v


def last_positions(x, k):
    """x[:, -k:] for k > 0 (all of x if k exceeds its length), x for k = 0: a dynamic slice whose
    start, where(k > 0, max(seq - k, 0), 0), is computed in the graph, so the LM head runs only on
    the positions kept."""
    start = torch.where(k > 0, torch.clamp(x.shape[1] - k, min=0), torch.zeros_like(k))
    return x[:, start:]


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.wte = nn.Embedding(c.vocab_size, c.hidden_size)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.num_hidden_layers)])
        self.ln_f = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        inv = 1.0 / (c.rope_theta ** (torch.arange(0, c.head_dim, 2).float() / c.head_dim))
        self.register_buffer("inv_freq", inv, persistent=False)
        self.apply(self._init)
        for blk in self.blocks:  # GPT-2 style scaled init of residual projections
            nn.init.normal_(blk.attn.o.weight, std=0.02 / math.sqrt(2 * c.num_hidden_layers))
            nn.init.normal_(blk.proj.weight, std=0.02 / math.sqrt(2 * c.num_hidden_layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, input_ids, attention_mask, position_ids, past, logits_to_keep=None):
        """past: list of (key, value) [b, kvh, past_len, d] per layer (past_len may be 0).
        attention_mask: [b, past_len + s], 1 = real token, 0 = padding.
        logits_to_keep: optional int64 scalar tensor k: logits of the last k positions only
        (0 = all, as Hugging Face's argument of that name); None = all.
        Returns logits [b, s or k, vocab] and the list of present (key, value)."""
        s = input_ids.shape[1]
        t = attention_mask.shape[1]
        x = self.wte(input_ids)
        freqs = position_ids.unsqueeze(-1).to(torch.float32) * self.inv_freq   # [b, s, d/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)                    # [b, 1, s, d]
        cos, sin = emb.cos(), emb.sin()
        k_pos = torch.arange(t, device=input_ids.device)
        q_pos = torch.arange(s, device=input_ids.device) + (t - s)
        causal = (k_pos.unsqueeze(0) <= q_pos.unsqueeze(1))                    # [s, t]
        allowed = causal.unsqueeze(0) & (attention_mask.unsqueeze(1) > 0)       # [b, s, t]
        bias = (1.0 - allowed.to(torch.float32)) * NEG
        bias = bias.unsqueeze(1).unsqueeze(1)                                   # [b, 1, 1, s, t]
        presents = []
        for blk, (pk, pv) in zip(self.blocks, past):
            x, k, v = blk(x, cos, sin, bias, pk, pv)
            presents.append((k, v))
        x = self.ln_f(x)
        if logits_to_keep is not None:  # whether the argument is given, never its value: traces to one graph
            x = last_positions(x, logits_to_keep)
        logits = torch.matmul(x, self.wte.weight.t())
        return logits, presents

    def empty_past(self, batch):
        c = self.c
        z = torch.zeros(batch, c.num_key_value_heads, 0, c.head_dim)
        return [(z, z) for _ in range(c.num_hidden_layers)]

    def num_parameters(self):
        return sum(p.numel() for p in self.parameters())


class OnnxWrapper(nn.Module):
    """Flat signature with Optimum names for torch.onnx.export: input_ids, attention_mask,
    position_ids, the past (key, value per layer), then logits_to_keep (int64 scalar)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *rest):
        flat_past, logits_to_keep = rest[:-1], rest[-1]
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(len(flat_past) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past, logits_to_keep)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)
