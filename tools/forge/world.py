"""The synthetic world: seeded entities with attributes, split into train / validation / evaluation.

Every person has a home city, a job, a favourite colour, an age, maybe a pet (kind + name) and
one to three owned objects (kind, colour, size). Names of validation and evaluation people (and
their pets) never occur in training text, so evaluation scores measure reading from the prompt.
"""
import random

CITIES = ["oslo", "paris", "lima", "cairo", "tokyo", "rome", "berlin", "madrid", "dublin", "vienna",
          "prague", "lisbon", "athens", "delhi", "seoul", "quito", "nairobi", "accra", "boston",
          "denver", "austin", "perth", "sydney", "toronto", "havana", "riga", "bergen", "kyoto",
          "milan", "porto", "geneva", "london"]
JOBS = ["baker", "farmer", "teacher", "doctor", "nurse", "pilot", "painter", "writer", "singer",
        "dancer", "driver", "cook", "judge", "miner", "sailor", "tailor", "plumber", "carpenter",
        "lawyer", "banker", "poet", "vet", "chemist", "gardener", "actor", "engineer", "artist"]
COLOURS = ["red", "blue", "green", "yellow", "black", "white", "pink", "purple", "orange",
           "brown", "grey", "gold", "silver", "teal"]
PETS = ["cat", "dog", "rabbit", "parrot", "hamster", "turtle", "horse", "goat", "fish", "owl",
        "frog", "mouse", "pony", "duck"]
OBJECTS = ["box", "kite", "bag", "hat", "ball", "lamp", "cup", "book", "bike", "boat", "chair",
           "clock", "drum", "vase", "coat", "scarf", "umbrella", "guitar", "map", "key"]
SIZES = ["small", "big", "tiny", "huge", "large"]

ONSETS = ["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
          "ch", "sh", "br", "tr", "dr", "gr", "kl", "st", ""]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ei", "ia", "y"]
CODAS = ["", "", "", "n", "r", "l", "s", "m", "k", "th"]

SPLITS = ("train", "validation", "evaluation")
N_PEOPLE = {"train": 360, "validation": 60, "evaluation": 120}


def vowel_article(word):
    return "an" if word[0] in "aeiou" else "a"


class NameMaker:
    """Pronounceable names from syllables; never a word of the world's vocabulary."""

    def __init__(self, rng, forbidden):
        self.rng = rng
        self.used = set(forbidden)

    def make(self):
        while True:
            n = self.rng.choice([1, 2, 2, 2, 3])
            name = "".join(self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(CODAS)
                           for _ in range(n))
            if 3 <= len(name) <= 9 and name not in self.used:
                self.used.add(name)
                return name


def vocabulary_words():
    words = set(CITIES + JOBS + COLOURS + PETS + OBJECTS + SIZES)
    words |= {"is", "a", "an", "the", "in", "of", "has", "and", "to", "at", "it", "he", "she", "they",
              "was", "were", "who", "what", "where", "how", "old", "so", "on", "by", "as", "be",
              "are", "we", "you", "me", "my", "no", "do", "go", "up", "its", "his", "her", "one",
              "two", "day", "sun", "ran", "met", "sat", "had", "him", "say", "see", "saw", "yes",
              "json", "text", "fix", "topic", "question", "answer", "context", "fixed", "true",
              "false", "null", "name", "city", "job", "age", "pet", "colour", "size", "kind"}
    return words


class Person:
    def __init__(self, name, city, job, colour, age, pet, objects):
        self.name, self.city, self.job, self.colour, self.age = name, city, job, colour, age
        self.pet = pet            # None or (kind, name)
        self.objects = objects    # list of (kind, colour, size), distinct kinds

    def to_json(self):
        return {"name": self.name, "city": self.city, "job": self.job, "colour": self.colour,
                "age": self.age, "pet": list(self.pet) if self.pet else None,
                "objects": [list(o) for o in self.objects]}


def random_person(rng, names, pet_names):
    pet = (rng.choice(PETS), pet_names.make()) if rng.random() < 0.85 else None
    kinds = rng.sample(OBJECTS, rng.randint(1, 3))
    objects = [(k, rng.choice(COLOURS), rng.choice(SIZES)) for k in kinds]
    return Person(names.make(), rng.choice(CITIES), rng.choice(JOBS), rng.choice(COLOURS),
                  rng.randint(5, 95), pet, objects)


class World:
    """people[split] -> list of Person; `fresh(rng)` makes throw-away training people whose names
    come from the training name space (disjoint from validation/evaluation names)."""

    def __init__(self, seed=1234):
        rng = random.Random(seed)
        forbidden = vocabulary_words()
        self.names = NameMaker(rng, forbidden)
        self.pet_names = self.names  # one name space: a pet never shares a person's name
        self.people = {}
        for split in SPLITS:
            self.people[split] = [random_person(rng, self.names, self.pet_names)
                                  for _ in range(N_PEOPLE[split])]
        # reserved: the name makers remember every held-out name, so fresh names never collide
        self.heldout_names = {p.name for s in ("validation", "evaluation") for p in self.people[s]}
        self.heldout_names |= {p.pet[1] for s in ("validation", "evaluation") for p in self.people[s] if p.pet}

    def fresh_people(self, rng, n):
        """Throw-away training people (new names, random attributes): they force the model to
        read facts from the context rather than remember them."""
        names = NameMaker(rng, self.names.used)
        return [random_person(rng, names, names) for _ in range(n)]
