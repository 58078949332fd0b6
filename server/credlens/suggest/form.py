"""Form rules: what a fit headline looks like, and which sentences can be the source of one.

Checked on an original headline before it is kept (``headline.keep_decision``), on every cut
of ``compress`` before it becomes a candidate, and on the sentences ranked as sources. Pure
string tests: no model, no tagger.
"""

from __future__ import annotations

from credlens import patterns
from credlens.suggest import rules as R
from credlens.suggest.tokens import bare, quoted_share, unpunctuated, words

#: A cut that ends on a number with no unit or noun after it reads as cut off ("deal to
#: purchase 30"); one on a year does not ("grows in 2004"). Originals may ("Dow closes above
#: 10,000").
_BARE_COUNT = patterns.compile(r"\d[\d,.]*")
_YEAR = patterns.compile(r"(?:19|20)\d\d(?:\W|$)")
_ALL_CAPS = patterns.compile(r"\b[A-Z][A-Z'’-]*[A-Z]\b")


def is_acronym(token: str) -> bool:
    """An all-capitals word of two letters or more ("US", "IT"): not the pronoun it spells."""
    word = unpunctuated(token)
    return len(word) > 1 and word.isupper()


def is_weak(token: str) -> bool:
    """A word a headline must not end on ("to", "the", "has"): it would read as cut off. "US"
    is a country, not "us"."""
    return bare(token) in R.WEAK_ENDINGS and not is_acronym(token)


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
    if is_weak(toks[-1]) and len(toks) > 1:
        problems.append("cut_off")
    if R.LISTICLE.search(text):
        problems.append("listicle")
    if R.CURIOSITY_GAP.search(text):
        problems.append("curiosity_gap")
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


def cut_problem(text: str) -> str | None:
    """Why a cut cannot be a suggestion though an original could read that way, or None: it
    opens on a pronoun (who?), holds markup or a handle, or ends on a bare count."""
    if R.PRONOUN_OPENING.match(text) and not is_acronym(text.split()[0]):
        return "pronoun_opening"
    if R.MARKUP.search(text):
        return "markup"
    if ends_on_bare_count(text):
        return "bare_count"
    return None


def ends_on_bare_count(text: str) -> bool:
    """Whether a cut ends on a number with nothing it counts ("deal to purchase 30")."""
    toks = text.split()
    return bool(toks) and _BARE_COUNT.fullmatch(toks[-1]) is not None and not _YEAR.match(toks[-1])


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
