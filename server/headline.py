"""The suggested headline: neutral, informative, true to the article, at most 14 words.

No generative model can be had offline, so the suggestion is built from the article itself:

1. **keep**: an original headline that passes the form rules, is not clickbait (the scorer's
   clickbait head) and whose content words the body supports is kept (``kept_original``).
2. **rank**: otherwise the first sentences (news puts the event in the lead) are ranked by
   centrality (cosine to the article centroid on the scorer's embeddings, or TF-IDF) plus a
   position prior, skipping questions, quotes, second person and boilerplate.
3. **compress**: cut each candidate sentence to headline length, at a few word budgets, by
   deleting words: datelines, leading time/place and subordinate clauses, parentheses and
   asides, trailing attributions ("..., a report says"), articles and possessives,
   descriptors before a name, then the tail after the last clause boundary that fits the
   budget. Quotes are kept whole or dropped whole. The only word that changes is the main
   verb, put in headline tense ("has risen" → "rises", "will sell"/"is to sell" → "to sell")
   (``compressed``; ``extractive`` when nothing changed).
4. **check**: a cut must pass the form rules (``form_problems``) and keep its main verb with
   what follows it; up to ``MAX_CANDIDATES`` such cuts go to the clickbait head, and the best
   sentence's first plain one wins, another sentence's only when much plainer
   (``least_clickbait``); the lead cut to length is the last resort (``lead``).

So every name, number and date in a suggestion comes from the article. Deterministic and
total: odd input gives a shorter or empty suggestion, never an error. Tuned constants live in
``headline_rules``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from . import headline_rules as R
from .model import Scorer, Scoring
from .model.text import split_sentences
from .salience import Matrix, centrality, sentence_vectors, words
from .schemas import Article, SuggestedHeadline
from .summary import quoted_share

# --- Form ------------------------------------------------------------------------------------

#: A cut that ends on a number with no unit or noun after it reads as cut off ("deal to
#: purchase 30"); one on a year does not ("grows in 2004"). Originals may ("Dow closes above
#: 10,000").
_BARE_COUNT = re.compile(r"(?!(?:19|20)\d\d\b)\d[\d,.]*")
_ALL_CAPS = re.compile(r"\b[A-Z][A-Z'’-]*[A-Z]\b")
_SPACE = re.compile(r"\s+")


def form_problems(text: str) -> list[str]:
    """Every form rule the headline breaks (empty when it is a fit headline)."""
    problems: list[str] = []
    toks = text.split()
    if not toks:
        return ["empty"]
    if len(toks) > R.MAX_WORDS:
        problems.append("too_many_words")
    if len(toks) < R.MIN_WORDS:
        problems.append("too_few_words")
    if len(text) > R.MAX_CHARS:
        problems.append("too_long")
    if "?" in text:
        problems.append("question")
    if "!" in text:
        problems.append("exclamation")
    if R.SECOND_PERSON.search(text):
        problems.append("second_person")
    if any(len(m.group(0)) > R.MAX_ACRONYM_LETTERS for m in _ALL_CAPS.finditer(text)):
        problems.append("all_caps")
    if _is_weak(toks[-1]) and len(toks) > 1:
        problems.append("cut_off")
    if R.LISTICLE.search(text):
        problems.append("listicle")
    if R.CLICKBAIT_PHRASES.search(text):
        problems.append("clickbait_phrase")
    # Names are exempt ("Evil Dead", "Savage Garden"): lower-case words count, and the first
    # word unless a capitalised word follows it (then it opens a name).
    opens_name = len(toks) > 1 and toks[1][:1].isupper()
    if any(
        w in R.LOADED_WORDS
        for i, tok in enumerate(toks)
        if tok[:1].islower() or (i == 0 and not opens_name)
        for w in words(tok)
    ):
        problems.append("loaded_words")
    return problems


# --- Compression -----------------------------------------------------------------------------

_PARENS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
#: " - an aside - " between spaced dashes.
_DASH_ASIDE = re.compile(r"\s+[-–—]\s+[^-–—]{1,80}?\s+[-–—]\s+")
#: A leading phrase of time, place or attribution that ends at the first comma
#: ("On Friday, ...", "In London on Thursday ahead of the meeting, ...", "According to X, ...").
#: A dateline: "DUBAI, United Arab Emirates — ", "MADRID (AP) — ", "New York, NY – ".
_DATELINE = re.compile(
    r"^(?:(?:[A-Z][A-Z .'-]{1,30}|[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2}),?[^—–:-]{0,40}?"
    r"(?:\([^)]{1,30}\))?\s+[—–-]{1,2}\s+"
    r"|[A-Z][\w.'-]+(?:,? [A-Z][\w.'-]+){0,4}:\s+)"
)
#: Times relative to the day of writing: headlines don't carry them ("last week", "on Monday").
#: Not after "until", where the time is the news ("isn't expected until next year").
_TIME_PHRASE = re.compile(
    r"(?<!until),?(?:\s+(?:by|since|from|in|for|before|after|over))?"
    r"\s+(?:(?:last|this|next|earlier this|later this)\s+(?:week|weekend|month|year|"
    r"morning|afternoon|evening|night|summer|winter|spring|autumn)|yesterday|today|tomorrow|"
    r"(?:on|last|this|next)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?)\b"
)
_LEADING_PHRASE = re.compile(
    r"^(?:on|in|at|by|for|from|after|before|during|since|earlier|later|last|this|next|"
    r"according|speaking|writing|meanwhile|however|also|now|today|yesterday|tomorrow|"
    r"separately|elsewhere|overall|as|with|despite|following|amid|under|over|between|among|"
    r"across|around|within|throughout|ahead of|until)\b"
    r"[^,]{0,70}(?:,\s*\d{4})?,\s+",
    re.I,
)
#: A leading subordinate or participle clause ("Even if X, ...", "Based on X, ...",
#: "Speaking at Y, ..."): it has a verb of its own, and the main clause follows the comma.
_LEADING_CLAUSE = re.compile(
    r"^(?:(?i:although|though|even if|even though|if|when|while|whatever|whether|because|"
    r"once|until|unless|having|being|now that)\b|[A-Za-z][a-z]+(?:ing|ed)\s+"
    r"(?:on|in|at|by|to|with|from|for|about|up|out|the|a|an|his|her|its|their)\b)"
    r"[^,]{0,80},\s+"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",([\"”’']?)\s+(?:(?:according to|said|says|say|reports?|reported)\b[^,]{0,60}|"
    r"[^,]{0,40}\b(?:said|says|say|show|shows|showed|suggest|suggests|suggested|reported|"
    r"reports|claimed|claims|announced|confirmed|revealed|found|warned|believes?)"
    r"(?:\s+(?:on\s+)?\w+day)?)\s*[.!]?$",
    re.I,
)
#: Words headline style leaves out (BBC, Reuters, AP): articles, and the possessive
#: determiners that only point back to the subject ("Citigroup sells its insurance arm" →
#: "Citigroup sells insurance arm"). "her" stays: it is as often an object ("fined her").
_DROP_WORDS = frozenset({"the", "a", "an", "its", "their", "his"})
#: ... except after a preposition, where they are part of a fixed phrase ("in his twenties").
_POSSESSIVES = frozenset({"its", "their", "his"})
#: A non-restrictive clause or an appositive between commas after a name ("India, which
#: attends the G7 meeting, is..."; "Mittal Steel, one of the largest producers, is to...").
_ASIDE = re.compile(
    r"\b([A-Z][\w'’.&-]*),\s+(?:which|who|whose|where|one of|part of|a|an|the|its|his|her|"
    r"their|[a-z][\w'’-]+)\b[^,;]{0,100},\s+(?=[a-z])"
)
#: A sentence that opens with a description and then names it between commas ("The world's
#: biggest confectionery firm, Cadbury Schweppes, has reported..."): the name is kept.
_LEADING_APPOSITIVE = re.compile(r"^[^,]{3,60}\b[a-z][\w-]*,\s+([A-Z][^,]{1,50}),\s+(?=[a-z])")
#: A participle or relative aside between commas after any noun ("The title, developed by
#: Valve, has won..."; "The survey, conducted by Pew, showed...").
_CLAUSE_ASIDE = re.compile(
    r",\s+(?:which|who|whose|where|[a-z]+ed|[a-z]+ing|known|born|built|led|made|held|run|"
    r"set|seen|taken|given|written|chosen)\b[^,;]{0,100},\s+(?=[a-z])"
)
#: Past forms that double as participles ("has said" → "said").
_IRREGULAR_SAME = frozenset(
    p for p in R.IRREGULAR_PAST if p not in R.IRREGULAR_PARTICIPLES.values()
)
#: Finite auxiliaries that show the main verb is still to come.
_FINITE = R.wordset(
    "is are was were isn't aren't wasn't weren't isn’t aren’t wasn’t weren’t has have will "
    "would can could may might must should"
)
#: Modals and negations: the verb after one is cut off without its object ("would spend").
_MODALS = R.wordset("will would can could may might must should shall not never")
_AUXILIARIES = R.wordset(
    "is are was were be been being has have had will would could can may might must should "
    "shall does do did"
)
#: Clause or phrase starts: cutting the sentence just before one leaves a complete head
#: ("Dollar hit highest level against euro | after Greenspan speech").
_CLAUSE_STARTS = R.wordset(
    "after as amid because while which who whom whose when where despite following but and "
    "although though since until unless whereas ahead before during including with without "
    "than that according if"
)
#: A dash standing alone opens an aside or an afterthought ("axing 90 jobs - 17%").
_DASHES = frozenset({"-", "–", "—"})
#: "to" is not one: cutting before it drops the event ("Rank could unveil plans | to sell").
_PHRASE_STARTS = R.wordset(
    "in on at for from by over against into about of between among across under through "
    "within toward towards near like behind beyond around via off onto upon above below"
)
#: A headline must not end on one of these (it would read as cut off).
_WEAK_ENDINGS = (
    _CLAUSE_STARTS
    | _PHRASE_STARTS
    | _AUXILIARIES
    | R.wordset(
        "a an the its his her their our my your this these those to not no s mr mrs ms dr per "
        "very more most less up so than former he she it they we i who new first last other "
        "such many several some all major key big top said says told him them us me dubbed "
        "called named known also already"
    )
)
_FUNCTION = _WEAK_ENDINGS | _DROP_WORDS | R.wordset("said says say")


def _clean(text: str) -> str:
    text = _SPACE.sub(" ", text).strip(" ,;:-–—")
    text = text.rstrip(".").strip()
    # Quotation marks left unbalanced by a cut go (a half quote misattributes words).
    if text.count('"') % 2:
        text = text.replace('"', "")
    if (text.count("“") + text.count("”")) % 2:
        text = text.replace("“", "").replace("”", "")
    return text[:1].upper() + text[1:] if text else text


def _bare(token: str) -> str:
    return token.strip(",;:.\"'“”‘’()").lower()


def _is_weak(token: str) -> bool:
    return _bare(token) in _WEAK_ENDINGS


def _is_verbish(token: str) -> bool:
    """A crude finite-verb test (no tagger offline): auxiliaries, -ed forms, common pasts."""
    if token[:1].isupper():
        return False
    w = _bare(token)
    return (
        w in _AUXILIARIES
        or w in R.PRESENT_VERBS
        or w in _IRREGULAR_SAME
        or w in R.IRREGULAR_PAST
        or (len(w) > 4 and w.endswith("ed"))
    )


def _is_name(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


def _drop_articles(tokens: list[str]) -> list[str]:
    """Drop articles and possessive determiners (``_DROP_WORDS``) outside quotation marks (a
    quote is never edited)."""
    out: list[str] = []
    quoted = False
    for k, t in enumerate(tokens):
        # "It's a Wonderful Life", "Sheikh Ahmed of the Emirates": articles inside names stay.
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        opens = t[:1] in '"“‘'
        inside_name = bool(out) and out[-1][:1].isupper() and nxt[:1].isupper()
        after_preposition = (
            t.lower() in _POSSESSIVES and bool(out) and (_bare(out[-1]) in _PHRASE_STARTS)
        )
        droppable = t.lower() in _DROP_WORDS and not inside_name and not after_preposition
        if not quoted and not opens and droppable:
            continue
        out.append(t)
        marks = t.count('"') + t.count("“") + t.count("”")
        if marks % 2:
            quoted = not quoted
    return out


def _drop_descriptors(tokens: list[str]) -> list[str]:
    """Drop the job-title descriptors before a name at the start of the sentence or after a
    preposition: "US agrochemical giant Monsanto" → "Monsanto" (headlines name, not describe)."""
    out = list(tokens)
    i = 1
    while i < len(out):
        if not (_is_name(out[i]) and not out[i][:1].isdigit()):
            i += 1
            continue
        j = i
        while (
            j > 0
            and not out[j - 1][:1].isupper()
            and out[j - 1] == out[j - 1].rstrip(",;:")
            and _bare(out[j - 1]) not in _FUNCTION
            and not _is_verbish(out[j - 1])
            and out[j - 1][:1].isalpha()
        ):
            j -= 1
        # One capitalised adjective may open the descriptors ("US", "French", the first word).
        if j < i and j > 0 and out[j - 1][:1].isupper() and out[j - 1] == out[j - 1].rstrip(",;:"):
            k = j - 1
            if k == 0 or _bare(out[k - 1]) in _PHRASE_STARTS:
                j = k
        starts_ok = j == 0 or _bare(out[j - 1]) in _PHRASE_STARTS
        if j < i and starts_ok and i - j <= 4:
            del out[j:i]
            i = j + 1
        else:
            i += 1
    return out


def _cut(tokens: list[str], budget: int, verb: int | None = None) -> list[str]:
    """The longest prefix of at most ``budget`` tokens that ends before a phrase boundary and
    keeps the main verb at index ``verb`` (a subject alone is no headline)."""
    if len(tokens) <= budget:
        return tokens
    if verb is not None and budget < verb + 2 <= R.MAX_WORDS:
        # A long subject: stretch the budget to the hard limit rather than lose the verb.
        budget = min(verb + 4, R.MAX_WORDS, len(tokens))
        if len(tokens) <= budget:
            return tokens
    shortest = (
        max(R.MIN_WORDS, verb + 2) if verb is not None and verb + 2 <= budget else R.MIN_WORDS
    )
    inside = _inside_quote(tokens)

    def boundaries(lo: int, hi: int) -> tuple[int, int]:
        clause = phrase = 0
        for j in range(lo, min(hi, len(tokens) - 1) + 1):
            prev, nxt = tokens[j - 1], _bare(tokens[j])
            if _is_weak(prev) or inside[j - 1]:
                continue
            if prev.endswith((",", ";", ":")) or nxt in _CLAUSE_STARTS or nxt in _DASHES:
                clause = j
            elif nxt in _PHRASE_STARTS:
                phrase = j
        return clause, phrase

    clause, phrase = boundaries(shortest, budget)
    # A clause boundary is the better cut unless a phrase boundary keeps much more.
    best = clause if clause and clause + 2 >= phrase else phrase
    if best == 0:
        # No boundary within the budget: the first one up to the hard limit reads better
        # than a phrase cut in the middle ("to secure world | record signing").
        for j in range(budget + 1, min(budget + R.BOUNDARY_STRETCH, len(tokens) - 1) + 1):
            if any(boundaries(j, j)):
                best = j
                break
    if best == 0:
        best = budget
        while best > R.MIN_WORDS and (_is_weak(tokens[best - 1]) or inside[best - 1]):
            best -= 1
    return tokens[:best]


def _inside_quote(tokens: list[str]) -> list[bool]:
    """For each token, whether a quotation is still open after it (a cut there would split
    the quote: it is dropped or kept whole, never shown in part)."""
    out: list[bool] = []
    open_ = False
    for t in tokens:
        marks = t.count('"') + t.count("“") + t.count("”")
        if marks % 2:
            open_ = not open_
        out.append(open_)
    return out


_VOWELS = re.compile(r"[aeiouy]+")
#: Endings after which a regular verb's base keeps a silent "e" ("creat|ed" → "create",
#: "announc|ed" → "announce", "rais|ed" → "raise", "decid|ed" → "decide").
_SILENT_E = re.compile(
    r"(?:[cvz]|[^n]g|[^aeiou][aiou][bdr]|[^aeiou][aou]t|invit|(?:[aeioy]|au)s|"
    r"[^aeiou]i[mn]|uir|[^aeiou]ur|[bcdfgkptz]l|creat)$"
)
_PLURAL_HEADS = R.wordset("people police children men women staff cattle")


def _s_form(base: str) -> str:
    """Third person singular present ("say" → "says", "deny" → "denies", "go" → "goes")."""
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if base in special:
        return special[base]
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _regular_base(verb: str, vocabulary: frozenset[str]) -> str:
    """Base form of a regular "-ed" verb, checked against the article's own words first."""
    if verb.endswith("ied"):
        # "died" → "die", "denied" → "deny".
        return verb[:-1] if len(verb) <= 4 else verb[:-3] + "y"
    if verb.endswith("eed"):
        return verb[:-1]
    stem = verb[:-2]
    syllables = len(_VOWELS.findall(stem))
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouy":
        single = stem[:-1]
        if stem[-1] not in "lsfzd" or (stem.endswith("ll") and syllables >= 2):
            return single
        return stem
    for base in (stem, stem + "e"):
        if base in vocabulary or _s_form(base) in vocabulary:
            return base
    if len(stem) <= 2:
        return stem + "e"  # "used" → "use"
    one_syllable_cvc = syllables == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", stem)
    return stem + "e" if one_syllable_cvc or _SILENT_E.search(stem) else stem


