"""Headline tense: find a sentence's main verb and put it the way headlines say it.

``compress`` calls ``headline_tense`` on the tokens of a sentence once the asides are gone:
present tense for past events and perfects ("has risen" → "rises"), passives in the present
with a finite auxiliary ("has been fined" → "is fined"), the future as written ("will sell").
Headlinese without the auxiliary ("to sell", "fined") was tried: on the BBC tuning part spaCy
found a finite main verb in 78.7% of suggestions with it and 92.3% without, at 0.005 less
ROUGE-1 (0.2316 → 0.2268, `credlens bench headline --split tune`).
Verb forms (lemma, past, participle, third person) come from lemminflect's English lexicon,
which also says whether a word like "focuses" can be a verb (``is_present_after_noun``); what
is left here is the part no library does without a tagger: which word is the main verb, and
whether its subject is plural.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

from credlens.suggest import rules as R
from credlens.suggest.tokens import bare


class _WithoutSpacy(importlib.abc.MetaPathFinder):
    """lemminflect's ``__init__`` imports spaCy whenever it is installed (to register token
    extensions we never use). The dev extra installs spaCy for the benchmarks' tagger, and
    importing it cost serving 2.7 s and 300 MB per process; so spaCy is not found while
    lemminflect loads (unless something already imported it, e.g. a benchmark)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "spacy":
            raise ImportError("spaCy is not imported by serving")
        return None


_finder = _WithoutSpacy()
sys.meta_path.insert(0, _finder)
try:
    from lemminflect import getAllLemmas, getInflection, getLemma
finally:
    sys.meta_path.remove(_finder)

#: The participles of the irregular verbs taken for verbs ("risen", "taken", "cut"). Built at
#: import, which loads lemminflect's lexicon (~0.4 s) then rather than on the first request.
_PARTICIPLES = R.EXTRA_PARTICIPLES | frozenset(
    form
    for past in R.IRREGULAR_PASTS
    for form in getInflection(getLemma(past, upos="VERB")[0], tag="VBN")
)


def is_past(word: str) -> bool:
    """Whether a lower-case word is a simple past ("rose", "announced", "set")."""
    return word in R.IRREGULAR_PASTS or (len(word) > 4 and word.endswith("ed"))


def is_participle(word: str) -> bool:
    """Whether a lower-case word is a past participle ("risen", "fined", "said")."""
    return word in _PARTICIPLES or (len(word) > 3 and word.endswith("ed"))


def is_verbish(token: str) -> bool:
    """A crude finite-verb test (no tagger offline): auxiliaries, frequent present-tense verbs
    of leads, and pasts. A capitalised word is a name, not a verb."""
    if token[:1].isupper():
        return False
    w = bare(token)
    return w in R.AUXILIARIES or w in R.PRESENT_VERBS or is_past(w)


def is_modifier(token: str) -> bool:
    """Whether a lower-case word is only ever an adjective or adverb in lemminflect's lexicon
    ("massive", "brutal", "really"; not "panic", "federal", which are nouns too): a headline
    stays a headline without it."""
    word = bare(token)
    if not word.isalpha() or token[:1].isupper() or word in R.FUNCTION_WORDS:
        return False
    tags = set(getAllLemmas(word))
    return bool(tags) and tags <= {"ADJ", "ADV"}


def present(token: str, plural: bool) -> str:
    """The present-tense form of a past or participle verb token ("won" → "wins", or "win"
    with a plural subject); anything else (a name, a number) as it is."""
    word = token.rstrip(",;:.")
    tail = token[len(word) :]
    if word != word.lower() or not word.isalpha():
        return token
    lemmas = getLemma(word, upos="VERB")
    if not lemmas:
        return token
    forms = getInflection(lemmas[0], tag="VBP" if plural else "VBZ")
    return (forms[0] if forms else word) + tail


def subject_is_plural(subject: list[str]) -> bool:
    """Whether the subject before the verb is plural, from its head: the words up to its first
    preposition, relative pronoun, verb or comma ("Shares in X" → "Shares")."""
    head: list[str] = []
    for t in subject:
        w = bare(t)
        if w in R.PHRASE_STARTS or w in ("who", "which", "that", "to") or is_verbish(t):
            break
        head.append(t)
        if t.endswith(","):
            break
    if not head:
        return False
    if any(bare(t) in ("and", "we", "they", "i", "you") for t in head):
        return True
    last, w = head[-1], bare(head[-1])
    if w in R.PLURAL_HEADS:
        return True
    # A capitalised head is a name ("Reuters"), unless it opens the sentence ("Shares rose").
    common = last[:1].islower() or len(head) == 1
    return common and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s"))


