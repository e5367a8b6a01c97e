"""Example generators over the world: facts, recall, stories with filler, copy-with-edit, JSON,
extractive questions, labelled sentences. Every generator takes a random.Random and a pool of
people and returns a dict that keeps its ground truth plus the `text` the LM trains on.

Text format: lower-case words separated by single spaces, punctuation as its own word
("mia lives in oslo ."). A document's text always ends with "\\n"; the trainer appends the
end-of-text token. A question's answer is immediately followed by that "\\n".
"""
import json
import random

from world import CITIES, COLOURS, JOBS, OBJECTS, PETS, SIZES, vowel_article

FILLERS_PREFIX = ["one sunny morning ,", "as always ,", "you know ,", "by the way ,", "to be honest ,",
                  "well ,", "of course ,", "as usual ,", "believe it or not ,", "later that day ,",
                  "in fact ,", "at that time ,"]
FILLERS_ADVERB = ["really", "actually", "just", "truly", "still"]

PLACES = ["market", "park", "station", "library", "harbour", "museum", "garden", "bakery", "school",
          "river", "bridge", "castle", "cafe", "beach", "forest"]
PLACE_ADJ = ["old", "new", "quiet", "busy", "little", "green", "crowded", "empty"]
FOODS = ["bread", "soup", "cake", "fish", "rice", "apples", "pie", "cheese", "pasta", "tea"]


# Question documents start with this header so that no name is the document's first word:
# byte-level BPE tokenises a word differently with and without a leading space (" mia" vs "mia"),
# and a name must look the same in the context and in the question to be matched.
HEADER = "context : "


def W(text, keep=True):
    return [(w, keep) for w in text.split()]


def words_text(words):
    return " ".join(w for w, _ in words)


# ----------------------------------------------------------------------------------- facts
def relations(p):
    rels = ["city", "job", "colour", "age"]
    if p.pet:
        rels += ["pet_kind", "pet_name"]
    for o in p.objects:
        rels += ["obj_colour:" + o[0], "obj_size:" + o[0]]
    return rels


def _obj(p, kind):
    return next(o for o in p.objects if o[0] == kind)


def fact_words(p, rel, rng, filler_rate=0.0):
    """One sentence stating `rel` of person p, as (word, keep) pairs."""
    n = p.name
    if rel == "city":
        t = rng.choice(["{n} lives in {c} .", "{n} is from {c} .", "{n} has a home in {c} .",
                        "the home of {n} is in {c} .", "{n} lives in the city of {c} .",
                        "{n} grew up in {c} and still lives there ."]).format(n=n, c=p.city)
    elif rel == "job":
        t = rng.choice(["{n} is {a} {j} .", "{n} works as {a} {j} .", "the job of {n} is {j} .",
                        "{n} earns a living as {a} {j} ."]).format(n=n, j=p.job, a=vowel_article(p.job))
    elif rel == "colour":
        t = rng.choice(["the favourite colour of {n} is {c} .", "{n} likes the colour {c} best .",
                        "{n} loves the colour {c} .", "{c} is the favourite colour of {n} ."]
                       ).format(n=n, c=p.colour)
    elif rel == "age":
        t = rng.choice(["{n} is {a} years old .", "the age of {n} is {a} .",
                        "{n} turned {a} this year ."]).format(n=n, a=p.age)
    elif rel == "pet_kind":
        t = rng.choice(["{n} has a pet {k} .", "{n} owns {a} {k} .", "{n} keeps {a} {k} at home .",
                        "{n} has {a} {k} called {pn} ."]).format(n=n, k=p.pet[0], pn=p.pet[1],
                                                                  a=vowel_article(p.pet[0]))
    elif rel == "pet_name":
        t = rng.choice(["{n} has {a} {k} called {pn} .", "the {k} of {n} is named {pn} .",
                        "{n} owns {a} {k} named {pn} ."]).format(n=n, k=p.pet[0], pn=p.pet[1],
                                                                 a=vowel_article(p.pet[0]))
    elif rel.startswith("obj_colour:"):
        k, c, s = _obj(p, rel.split(":")[1])
        t = rng.choice(["{n} has a {s} {c} {k} .", "{n} owns a {c} {k} .", "the {k} of {n} is {c} .",
                        "{n} bought a {s} {c} {k} ."]).format(n=n, k=k, c=c, s=s)
    elif rel.startswith("obj_size:"):
        k, c, s = _obj(p, rel.split(":")[1])
        t = rng.choice(["{n} has a {s} {c} {k} .", "the {k} of {n} is {s} .",
                        "{n} bought a {s} {c} {k} ."]).format(n=n, k=k, c=c, s=s)
    else:
        raise ValueError(rel)
    words = W(t)
    if filler_rate and rng.random() < filler_rate:
        words = add_filler(words, n, rng)
    return words