def _subject_is_plural(subject: list[str]) -> bool:
    """Whether the subject before the verb is plural, from its head: the words up to its first
    preposition, relative pronoun, verb or comma ("Shares in X" → "Shares")."""
    head: list[str] = []
    for t in subject:
        w = _bare(t)
        if w in _PHRASE_STARTS or w in ("who", "which", "that", "to") or _is_verbish(t):
            break
        head.append(t)
        if t.endswith(","):
            break
    if not head:
        return False
    if any(_bare(t) in ("and", "we", "they", "i", "you") for t in head):
        return True
    last, w = head[-1], _bare(head[-1])
    if w in _PLURAL_HEADS:
        return True
    # A capitalised head is a name ("Reuters"), unless it opens the sentence ("Shares rose").
    common = last[:1].islower() or len(head) == 1
    return common and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s"))


def _main_verb(tokens: list[str], start: int = 1) -> int | None:
    """Index of the first verb-like token from ``start`` outside a relative clause ("Visitors
    who booked tickets came..." → "came"; "a computer that is designed to..." → none)."""
    in_clause = False
    for k in range(max(start, 1), len(tokens)):
        if not _is_verbish(tokens[k]):
            in_clause = False
            continue
        if _bare(tokens[k - 1]) in ("who", "which", "that") or in_clause:
            in_clause = True  # the clause's verb, and the verbs chained to it
            continue
        return k
    return None