def is_present_after_noun(tokens: list[str], k: int) -> bool:
    """Whether ``tokens[k]`` is a third-person present verb right after its subject's head
    noun ("social media focuses on", "the company plans to"): a form lemminflect's lexicon
    inflects from a verb, after a lower-case word that is neither a function word nor a pure
    modifier ("UK drinks firm", "its plans", "soft drinks" are nouns)."""
    word, before = bare(tokens[k]), tokens[k - 1] if k else ""
    if not (word.endswith("s") and word.isalpha() and tokens[k][:1].islower()):
        return False
    if not before.isalpha() or not before.islower():
        return False
    if before in R.FUNCTION_WORDS or is_modifier(before):
        return False
    return any(word in getInflection(v, tag="VBZ") for v in getAllLemmas(word).get("VERB", ()))


def main_verb(tokens: list[str], start: int = 1) -> int | None:
    """Index of the first verb-like token from ``start`` outside a relative clause ("Visitors
    who booked tickets came..." → "came"; "a computer that is designed to..." → none)."""
    in_clause = False
    for k in range(max(start, 1), len(tokens)):
        if not (is_verbish(tokens[k]) or is_present_after_noun(tokens, k)):
            in_clause = False
            continue
        if bare(tokens[k - 1]) in ("who", "which", "that") or in_clause:
            in_clause = True  # the clause's verb, and the verbs chained to it
            continue
        return k
    return None


def _present_be(auxiliary: str, subject: list[str]) -> str:
    """The present of "be" for a passive's past auxiliary: its own number, else the subject's."""
    if auxiliary in ("has", "was"):
        return "is"
    if auxiliary in ("have", "were"):
        return "are"
    return "are" if subject_is_plural(subject) else "is"


def headline_tense(tokens: list[str]) -> tuple[list[str], int | None]:
    """Headline grammar for the main verb: present tense for past events ("Dollar hits") and
    perfects ("have risen" → "rise"), passives in the present with their finite auxiliary
    ("has been fined" → "is fined"), the future as written ("will sell", "is to sell").
    Headlinese "Rank to sell" / "Yukos fined" has no finite verb: a reader (and a tagger)
    parses it as a fragment. Returns the tokens and the index of the main verb (None when
    there is none to be found)."""
    v = main_verb(tokens)
    if v is None or bare(tokens[v - 1]) in ("to", "not"):
        return tokens, v
    # After a comma the subject may be a list or an aside: its number is anyone's guess.
    if any(t.endswith(",") for t in tokens[:v]):
        return tokens, v
    word = bare(tokens[v])
    nxt = bare(tokens[v + 1]) if v + 1 < len(tokens) else ""
    after = bare(tokens[v + 2]) if v + 2 < len(tokens) else ""
    out = list(tokens)
    if word in ("is", "are", "will"):
        pass  # "Rank is to sell", "Austria will turn": the finite auxiliary stays
    elif word in ("has", "have", "had", "was", "were") and nxt == "been":
        if v + 2 < len(tokens) and is_participle(after):
            out[v : v + 2] = [_present_be(word, tokens[:v])]  # "has been fined" → "is fined"
    elif word in ("was", "were") and is_participle(nxt):
        out[v] = _present_be(word, tokens[:v])  # passive: "was named" → "is named"
    elif word in ("has", "have", "had") and is_participle(nxt):
        # Perfect: "has won" → "wins", "have risen" → "rise".
        del out[v]
        # "had" says nothing of number: the subject does ("Economists had expected").
        plural = word == "have" or (word == "had" and subject_is_plural(tokens[:v]))
        out[v] = present(tokens[v + 1], plural=plural)
    elif is_past(word):
        # "a car based on X isn't expected": an auxiliary soon after means the past form
        # modifies the subject; that auxiliary's verb is the main one, left as written.
        later = next(
            (k for k in range(v + 1, min(v + 8, len(tokens))) if bare(tokens[k]) in R.FINITE),
            None,
        )
        if is_verbish(nxt):
            later = v + 1  # "people surveyed said": the participle describes the subject
        if nxt == "by" or later is not None:
            # "A team led by X found...": the main verb comes after the modifier.
            after_by = main_verb(tokens, v + 1) if later is None else later
            return tokens, after_by if after_by is not None else v
        out[v] = present(tokens[v], subject_is_plural(tokens[:v]))
    return out, v


def verb_group_end(tokens: list[str], verb: int) -> int:
    """Index of the last word of the verb group starting at ``verb``: auxiliaries, negations,
    adverbs and participles that chain to it ("has already earned", "is being turned")."""
    end = verb
    while end + 1 < len(tokens):
        nxt = tokens[end + 1]
        w = bare(nxt)
        chained = w in R.AUXILIARIES or w in R.NEGATIONS or w in R.VERB_ADVERBS
        if not (chained or is_verbish(nxt) or is_participle(w)) or nxt[:1].isupper():
            break
        end += 1
        if nxt != nxt.rstrip(",;:"):
            break
    return end
