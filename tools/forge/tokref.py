"""tokenizer_reference.json: varied texts with the ids and token strings this encoder produces,
so the Java side (DJL / Rust tokenizers reading tokenizer.json) can prove the two agree."""
import json

TEXTS = [
    "mia lives in oslo .",
    "question : where does mia live ? answer : oslo",
    " oslo\n",
    "the favourite colour of zorbik is teal . question : what is the favourite colour of zorbik ? answer :",
    "kaja is 41 years old . 1234567 and 3.14 , 2024-05-17",
    '{"name": "mia", "city": "oslo", "age": 34}',
    '{"a":[1,2,{"b":null}],"c":true}',
    "double  spaces   and    more",
    "line one\nline two\n\nline four\n",
    "  leading spaces and trailing  ",
    "tabs\tand\ttabs",
    "Capital Letters And MiXeD case",
    "don't won't it's they're we've i'm you'll he'd",
    "punctuation!!! ... ?? ;; :: -- (brackets) [square] <angle>",
    "email: someone@example.com, url https://x.org/a?b=c&d=e",
    "fix : mia live in olso . fixed : mia lives in oslo .",
    "text : the soup tasted great to nils . topic : food sentiment : positive",
    "one sunny morning , you know , tom really went to the old market .",
    "x",
    "",
    " ",
    "\n",
    "a<|endoftext|>b",
    "<|endoftext|>",
    "numbers 0 00 007 1000000 99 bottles",
    "hyphen-ated under_score slash/word back\\slash",
    "unicode café naïve ünïcödé",
    "emoji 🙂 and euro €",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "trerleir owns a duck named zous . context : in the morning myk walked to the quiet market .",
]


def build(tok, path):
    entries = []
    for t in TEXTS:
        ids = tok.encode(t)
        entries.append({"text": t, "ids": ids, "tokens": [tok.token(i) for i in ids],
                        "decoded": tok.decode(ids)})
    with open(path, "w") as f:
        json.dump({"description": "ids produced by tools/forge/bpe.py for each text, no special tokens "
                                  "added; a literal <|endoftext|> is the special token id 0. "
                                  "'tokens' are the byte-level token strings as in tokenizer.json.",
                   "entries": entries}, f, ensure_ascii=False, indent=1)