def _headline_tense(tokens: list[str], vocabulary: frozenset[str]) -> tuple[list[str], int | None]:
    """Headline grammar for the main verb: present tense for past events ("Dollar hits"),
    "to" for the future ("Rank to sell", from "is to"/"will"), passives and perfects without
    their auxiliaries ("has been fined" → "fined", "have risen" → "rise"). Returns the tokens
    and the index of the main verb (None when there is none to be found)."""
    v = _main_verb(tokens)
    if v is None or _bare(tokens[v - 1]) in ("to", "not"):
        return tokens, v
    # After a comma the subject may be a list or an aside: its number is anyone's guess.
    if any(t.endswith(",") for t in tokens[:v]):
        return tokens, v
    word = _bare(tokens[v])
    nxt = _bare(tokens[v + 1]) if v + 1 < len(tokens) else ""
    after = _bare(tokens[v + 2]) if v + 2 < len(tokens) else ""
    out = list(tokens)
    if word in ("is", "are") and nxt in ("to", "set", "due", "expected", "likely", "about"):
        del out[v]
    elif word == "will" and nxt and nxt not in R.NEGATIONS and not _is_pronoun(tokens[v - 1]):
        out[v] = "to"
    elif word in ("has", "have", "had", "was", "were", "is", "are") and nxt == "been":
        if v + 2 < len(tokens) and _is_participle(after):
            del out[v : v + 2]  # passive: "has been fined" → "fined"
    elif word in ("was", "were") and _is_participle(nxt):
        del out[v]  # passive: "was named" → "named"
    elif word in ("has", "have", "had") and _is_participle(nxt):
        # Perfect: "has won" → "wins", "have risen" → "rise".
        del out[v]
        out[v] = _present(tokens[v + 1], tokens[:v], vocabulary, plural=word == "have")
    elif word in R.IRREGULAR_PAST or (word.endswith("ed") and word not in _AUXILIARIES):
        # "a car based on X isn't expected": an auxiliary soon after means the "-ed" word
        # modifies the subject; that auxiliary's verb is the main one, left as written.
        later = next(
            (k for k in range(v + 1, min(v + 8, len(tokens))) if _bare(tokens[k]) in _FINITE),
            None,
        )
        if _is_verbish(nxt):
            later = v + 1  # "people surveyed said": the participle describes the subject
        if nxt == "by" or later is not None:
            # "A team led by X found...": the main verb comes after the modifier.
            after_by = _main_verb(tokens, v + 1) if later is None else later
            return tokens, after_by if after_by is not None else v
        out[v] = _present(tokens[v], tokens[:v], vocabulary)
    return out, v