def add_filler(words, name, rng):
    """Insert a droppable filler phrase (keep=False); removing it leaves the sentence intact."""
    r = rng.random()
    if r < 0.55:
        return W(rng.choice(FILLERS_PREFIX), False) + words
    if r < 0.8 and len(words) > 2 and words[0][0] == name and words[1][0] in (
            "lives", "likes", "loves", "has", "owns", "keeps", "works", "bought", "went", "met", "is"):
        return words[:1] + W(rng.choice(FILLERS_ADVERB), False) + words[1:]
    return words[:-1] + W(rng.choice([", you know", ", as always", ", i think", ", of course"]), False) + words[-1:]


def question(p, rel, rng):
    n = p.name
    if rel == "city":
        q = rng.choice(["where does {n} live ?", "which city does {n} live in ?", "what city is {n} from ?",
                        "where is the home of {n} ?"]); a = p.city
    elif rel == "job":
        q = rng.choice(["what is the job of {n} ?", "what does {n} do for work ?", "what does {n} work as ?"])
        a = p.job
    elif rel == "colour":
        q = rng.choice(["what is the favourite colour of {n} ?", "which colour does {n} like best ?"])
        a = p.colour
    elif rel == "age":
        q = rng.choice(["how old is {n} ?", "what is the age of {n} ?"]); a = str(p.age)
    elif rel == "pet_kind":
        q = rng.choice(["what pet does {n} have ?", "what kind of pet does {n} own ?",
                        "what animal does {n} keep ?"]); a = p.pet[0]
    elif rel == "pet_name":
        q = rng.choice(["what is the name of the pet of {n} ?", "what is the {k} of {n} called ?"])
        a = p.pet[1]
    elif rel.startswith("obj_colour:"):
        k, c, s = _obj(p, rel.split(":")[1])
        q = rng.choice(["what colour is the {k} of {n} ?", "which colour is the {k} that {n} has ?"])
        a = c
    elif rel.startswith("obj_size:"):
        k, c, s = _obj(p, rel.split(":")[1])
        q = rng.choice(["how big is the {k} of {n} ?", "what size is the {k} of {n} ?"]); a = s
    else:
        raise ValueError(rel)
    k = p.pet[0] if p.pet else ""
    if rel.startswith("obj_"):
        k = rel.split(":")[1]
    return q.format(n=n, k=k), a


def qa_suffix(q, a):
    return " question : " + q + " answer :", " " + a + "\n"


def pick_others(rng, pool, target, n):
    others = []
    while len(others) < n:
        p = rng.choice(pool)
        if p is not target and p not in others and p.name != target.name:
            others.append(p)
    return others


def facts_example(rng, pool, filler_rate=0.1):
    """A short context (the fact plus 0-3 others) and a question on it."""
    target = rng.choice(pool)
    rel = rng.choice(relations(target))
    stated = [(target, rel)]
    n_other = rng.choice([0, 1, 1, 2, 2, 3, 3])
    others = pick_others(rng, pool, target, n_other)
    for o in others:
        # same relation on another person is the most useful distractor
        orel = rel if (rng.random() < 0.5 and rel in relations(o)) else rng.choice(relations(o))
        stated.append((o, orel))
    if rng.random() < 0.3:
        extra = [r for r in relations(target) if r != rel and not _same_sentence_risk(rel, r)]
        if extra:
            stated.append((target, rng.choice(extra)))
    rng.shuffle(stated)
    ctx_words = []
    for p, r in stated:
        ctx_words += fact_words(p, r, rng, filler_rate)
    q, a = question(target, rel, rng)
    qp, ans = qa_suffix(q, a)
    prompt = HEADER + words_text(ctx_words) + qp
    return {"kind": "facts", "prompt": prompt, "answer": a, "text": prompt + ans,
            "relation": rel.split(":")[0], "entity": target.name}


def _same_sentence_risk(rel, r):
    return False


