"""Words for code search: tokenising, a light stemmer and the abbreviations coders and notes use."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for ranking ICD-10-CM titles.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "will",
        "with",
        "patient",
        "pt",
        "presents",
        "presented",
    ]
)

# Abbreviations common in notes and in ICD-10-CM's own inclusion terms, expanded before tokenising.
ABBREVIATIONS: dict[str, str] = {
    "t2dm": "type 2 diabetes mellitus",
    "t1dm": "type 1 diabetes mellitus",
    "dm2": "type 2 diabetes mellitus",
    "dm1": "type 1 diabetes mellitus",
    "iddm": "type 1 diabetes mellitus",
    "niddm": "type 2 diabetes mellitus",
    "dm": "diabetes mellitus",
    "htn": "hypertension",
    "hld": "hyperlipidemia",
    "chf": "congestive heart failure",
    "hf": "heart failure",
    "cad": "coronary artery disease atherosclerotic heart disease",
    "mi": "myocardial infarction",
    "stemi": "st elevation myocardial infarction",
    "nstemi": "non st elevation myocardial infarction",
    "afib": "atrial fibrillation",
    "af": "atrial fibrillation",
    "copd": "chronic obstructive pulmonary disease",
    "uri": "upper respiratory infection",
    "uti": "urinary tract infection",
    "ckd": "chronic kidney disease",
    "esrd": "end stage renal disease",
    "aki": "acute kidney failure",
    "gerd": "gastro esophageal reflux disease",
    "dvt": "deep vein thrombosis",
    "pe": "pulmonary embolism",
    "tia": "transient ischemic attack",
    "cva": "cerebral infarction",
    "bph": "benign prostatic hyperplasia",
    "osa": "obstructive sleep apnea",
    "ra": "rheumatoid arthritis",
    "oa": "osteoarthritis",
    "adhd": "attention deficit hyperactivity disorder",
    "mdd": "major depressive disorder",
    "gad": "generalized anxiety disorder",
    "ptsd": "post traumatic stress disorder",
    "hiv": "human immunodeficiency virus",
    "uti's": "urinary tract infection",
    "sob": "shortness of breath",
    "cp": "chest pain",
    "ha": "headache",
    "abd": "abdominal",
    "lbp": "low back pain",
    "hx": "history",
    "fx": "fracture",
    "r": "right",
    "l": "left",
    "bilat": "bilateral",
    "w": "with",
    "wo": "without",
    "unsp": "unspecified",
    "nos": "unspecified",
}

# Irregular or clinical word families that suffix stripping does not join.
_FAMILIES: dict[str, str] = {
    "diabetic": "diabet",
    "diabetes": "diabet",
    "renal": "kidney",
    "kidneys": "kidney",
    "nephropathy": "nephropath",
    "neuropathic": "neuropath",
    "neuropathy": "neuropath",
    "retinopathy": "retinopath",
    "hypertensive": "hypertens",
    "hypertension": "hypertens",
    "pneumonia": "pneumonia",
    "asthmatic": "asthma",
    "infected": "infect",
    "infection": "infect",
    "infectious": "infect",
    "obese": "obes",
    "obesity": "obes",
    "anemic": "anemia",
    "anaemia": "anemia",
    "feet": "foot",
    "teeth": "tooth",
    "children": "child",
    "women": "woman",
    "men": "man",
}

_SUFFIXES = ("ations", "ation", "ities", "ity", "ings", "ing", "ness", "ies", "ied", "es", "ed", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic stemmer: enough to join 'fractures' and 'fracture', 'diabetic' and 'diabetes'."""
    fam = _FAMILIES.get(word)
    if fam is not None:
        return fam
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            root = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return root + "y"
            if suffix == "s" and root.endswith(("s", "u", "i")):
                return word  # 'abscess', 'virus', 'pubis' are not plurals
            return root
    return word


def words(text: str) -> list[str]:
    """Lower-case words of a text, with abbreviations expanded (stop words kept)."""
    out: list[str] = []
    for w in _WORD.findall(text.lower()):
        expansion = ABBREVIATIONS.get(w)
        if expansion is not None:
            out.extend(expansion.split())
        else:
            out.append(w)
    return out


@lru_cache(maxsize=4096)
def token_set(text: str) -> frozenset[str]:
    """The set of `tokens` of a short, often repeated text (7th-character meanings), memoised."""
    return frozenset(tokens(text))


def tokens(text: str) -> list[str]:
    """Stemmed, stop-word-free search tokens of a text, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