def _is_pronoun(token: str) -> bool:
    """A personal pronoun: "they to seek" is no headline, "Rank to sell" is."""
    return _bare(token) in ("he", "she", "it", "they", "we", "i")


def _is_participle(word: str) -> bool:
    return (
        word in R.IRREGULAR_PARTICIPLES
        or word in _IRREGULAR_SAME
        or (len(word) > 3 and word.endswith("ed"))
    )


def _present(
    token: str, subject: list[str], vocabulary: frozenset[str], plural: bool | None = None
) -> str:
    """The present-tense form of a past or participle verb token, agreeing with the subject
    (``plural`` when the auxiliary told: "have won" → "win")."""
    word = token.rstrip(",;:.")
    tail = token[len(word) :]
    if word != word.lower() or not word.isalpha():
        return token
    past = R.IRREGULAR_PARTICIPLES.get(word, word)
    base = R.IRREGULAR_PAST.get(past) or _regular_base(past, vocabulary)
    if plural is None:
        plural = _subject_is_plural(subject)
    return (base if plural else _s_form(base)) + tail


def compress(
    sentence: str, budget: int = R.TARGET_WORDS, vocabulary: frozenset[str] = frozenset()
) -> str:
    """Delete words from ``sentence`` until it reads as a headline of at most ``budget`` words.

    Apart from deletions, only the main verb changes form (headline tense); ``vocabulary``,
    the article's words, helps find a regular verb's base form."""
    return compress_clause(sentence, budget, vocabulary)[0]


