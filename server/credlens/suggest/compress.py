"""Compression: cut one sentence down to a headline by deleting words.

``headline.candidates`` calls ``compress_clause`` on each ranked source sentence at a few word
budgets. In order: parentheses and dash asides, trailing attributions ("..., a report says"),
datelines and leading time/place or subordinate phrases, relative times, appositives and
clause asides, articles and possessives, descriptors before a name; then the main verb is put
in headline tense (``grammar``, the only word that changes form; not in a title, which is in
headline grammar already) and the tail is cut after the
last clause or phrase boundary that fits the budget. Quotes are kept whole or dropped whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from credlens import patterns
from credlens.suggest import rules as R
from credlens.suggest.form import is_weak
from credlens.suggest.grammar import (
    headline_tense,
    is_modifier,
    is_verbish,
    main_verb,
    verb_group_end,
)
from credlens.suggest.tokens import bare, quote_marks, squash

#: A closing abbreviation whose final period is part of it ("U.S.", "D.C.").
_ABBREVIATION = patterns.compile(r"(?:^|\s)(?:[A-Za-z]\.){2,}$")
#: Words that open a phrase or clause fronted before the main one ("With X, ...", "After X, ...").
_FRONTING = R.PHRASE_STARTS | R.CLAUSE_STARTS
#: "(£13m)", "[citation]": asides a headline leaves out.
_PARENS = patterns.compile(r"\s*[(\[][^()\[\]]*[)\]]")
#: " - an aside - " between spaced dashes.
_DASH_ASIDE = patterns.compile(r"\s+[-–—]\s+[^-–—]{1,80}?\s+[-–—]\s+")
#: A dateline: "DUBAI, United Arab Emirates — ", "MADRID (AP) — ", "New York, NY – ".
_DATELINE = patterns.compile(
    r"^(?:(?:[A-Z][A-Z .'-]{1,30}|[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2}),?[^—–:-]{0,40}?"
    r"(?:\([^)]{1,30}\))?\s+[—–-]{1,2}\s+"
    r"|[A-Z][\w.'-]+(?:,? [A-Z][\w.'-]+){0,4}:\s+)"
)
#: Times relative to the day of writing: headlines don't carry them ("last week", "on Monday").
#: Not after "until", where the time is the news ("isn't expected until next year"): the
#: "until" is matched (RE2 has no look-behind) and such a match is kept as it is.
_TIME_PHRASE = patterns.compile(
    r"(until)?,?(?:\s+(?:by|since|from|in|for|before|after|over))?"
    r"\s+(?:(?:last|this|next|earlier this|later this)\s+(?:week|weekend|month|year|"
    r"morning|afternoon|evening|night|summer|winter|spring|autumn)|yesterday|today|tomorrow|"
    r"(?:on|last|this|next)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?)\b"
)
#: A leading phrase of time, place or attribution that ends at the first comma
#: ("On Friday, ...", "In London on Thursday ahead of the meeting, ...", "According to X, ...").
_LEADING_PHRASE = patterns.compile(
    r"^(?:on|in|at|by|for|from|after|before|during|since|earlier|later|last|this|next|"
    r"according|speaking|writing|meanwhile|however|also|now|today|yesterday|tomorrow|"
    r"separately|elsewhere|overall|as|with|despite|following|amid|under|over|between|among|"
    r"across|around|within|throughout|ahead of|until)\b"
    r"[^,]{0,70}(?:,\s*\d{4})?,\s+",
    ignorecase=True,
)
#: A leading subordinate or participle clause ("Even if X, ...", "Based on X, ...",
#: "Speaking at Y, ..."): it has a verb of its own, and the main clause follows the comma.
_LEADING_CLAUSE = patterns.compile(
    r"^(?:(?i:although|though|even if|even though|if|when|while|whatever|whether|because|"
    r"once|until|unless|having|being|now that)\b|[A-Za-z][a-z]+(?:ing|ed)\s+"
    r"(?:on|in|at|by|to|with|from|for|about|up|out|the|a|an|his|her|its|their)\b)"
    r"[^,]{0,80},\s+"
)
#: "..., a report says", "..., according to X": who said it is not the event.
_TRAILING_ATTRIBUTION = patterns.compile(
    r",([\"”’']?)\s+(?:(?:according to|said|says|say|reports?|reported)\b[^,]{0,60}|"
    r"[^,]{0,40}\b(?:said|says|say|show|shows|showed|suggest|suggests|suggested|reported|"
    r"reports|claimed|claims|announced|confirmed|revealed|found|warned|believes?)"
    r"(?:\s+(?:on\s+)?\w+day)?)\s*[.!]?$",
    ignorecase=True,
)
#: A non-restrictive clause or an appositive between commas after a name ("India, which
#: attends the G7 meeting, is..."; "Mittal Steel, one of the largest producers, is to...").
_ASIDE = patterns.compile(
    r"\b([A-Z][\w'’.&-]*),\s+(?:which|who|whose|where|one of|part of|a|an|the|its|his|her|"
    r"their|[a-z][\w'’-]+)\b[^,;]{0,100},\s+([a-z])"
)
#: A sentence that opens with a description and then names it between commas ("The world's
#: biggest confectionery firm, Cadbury Schweppes, has reported..."): the name is kept.
_LEADING_APPOSITIVE = patterns.compile(r"^[^,]{3,60}\b[a-z][\w-]*,\s+([A-Z][^,]{1,50}),\s+([a-z])")
#: A participle or relative aside between commas after any noun ("The title, developed by
#: Valve, has won..."; "The survey, conducted by Pew, showed...").
_CLAUSE_ASIDE = patterns.compile(
    r",\s+(?:which|who|whose|where|[a-z]+ed|[a-z]+ing|known|born|built|led|made|held|run|"
    r"set|seen|taken|given|written|chosen)\b[^,;]{0,100},\s+([a-z])"
)


def _unless_until(m: patterns.Match) -> str:
    return str(m.group(0)) if m.group(1) else ""


def clean(text: str) -> str:
    """A cut as shown: one line, no dangling punctuation or final period, quotation marks
    balanced, first letter capitalised."""
    text = squash(text).strip(" ,;:-–—")
    if not _ABBREVIATION.search(text):  # "testifies before U.S." keeps its period
        text = text.rstrip(".").strip()
    # Quotation marks left unbalanced by a cut go (a half quote misattributes words).
    if text.count('"') % 2:
        text = text.replace('"', "")
    if (text.count("“") + text.count("”")) % 2:
        text = text.replace("“", "").replace("”", "")
    return text[:1].upper() + text[1:] if text else text


def _is_name(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


def _drop_articles(tokens: list[str]) -> list[str]:
    """Drop articles and possessive determiners (``DROP_WORDS``) outside quotation marks (a
    quote is never edited)."""
    out: list[str] = []
    quoted = False
    for k, t in enumerate(tokens):
        # "It's a Wonderful Life", "Sheikh Ahmed of the Emirates": articles inside names stay.
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        opens = t[:1] in '"“‘'
        inside_name = bool(out) and out[-1][:1].isupper() and nxt[:1].isupper()
        after_preposition = (
            t.lower() in R.POSSESSIVES and bool(out) and (bare(out[-1]) in R.PHRASE_STARTS)
        )
        droppable = t.lower() in R.DROP_WORDS and not inside_name and not after_preposition
        if not quoted and not opens and droppable:
            continue
        out.append(t)
        if quote_marks(t) % 2:
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
            and bare(out[j - 1]) not in R.FUNCTION_WORDS
            and not is_verbish(out[j - 1])
            and out[j - 1][:1].isalpha()
        ):
            j -= 1
        # One capitalised adjective may open the descriptors ("US", "French", the first word).
        if j < i and j > 0 and out[j - 1][:1].isupper() and out[j - 1] == out[j - 1].rstrip(",;:"):
            k = j - 1
            if k == 0 or bare(out[k - 1]) in R.PHRASE_STARTS:
                j = k
        starts_ok = j == 0 or bare(out[j - 1]) in R.PHRASE_STARTS
        if j < i and starts_ok and i - j <= 4:
            del out[j:i]
            i = j + 1
        else:
            i += 1
    return out


def _inside_quote(tokens: list[str]) -> list[bool]:
    """For each token, whether a quotation is still open after it (a cut there would split
    the quote: it is dropped or kept whole, never shown in part)."""
    out: list[bool] = []
    open_ = False
    for t in tokens:
        if quote_marks(t) % 2:
            open_ = not open_
        out.append(open_)
    return out


def cut(
    tokens: list[str], budget: int, verb: int | None = None, *, boundary_only: bool = False
) -> list[str]:
    """The longest prefix of at most ``budget`` tokens that ends before a phrase boundary and
    keeps the main verb at index ``verb`` (a subject alone is no headline). With no boundary
    in reach it cuts at the budget, or, with ``boundary_only``, gives nothing (a short budget
    would split a phrase: "raises interest | rates")."""
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
            prev, nxt = tokens[j - 1], bare(tokens[j])
            if is_weak(prev) or inside[j - 1]:
                continue
            if prev.endswith((",", ";", ":")) or nxt in R.CLAUSE_STARTS or nxt in R.DASHES:
                clause = j
            elif nxt in R.PHRASE_STARTS:
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
    if best == 0 and boundary_only:
        return []
    if best == 0:
        best = budget
        while best > shortest and (is_weak(tokens[best - 1]) or inside[best - 1]):
            best -= 1
    return tokens[:best]


def cut_to_length(text: str) -> str:
    """``text`` cut to the target length at a word boundary, with no other change (the last
    resort of ``headline.suggest_headline``)."""
    tokens = cut(text.replace("!", ".").replace("?", ".").split(), R.TARGET_WORDS)
    out = clean(" ".join(tokens))
    while len(out) > R.MAX_CHARS and " " in out:
        out = out.rsplit(" ", 1)[0]
    return out[: R.MAX_CHARS]


def compress(sentence: str, budget: int = R.TARGET_WORDS) -> str:
    """Delete words from ``sentence`` until it reads as a headline of at most ``budget`` words.

    Apart from deletions, only the main verb changes form (headline tense)."""
    return compress_clause(sentence, budget)[0]


def compress_clause(
    sentence: str, budget: int = R.TARGET_WORDS, *, title: bool = False
) -> tuple[str, bool]:
    """``compress``, and whether the result keeps a main verb (a subject alone, "Leonardo
    DiCaprio, Jamie Foxx and Hilary Swank", is no headline). Budgets under
    ``R.TARGET_WORDS`` only cut at a phrase boundary (else the result is empty).
    ``title``: the text is a page's title, in headline grammar already. Its verbs stay as
    written (a bare past form is a passive: "Van Der Beek eliminated from show" is not
    "eliminates") and it is only cut at a phrase boundary: a writer's headline cut mid-phrase
    reads broken ("... Names Ivan Braiker Chief Strategy")."""
    return compressions(sentence, (budget,), title=title)[0]


def compressions(
    sentence: str, budgets: Sequence[int], *, title: bool = False
) -> list[tuple[str, bool]]:
    """``compress_clause`` at each of ``budgets``: the deletions and the verb's form depend on
    the sentence only, so they are made once and the result is cut at each budget. Made per
    budget, they were most of the candidates' cost: ``headline.candidates`` on 300 BBC
    articles took 2.2 ms per article that way, 0.9 ms this way (1.2 ms with the title)."""
    text = _PARENS.sub("", sentence)
    text = _DASH_ASIDE.sub(" ", text)
    text = _TRAILING_ATTRIBUTION.sub(r"\1", text.strip())  # a closing quote mark stays
    for pattern in (_DATELINE, _LEADING_PHRASE, _LEADING_CLAUSE):
        m = pattern.match(text)
        # A leading phrase with a verb in it is a clause of its own ("This year we saw X,"),
        # unless a conjunction, preposition or participle says it is subordinate ("With
        # shattered dreams, deportees return").
        opener = bare(m.group(0).split()[0]) if m else ""
        subordinate = pattern is _LEADING_CLAUSE or opener in _FRONTING
        if m and (subordinate or not any(is_verbish(t) for t in m.group(0).split()[1:])):
            shorter = text[m.end() :]
            if len(shorter.split()) >= R.MIN_SOURCE_WORDS:
                text = shorter
    text = _TIME_PHRASE.sub(_unless_until, text)
    # The lower-case letter after each aside is matched (RE2 has no look-ahead) and put back.
    text = _LEADING_APPOSITIVE.sub(r"\1 \2", text, count=1)
    text = _ASIDE.sub(r"\1 \2", text, count=1)
    text = _CLAUSE_ASIDE.sub(r" \1", text, count=1)
    tokens = _drop_descriptors(_drop_articles(text.split()))
    if title:
        verb = main_verb(tokens)
    else:
        tokens, verb = headline_tense(tokens)
    last = None if verb is None else verb_group_end(tokens, verb)
    out: list[tuple[str, bool]] = []
    for budget in budgets:
        kept = cut(tokens, budget, last, boundary_only=title or budget < R.TARGET_WORDS)
        # The verb needs what follows it unless the sentence ends there ("has already
        # earned"), and so does a later verb after a modal ("Standard Chartered said it would
        # spend").
        has_verb = last is not None and (
            len(kept) == len(tokens)
            or (last + 1 < len(kept) and not (len(kept) > 1 and bare(kept[-2]) in R.MODALS))
        )
        out.append((clean(" ".join(kept)), has_verb))
    return out


#: The first clause boundary of a headline: what follows adds a second event or a comment
#: ("X reaches fever pitch | as Y cements status", "X reports 15,000 cases | , smashing record").
_TITLE_BOUNDARY = patterns.compile(r"(?:[,;]\s|\s[-–—|]\s|\s(?:as|after|amid|while|but)\s)")
#: A label before a colon in the first words ("Report:", "WATCH:", "Analysis:").
_TITLE_LABEL = patterns.compile(r"^\W*(?:\S+\s+){0,3}?\S+:\s+")
#: After these a word is a predicate ("is unconstitutional"), not a modifier that can go.
_COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "being", "become", "becomes"})


def title_variants(title: str) -> list[str]:
    """Deletions from a page's title a suggestion may be (``headline.candidates``): without a
    leading label, cut at its first clause boundary, without its pure modifiers (adjectives and
    adverbs: "massive", "brutal"), and the last two together. Nothing is added or reworded,
    so names and numbers stay the title's."""
    text = squash(title)
    label = _TITLE_LABEL.match(text)
    if label:
        text = text[label.end() :]
    boundary = _TITLE_BOUNDARY.search(text)
    head = text[: boundary.start()] if boundary else text
    if boundary and bare(text.split()[0]) in _FRONTING:
        # A fronted phrase ("With shattered dreams, deportees return home"): the clause is
        # what follows it.
        head = text[boundary.end() :]
    out = [text, head, _without_modifiers(text)]
    if boundary:
        out.append(_without_modifiers(head))
    return [clean(v) for v in out]


def _without_modifiers(text: str) -> str:
    """``text`` without its pure modifiers (``grammar.is_modifier``), except after a copula,
    where the word is the predicate ("is unconstitutional"). The first word counts in lower
    case ("Massive protests erupt")."""
    tokens = text.split()
    return " ".join(
        t
        for k, t in enumerate(tokens)
        if not (
            is_modifier(t if k else t.lower())
            and (k == 0 or bare(tokens[k - 1]) not in _COPULAS)
            and len(tokens) > 1
        )
    )