def facts_drill_example(rng, pool, max_questions=4):
    """Training only: a context of 2-6 facts about 2-4 people, mostly the same relations on
    different people, then several questions on it, each answered on its own line. Every answer
    is a lesson in binding a value to its name, so one context teaches several."""
    people = rng.sample(pool, rng.randint(2, 4))
    shared = rng.sample(relations(people[0]), 2)
    stated = []
    for p in people:
        for r in shared if rng.random() < 0.7 else [rng.choice(relations(p))]:
            if r in relations(p) and rng.random() < 0.8:
                stated.append((p, r))
    if len(stated) < 2:
        stated.append((people[-1], rng.choice(relations(people[-1]))))
    stated = list(dict.fromkeys((p.name, r) for p, r in stated))
    by_name = {p.name: p for p in people}
    rng.shuffle(stated)
    ctx = []
    for n, r in stated:
        ctx += fact_words(by_name[n], r, rng, 0.1)
    text = HEADER + words_text(ctx)
    asked = rng.sample(stated, min(len(stated), rng.randint(1, max_questions)))
    for i, (n, r) in enumerate(asked):
        q, a = question(by_name[n], r, rng)
        qp, ans = qa_suffix(q, a)
        text += (qp if i == 0 else qp.lstrip()) + ans
    return {"kind": "facts_drill", "text": text}


# ----------------------------------------------------------------------------------- events
def event_words(p, rng, pool):
    """A fact-free story sentence (distractor / story glue)."""
    other = rng.choice(pool)
    t = rng.choice([
        "{n} went to the {pa} {pl} .", "{n} met {o} at the {pl} .", "{n} ate some {f} for lunch .",
        "{n} walked along the {pl} with {o} .", "{n} read a book at the {pa} {pl} .",
        "{n} and {o} talked about the weather .", "{n} sang a song on the way home .",
        "{n} wrote a letter to {o} .", "it rained all day , so {n} stayed inside .",
        "{n} cooked {f} for {o} .", "{n} waited for the bus near the {pl} .",
        "the {pl} was {pa} that evening .", "{n} visited {o} after work .",
    ]).format(n=p.name, o=other.name if other.name != p.name else "a friend", pa=rng.choice(PLACE_ADJ),
              pl=rng.choice(PLACES), f=rng.choice(FOODS))
    return W(t)


# ----------------------------------------------------------------------------------- recall
def recall_example(rng, pool, filler_rate=0.2):
    """Evidence early, then distractors (same relation about other people, other facts, events),
    then the question. evidence = [start, end) char spans of the evidence sentence."""
    target = rng.choice(pool)
    rel = rng.choice(relations(target))
    sents = []
    for _ in range(rng.randint(0, 2)):
        sents.append((event_words(rng.choice(pool), rng, pool), False))
    sents.append((fact_words(target, rel, rng, filler_rate), True))
    others = pick_others(rng, pool, target, rng.randint(3, 7))
    for o in others:
        if rng.random() < 0.6 and rel in relations(o):
            sents.append((fact_words(o, rel, rng, filler_rate), False))
        else:
            sents.append((fact_words(o, rng.choice(relations(o)), rng, filler_rate), False))
        if rng.random() < 0.5:
            sents.append((event_words(rng.choice([target, o]), rng, pool), False))
    prompt, spans, pos = HEADER.rstrip(), [], 0
    for words, is_ev in sents:
        s = words_text(words)
        if prompt:
            prompt += " "
        start = len(prompt)
        prompt += s
        if is_ev:
            spans.append([start, len(prompt)])
    q, a = question(target, rel, rng)
    qp, ans = qa_suffix(q, a)
    prompt += qp
    return {"kind": "recall", "prompt": prompt, "answer": a, "evidence": spans, "text": prompt + ans,
            "relation": rel.split(":")[0], "entity": target.name}


# ----------------------------------------------------------------------------------- compression
def compression_example(rng, pool, filler_rate=0.45):
    """A story with droppable fillers, a question and its answer. words[i].keep says whether the
    i-th space-separated word of `context` must be kept."""
    people = [rng.choice(pool)] + pick_others(rng, pool, None, 0)
    target = people[0]
    others = pick_others(rng, pool, target, rng.randint(1, 2))
    rels = rng.sample(relations(target), min(len(relations(target)), rng.randint(2, 4)))
    sents = [fact_words(target, r, rng, filler_rate) for r in rels]
    for o in others:
        sents.append(fact_words(o, rng.choice(relations(o)), rng, filler_rate))
        sents.append(event_words(o, rng, pool))
    sents.append(event_words(target, rng, pool))
    rng.shuffle(sents)
    sents = [s if rng.random() > filler_rate * 0.5 or not s or not s[0][1] else add_filler(s, s[0][0], rng)
             for s in sents]
    words = [w for s in sents for w in s]
    context = words_text(words)
    rel = rng.choice(rels)
    q, a = question(target, rel, rng)
    qp, ans = qa_suffix(q, a)
    return {"kind": "compression", "context": context, "question": q, "answer": a,
            "words": [{"word": w, "keep": k} for w, k in words],
            "prompt": HEADER + context + qp, "text": HEADER + context + qp + ans}