def compress_clause(
    sentence: str, budget: int = R.TARGET_WORDS, vocabulary: frozenset[str] = frozenset()
) -> tuple[str, bool]:
    """``compress``, and whether the result keeps a main verb (a subject alone, "Leonardo
    DiCaprio, Jamie Foxx and Hilary Swank", is no headline)."""
    text = _PARENS.sub("", sentence)
    text = _DASH_ASIDE.sub(" ", text)
    text = _TRAILING_ATTRIBUTION.sub(r"\1", text.strip())  # a closing quote mark stays
    for pattern in (_DATELINE, _LEADING_PHRASE, _LEADING_CLAUSE):
        m = pattern.match(text)
        # A leading phrase with a verb in it is a clause of its own ("This year we saw X,"),
        # unless a conjunction or participle says it is subordinate.
        subordinate = pattern is _LEADING_CLAUSE
        if m and (subordinate or not any(_is_verbish(t) for t in m.group(0).split()[1:])):
            shorter = text[m.end() :]
            if len(shorter.split()) >= R.MIN_SOURCE_WORDS:
                text = shorter
    text = _TIME_PHRASE.sub("", text)
    text = _LEADING_APPOSITIVE.sub(r"\1 ", text, count=1)
    text = _ASIDE.sub(r"\1 ", text, count=1)
    text = _CLAUSE_ASIDE.sub(" ", text, count=1)
    tokens = _drop_descriptors(_drop_articles(text.split()))
    tokens, verb = _headline_tense(tokens, vocabulary)
    last = None if verb is None else _verb_group_end(tokens, verb)
    cut = _cut(tokens, budget, last)
    # The verb needs what follows it unless the sentence ends there ("has already earned"),
    # and so does a later verb after a modal ("Standard Chartered said it would spend").
    kept = last is not None and (
        len(cut) == len(tokens)
        or (last + 1 < len(cut) and not (len(cut) > 1 and _bare(cut[-2]) in _MODALS))
    )
    return _clean(" ".join(cut)), kept


