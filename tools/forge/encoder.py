"""A small bidirectional transformer encoder (pre-LayerNorm blocks, rotary positions, GELU MLP) and
heads on top of it: `MLMHead` (masked-language-model logits over the vocabulary, tied to the input
embedding). Shared by the encoder models (story-mlm; later a per-token tagger).

Positions: rotary (RoPE, "rotate_half" layout as in model.py), position ids computed inside the
forward pass as cumsum(attention_mask) - 1, so the graph needs only input_ids and attention_mask
and a right- or left-padded row gives its real tokens the positions 0, 1, 2, ... as unpadded.
Rotary positions are relative, so there is no learned position table and no hard length limit
(max_position_embeddings is nominal).

Padding: a key whose attention_mask is 0 gets an additive bias of NEG (finite, so a row with no
real token gives a uniform distribution, never NaN); there is no causal mask. Padding query rows
are computed like any other and should be ignored by the caller.

forward has no Python branches on tensor shapes, so it traces to one ONNX graph with dynamic batch
and sequence axes.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from model import NEG, rotate_half


class EncoderConfig:
    def __init__(self, vocab_size, hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                 head_dim=32, intermediate_size=512, max_position_embeddings=1024,
                 rope_theta=10000.0, layer_norm_eps=1e-5):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.head_dim = head_dim
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.rope_theta = rope_theta
        self.layer_norm_eps = layer_norm_eps

    def to_dict(self):
        return dict(self.__dict__)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.d = c.num_attention_heads, c.head_dim
        self.q = nn.Linear(c.hidden_size, self.h * self.d, bias=False)
        self.k = nn.Linear(c.hidden_size, self.h * self.d, bias=False)
        self.v = nn.Linear(c.hidden_size, self.h * self.d, bias=False)
        self.o = nn.Linear(self.h * self.d, c.hidden_size, bias=False)

    def forward(self, x, cos, sin, bias):
        b, s = x.shape[0], x.shape[1]
        q = self.q(x).view(b, s, self.h, self.d).transpose(1, 2)      # [b, h, s, d]
        k = self.k(x).view(b, s, self.h, self.d).transpose(1, 2)
        v = self.v(x).view(b, s, self.h, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.d))
        att = torch.softmax(att + bias, dim=-1)                        # bias: [b, 1, 1, s]
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, s, self.h * self.d)
        return self.o(y)


class EncoderBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.attn = SelfAttention(c)
        self.ln2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.fc = nn.Linear(c.hidden_size, c.intermediate_size)
        self.proj = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x, cos, sin, bias):
        x = x + self.attn(self.ln1(x), cos, sin, bias)
        return x + self.proj(F.gelu(self.fc(self.ln2(x))))


def _init(m):
    if isinstance(m, (nn.Linear, nn.Embedding)):
        nn.init.normal_(m.weight, std=0.02)
    if isinstance(m, nn.Linear) and m.bias is not None:
        nn.init.zeros_(m.bias)


class Encoder(nn.Module):
    """input_ids, attention_mask [b, s] -> hidden states [b, s, hidden] (after a final LayerNorm)."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.wte = nn.Embedding(c.vocab_size, c.hidden_size)
        self.blocks = nn.ModuleList([EncoderBlock(c) for _ in range(c.num_hidden_layers)])
        self.ln_f = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        inv = 1.0 / (c.rope_theta ** (torch.arange(0, c.head_dim, 2).float() / c.head_dim))
        self.register_buffer("inv_freq", inv, persistent=False)
        self.apply(_init)
        for blk in self.blocks:  # GPT-2 style scaled init of residual projections
            nn.init.normal_(blk.attn.o.weight, std=0.02 / math.sqrt(2 * c.num_hidden_layers))
            nn.init.normal_(blk.proj.weight, std=0.02 / math.sqrt(2 * c.num_hidden_layers))

    def forward(self, input_ids, attention_mask):
        x = self.wte(input_ids)
        pos = torch.cumsum(attention_mask, dim=-1) - 1                        # [b, s]
        freqs = pos.unsqueeze(-1).to(torch.float32) * self.inv_freq           # [b, s, d/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)                  # [b, 1, s, d]
        cos, sin = emb.cos(), emb.sin()
        bias = (1.0 - attention_mask.to(torch.float32)) * NEG                # [b, s] keys
        bias = bias.unsqueeze(1).unsqueeze(1)                                 # [b, 1, 1, s]
        for blk in self.blocks:
            x = blk(x, cos, sin, bias)
        return self.ln_f(x)


class MLMHead(nn.Module):
    """BERT-style head: dense + GELU + LayerNorm, then the transposed input embedding (tied, stored
    once) plus an output bias."""

    def __init__(self, c, embedding):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.embedding = embedding          # nn.Embedding shared with the encoder
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        _init(self.dense)

    def forward(self, h):
        h = self.ln(F.gelu(self.dense(h)))
        return torch.matmul(h, self.embedding.weight.t()) + self.bias


class MaskedLM(nn.Module):
    """Encoder + MLMHead. forward(input_ids, attention_mask) -> logits [b, s, vocab];
    `hidden` and `head` separately let training score only the chosen positions."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.encoder = Encoder(c)
        self.head = MLMHead(c, self.encoder.wte)

    def forward(self, input_ids, attention_mask):
        return self.head(self.encoder(input_ids, attention_mask))

    def num_parameters(self):
        return sum(p.numel() for p in self.parameters())   # the tied embedding counted once