# ----------------------------------------------------------------------------------- copy-edit
SWAPS = {"lives": "live", "has": "have", "is": "are", "owns": "own", "works": "work", "likes": "like",
         "loves": "love", "went": "goed", "ate": "eated", "the": "teh", "and": "adn"}


def corrupt_word(w, rng):
    if w in SWAPS and rng.random() < 0.5:
        return SWAPS[w]
    if len(w) < 3 or not w.isalpha():
        return None
    i = rng.randrange(len(w) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap" and w[i] != w[i + 1]:
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    if op == "drop":
        return w[:i] + w[i + 1:]
    return w[:i] + w[i] + w[i:]


def copyedit_example(rng, pool):
    p = rng.choice(pool)
    sents = [fact_words(p, rng.choice(relations(p)), rng)]
    if rng.random() < 0.6:
        sents.append(rng.choice([fact_words(p, rng.choice(relations(p)), rng), event_words(p, rng, pool)]))
    target = " ".join(words_text(s) for s in sents)
    words = target.split()
    n_err = rng.choice([1, 1, 2, 2, 3])
    edits = 0
    for _ in range(20):
        if edits >= n_err:
            break
        i = rng.randrange(len(words))
        if rng.random() < 0.1 and words[i].isalpha():
            words.insert(i, words[i]); edits += 1; continue
        c = corrupt_word(words[i], rng)
        if c and c != words[i]:
            words[i] = c; edits += 1
    source = " ".join(words)
    if source == target:
        source = target.replace(" ", "  ", 0)
        words = target.split(); words.insert(0, words[0]); source = " ".join(words)
    prompt = "fix : " + source + " fixed :"
    return {"kind": "copyedit", "source": source, "target": target, "prompt": prompt,
            "text": prompt + " " + target + "\n"}


# ----------------------------------------------------------------------------------- json
KEY_REL = {"city": "city", "job": "job", "colour": "colour", "age": "age", "pet": "pet_kind"}


def json_example(rng, pool):
    p = rng.choice(pool)
    keys = ["city", "job", "colour", "age"] + (["pet"] if p.pet else [])
    keys = ["name"] + sorted(rng.sample(keys, rng.randint(1, min(4, len(keys)))), key=keys.index)
    rels = [KEY_REL[k] for k in keys[1:]]
    ctx = [fact_words(p, r, rng) for r in rels]
    rng.shuffle(ctx)
    record = {"name": p.name}
    props = {"name": {"type": "string"}}
    for k in keys[1:]:
        if k == "age":
            record[k] = p.age; props[k] = {"type": "integer"}
        elif k == "pet":
            record[k] = p.pet[0]; props[k] = {"type": "string", "enum": PETS}
        else:
            val = getattr(p, k)
            record[k] = val
            props[k] = {"type": "string", "enum": {"city": CITIES, "job": JOBS, "colour": COLOURS}[k]}
    schema = {"type": "object", "properties": props, "required": keys, "additionalProperties": False}
    instruction = (" ".join(words_text(s) for s in ctx) + " write the record of " + p.name +
                   " as json with keys " + " , ".join(keys) + " .")
    prompt = instruction + " json :"
    return {"kind": "json", "instruction": instruction, "schema": schema, "record": record,
            "prompt": prompt, "text": prompt + " " + json.dumps(record) + "\n"}


# ----------------------------------------------------------------------------------- extract
def extract_example(rng, pool):
    """Context with several sentences; the answer is a span of the context (multi-word)."""
    p = rng.choice(pool)
    others = pick_others(rng, pool, p, 2)
    kind = rng.choice(["object", "place", "meet"])
    if kind == "object":
        k, c, s = rng.choice(p.objects)
        ans = "a {} {} {}".format(s, c, k)
        key = rng.choice(["{n} has " + ans + " .", "{n} bought " + ans + " at the market .",
                          "{n} found " + ans + " in the garden ."]).format(n=p.name)
        q = rng.choice(["what does {n} have ?", "what did {n} get ?", "which thing belongs to {n} ?"])
    elif kind == "place":
        ans = "the {} {}".format(rng.choice(PLACE_ADJ), rng.choice(PLACES))
        key = rng.choice(["{n} went to " + ans + " .", "in the morning {n} walked to " + ans + " ."]
                         ).format(n=p.name)
        q = rng.choice(["where did {n} go ?", "which place did {n} visit ?"])
    else:
        ans = others[0].name
        key = rng.choice(["{n} met {a} at the station .", "{n} had lunch with {a} ."]).format(n=p.name, a=ans)
        q = rng.choice(["who did {n} meet ?", "who was with {n} ?"])
    q = q.format(n=p.name)
    sents = [key]
    o = others[1]
    sents.append(words_text(fact_words(o, rng.choice(relations(o)), rng)))
    sents.append(words_text(event_words(o, rng, [o, others[1]])))  # never about p
    sents.append(words_text(fact_words(p, rng.choice(["city", "job", "colour", "age"]), rng)))
    rng.shuffle(sents)
    context = " ".join(sents)
    start = context.index(key) + key.index(ans)
    assert context[start:start + len(ans)] == ans
    prompt = "context : " + context + " question : " + q + " answer :"
    return {"kind": "extract", "context": context, "question": q, "answer": ans,
            "span": [start, start + len(ans)], "prompt": prompt, "text": prompt + " " + ans + "\n"}


# ----------------------------------------------------------------------------------- labels
LABEL_TEMPLATES = {
    "weather": {
        "positive": ["{n} enjoyed the {w} sunny day .", "the sky was clear and {n} felt happy .",
                     "a {w} breeze made {n} smile ."],
        "negative": ["{n} got wet in the cold rain .", "the storm kept {n} awake all night .",
                     "the grey fog made {n} feel sad ."],
        "neutral": ["it was cloudy when {n} woke up .", "the forecast said rain for {c} ."]},
    "food": {
        "positive": ["{n} loved the {fa} {f} .", "the {f} tasted great to {n} .", "{n} enjoyed a {fa} {f} ."],
        "negative": ["{n} hated the {fb} {f} .", "the {f} was {fb} and {n} felt sick .",
                     "{n} threw away the {fb} {f} ."],
        "neutral": ["{n} ate some {f} .", "{n} bought {f} for dinner ."]},
    "work": {
        "positive": ["{n} finished the work early and felt proud .", "the boss praised {n} today .",
                     "{n} won a prize at work ."],
        "negative": ["{n} lost an important paper at work .", "{n} was blamed for a mistake at work .",
                     "the long shift left {n} tired and upset ."],
        "neutral": ["{n} started work at nine .", "{n} had a meeting at work ."]},
    "pets": {
        "positive": ["the {p} of {n} played happily in the garden .", "{n} loves walking the {p} .",
                     "the little {p} made {n} laugh ."],
        "negative": ["the {p} of {n} ran away and did not come back .", "the {p} of {n} was ill all week .",
                     "the {p} broke a vase and {n} was angry ."],
        "neutral": ["{n} fed the {p} at six .", "the {p} of {n} sleeps in a basket ."]},
    "travel": {
        "positive": ["{n} had a lovely trip to {c} .", "the train to {c} was fast and {n} was glad .",
                     "{n} enjoyed every day in {c} ."],
        "negative": ["the train to {c} was late and {n} was angry .", "{n} lost a bag on the way to {c} .",
                     "the trip to {c} was a disaster for {n} ."],
        "neutral": ["{n} took a train to {c} .", "{n} flew to {c} on monday ."]},
    "home": {
        "positive": ["{n} painted the kitchen and it looked nice .", "the new sofa made {n} very happy .",
                     "{n} loves the warm cosy house ."],
        "negative": ["the roof of {n} leaked again .", "the heater broke and {n} was cold all night .",
                     "{n} hated the noisy flat ."],
        "neutral": ["{n} cleaned the house on sunday .", "{n} moved the table to the hall ."]},
}
TOPICS = list(LABEL_TEMPLATES)
SENTIMENTS = ["positive", "negative", "neutral"]


def labels_example(rng, pool):
    p = rng.choice(pool)
    topic = rng.choice(TOPICS)
    sentiment = rng.choice(SENTIMENTS)
    t = rng.choice(LABEL_TEMPLATES[topic][sentiment]).format(
        n=p.name, w=rng.choice(["warm", "bright", "lovely"]), c=p.city, f=rng.choice(FOODS),
        fa=rng.choice(["fresh", "warm", "sweet", "tasty"]), fb=rng.choice(["stale", "burnt", "sour", "cold"]),
        p=p.pet[0] if p.pet else rng.choice(PETS))
    prompt = "text : " + t + " topic :"
    return {"kind": "labels", "text_": t, "topic": topic, "sentiment": sentiment,
            "prompt": prompt, "text": prompt + " " + topic + " sentiment : " + sentiment + "\n"}


# ----------------------------------------------------------------------------------- stories
def story_example(rng, pool, filler_rate=0.25):
    """A free story about a few people, facts several sentences apart; ends with a question half
    of the time."""
    people = [rng.choice(pool)] + pick_others(rng, pool, None, 0)
    people += pick_others(rng, pool, people[0], rng.randint(1, 2))
    sents = []
    for _ in range(rng.randint(4, 9)):
        p = rng.choice(people)
        if rng.random() < 0.5:
            sents.append(fact_words(p, rng.choice(relations(p)), rng, filler_rate))
        else:
            ev = event_words(p, rng, people)
            sents.append(add_filler(ev, p.name, rng) if rng.random() < filler_rate else ev)
    text = " ".join(words_text(s) for s in sents)
    if rng.random() < 0.5:
        # ask about a fact that was stated
        stated = [(p, r) for p in people for r in relations(p)
                  if any(p.name in words_text(s) for s in sents)]
        p = people[0]
        r = rng.choice(relations(p))
        facts_line = words_text(fact_words(p, r, rng))
        text = text + " " + facts_line
        q, a = question(p, r, rng)
        qp, ans = qa_suffix(q, a)
        return {"kind": "story", "text": HEADER + text + qp + ans}
    return {"kind": "story", "text": text + "\n"}


GENERATORS = {
    "facts": facts_example, "recall": recall_example, "compression": compression_example,
    "copyedit": copyedit_example, "json": json_example, "extract": extract_example,
    "labels": labels_example, "story": story_example,
}

# share of each kind in the LM training mix: question documents dominate, because reading a fact
# from the prompt (binding a value to its name) is the skill the default model must have
TRAIN_MIX = {"facts_drill": 0.70, "facts": 0.30}
# named mixes for `forge.py candidate --mix NAME` (a candidate model in its own folder; `forge.py all`
# and every other stage keep using TRAIN_MIX). "all-tasks": question documents keep most of the weight
# (facts 68%, recall / compression 6%, extract 8%, all with " answer :"), plus the other kinds that
# models/eval asks for (copy-with-edit, JSON records) and free stories. Not labels: some of its
# templates name no person ("the forecast said rain for delhi ."), so training documents would repeat
# labels.jsonl items word for word (candidate.build_corpus checks that no evaluation item is trained on).
MIXES = {
    "default": TRAIN_MIX,
    "all-tasks": {"facts_drill": 0.50, "facts": 0.18, "recall": 0.04, "compression": 0.02,
                  "extract": 0.08, "copyedit": 0.08, "json": 0.06, "story": 0.04},
    # more copy-with-edit and JSON (their outputs carry no " answer :" loss weight, so they learn slower)
    "all-tasks-edit": {"facts_drill": 0.40, "facts": 0.14, "recall": 0.03, "compression": 0.02,
                       "extract": 0.08, "copyedit": 0.18, "json": 0.12, "story": 0.03},
}
# the mix of the tokenizer's BPE sample (the first release's training mix; keeps tokenizer.json stable)
BPE_MIX = {"facts": 0.40, "recall": 0.20, "compression": 0.10, "story": 0.06, "extract": 0.07,
           "copyedit": 0.07, "json": 0.06, "labels": 0.04}
TRAIN_GENERATORS = dict(GENERATORS, facts_drill=facts_drill_example)


def training_documents(world, split, n, seed, fresh_share=1.0, mix=None):
    """n documents of a mix (default TRAIN_MIX) for a split. Training uses throw-away fresh people
    with probability fresh_share (always, by default: a person met twice would let the model answer
    from memory instead of from the prompt); validation uses validation people only."""
    mix = mix or TRAIN_MIX
    rng = random.Random(seed)
    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    base_pool = world.people[split]
    docs = []
    fresh = []
    for i in range(n):
        if split == "train" and rng.random() < fresh_share:
            if not fresh or i % 200 == 0:
                fresh = world.fresh_people(rng, 40)
            pool = fresh
        else:
            pool = base_pool
        kind = rng.choices(kinds, weights)[0]
        docs.append(TRAIN_GENERATORS[kind](rng, pool)["text"])
    return docs