def _verb_group_end(tokens: list[str], verb: int) -> int:
    """Index of the last word of the verb group starting at ``verb``: auxiliaries, negations,
    adverbs and participles that chain to it ("has already earned", "is being turned")."""
    end = verb
    while end + 1 < len(tokens):
        nxt = tokens[end + 1]
        w = _bare(nxt)
        chained = w in _AUXILIARIES or w in R.NEGATIONS or w in R.VERB_ADVERBS
        if not (chained or _is_verbish(nxt) or _is_participle(w)) or nxt[:1].isupper():
            break
        end += 1
        if nxt != nxt.rstrip(",;:"):
            break
    return end


# --- Keeping the original --------------------------------------------------------------------

_STOPWORDS = R.wordset(
    "a an the of to in on at for from by with and or but is are was were be been has have had "
    "as it its this that over after into new says say said will would up out"
)


def support(headline: str, article_text: str) -> float:
    """Share of the headline's content words that occur in the article (0 when it has none)."""
    content = [w for w in words(headline) if w not in _STOPWORDS]
    if not content:
        return 0.0
    body = set(words(article_text))
    # A prefix match covers inflection ("gains" ~ "gained", "Russia" ~ "Russian").
    stems = {w[:5] for w in body}
    return sum(1 for w in content if w in body or w[:5] in stems) / len(content)


@dataclass(frozen=True)
class KeepDecision:
    keep: bool
    reason: str


def keep_decision(title: str | None, article_text: str, clickbait: float | None) -> KeepDecision:
    """Whether the original headline is already neutral and informative enough to keep."""
    if not title or not title.strip():
        return KeepDecision(False, "no_title")
    title = _SPACE.sub(" ", title).strip()
    problems = form_problems(title)
    if problems:
        return KeepDecision(False, problems[0])
    if len(title.split()) < R.KEEP_MIN_WORDS:
        return KeepDecision(False, "too_few_words")
    if clickbait is None or clickbait >= R.KEEP_MAX_CLICKBAIT:
        return KeepDecision(False, "clickbait")
    if support(title, article_text) < R.KEEP_MIN_SUPPORT:
        return KeepDecision(False, "not_informative")
    return KeepDecision(True, "neutral_informative")


# --- Choosing and building -------------------------------------------------------------------


def source_problem(sentence: str, first: bool = True) -> str | None:
    """Why a sentence cannot be the source of a headline, or None. Only a later sentence can
    point back ("But he said..."): the first one has nothing before it."""
    if len(words(sentence)) < R.MIN_SOURCE_WORDS:
        return "fragment"
    if sentence.rstrip().endswith("?"):
        return "question"
    if R.SECOND_PERSON.search(sentence):
        return "second_person"
    if R.BOILERPLATE.search(sentence):
        return "boilerplate"
    if R.QUOTE_OPENING.match(sentence) or quoted_share(sentence) > R.MAX_QUOTED_SHARE:
        return "quote"
    if not first and R.DANGLING_OPENING.match(sentence):
        return "dangling"
    return None


def _cut_to_length(text: str) -> str:
    tokens = _cut(text.replace("!", ".").replace("?", ".").split(), R.TARGET_WORDS)
    out = _clean(" ".join(tokens))
    while len(out) > R.MAX_CHARS and " " in out:
        out = out.rsplit(" ", 1)[0]
    return out[: R.MAX_CHARS]


def _lead(sentences: list[str], title: str | None) -> SuggestedHeadline:
    """Last resort: the first sentence that passes the form rules once cut to length, else the
    first sentence (or the title) cut to length at a word boundary."""
    cuts = [c for c in (_cut_to_length(s) for s in sentences) if c]
    text = next((c for c in cuts if not form_problems(c)), cuts[0] if cuts else "")
    return SuggestedHeadline(text=text or _cut_to_length(title or ""), method="lead")


def rank_candidates(sentences: list[str], embeddings: Matrix | None) -> list[int]:
    """Indices of the first sentences fit to be a headline source, best first: centrality
    (scorer embeddings, or TF-IDF) plus a position prior."""
    window = min(len(sentences), R.CANDIDATE_SENTENCES)
    if window == 0:
        return []
    value = centrality(sentence_vectors(sentences, embeddings))[:window]
    value = value + R.POSITION_WEIGHT / (1.0 + np.arange(window))
    fit = [i for i in range(window) if source_problem(sentences[i], i == 0) is None]
    return sorted(fit, key=lambda i: (-float(value[i]), i))


@dataclass(frozen=True)
class Candidate:
    text: str
    method: Literal["extractive", "compressed"]
    source: int
    """Index of the sentence it was made from."""
    verb: bool
    """Whether the main verb survived compression."""

    def headline(self) -> SuggestedHeadline:
        return SuggestedHeadline(text=self.text, method=self.method)


def candidates(
    sentences: list[str], order: Iterable[int], vocabulary: frozenset[str]
) -> list[Candidate]:
    """Fit compressions of the sentences in ``order`` at each of ``R.CANDIDATE_BUDGETS``, in
    that order, at most ``R.MAX_CANDIDATES``. Those that keep a main verb come first; verbless
    ones are only used when no sentence gives a clause ("Leonardo DiCaprio, Jamie Foxx and
    Hilary Swank" is no headline)."""
    clauses: list[Candidate] = []
    fragments: list[Candidate] = []
    seen: set[str] = set()
    for i in order:
        for budget in R.CANDIDATE_BUDGETS:
            text, verb = compress_clause(sentences[i], budget, vocabulary)
            if text in seen or form_problems(text) or _BARE_COUNT.fullmatch(text.split()[-1]):
                continue
            seen.add(text)
            method: Literal["extractive", "compressed"] = (
                "extractive" if text == _clean(sentences[i]) else "compressed"
            )
            (clauses if verb else fragments).append(Candidate(text, method, i, verb))
        if len(clauses) >= R.MAX_CANDIDATES:
            break
    return (clauses or fragments)[: R.MAX_CANDIDATES]


def least_clickbait(options: list[Candidate], scorer: Scorer) -> tuple[Candidate, float]:
    """The plainest of ``options`` by the scorer's clickbait head, preferring the best-ranked
    sentence: its first cut that reads as plain news, else another sentence's cut only if it
    is clearly plain and much less clickbait (or if the head calls every cut of the lead
    clickbait outright), else that sentence's least clickbait cut. The
    head reacts to style and topic more than content ("is parting" vs "is parting company
    with its chief executive"), so another cut of the lead often reads as plain news; the lead
    carries the event, so leaving it costs more (``headline_rules``)."""
    lead = [o for o in options if o.source == options[0].source]
    lead_p = scorer.clickbait([o.text for o in lead])
    for option, p in zip(lead, lead_p, strict=True):
        if p < R.SUGGESTION_MAX_CLICKBAIT:
            return option, p
    best_p, best = min(zip(lead_p, lead, strict=True), key=lambda pair: pair[0])
    others = options[len(lead) :]
    if not others:
        return best, best_p
    scored = list(zip(others, scorer.clickbait([o.text for o in others]), strict=True))
    for option, p in scored:
        if p < R.OTHER_SOURCE_MAX_CLICKBAIT and p < best_p - R.OTHER_SOURCE_MARGIN:
            return option, p
    if best_p >= R.CLICKBAIT_OUTRIGHT:
        # The head calls every cut of the lead clickbait: any plainer cut beats it.
        option, p = min(scored, key=lambda pair: pair[1])
        if p < best_p:
            return option, p
    return best, best_p


def suggest_headline(article: Article, scoring: Scoring, scorer: Scorer) -> SuggestedHeadline:
    """A neutral, informative headline for ``article``; ``method`` says how it was made."""
    text = article.text or "\n\n".join(article.paragraphs)
    sentences = list(scoring.sentences) or split_sentences(text)
    title = _SPACE.sub(" ", article.title).strip() if article.title else None
    if not scoring.supported:
        # The rules and the clickbait head are English: keep what the page says, if anything.
        if title:
            return SuggestedHeadline(text=title, method="kept_original")
        return _lead(sentences, None)
    title_clickbait: float | None = None
    if title:
        title_clickbait = scoring.headline.clickbait_probability
        if title_clickbait is None:
            title_clickbait = scorer.clickbait([title])[0]
        if keep_decision(title, text, title_clickbait).keep:
            return SuggestedHeadline(text=title, method="kept_original")
    vocabulary = frozenset(words(text))
    options = candidates(sentences, rank_candidates(sentences, scoring.embeddings), vocabulary)
    if not options:
        # Nothing fit in the lead: the first fit sentence anywhere, before the raw lead.
        late = (
            i
            for i in range(R.CANDIDATE_SENTENCES, len(sentences))
            if not source_problem(sentences[i], False)
        )
        options = next(
            (found for i in late if (found := candidates(sentences, [i], vocabulary))), []
        )
    if not options:
        return _lead(sentences, title)
    best, best_p = least_clickbait(options, scorer)
    if (
        title
        and title_clickbait is not None
        and title_clickbait < best_p
        and not form_problems(title)
    ):
        # An original that is well formed and less clickbait than anything we can offer stays.
        return SuggestedHeadline(text=title, method="kept_original")
    return best.headline()
