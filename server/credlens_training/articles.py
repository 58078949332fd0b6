"""Whole articles with article-level labels (../shared/data/articles), for fitting and checking
how sentence signals combine into the three scores.

- ``allsides_baly2020``: AllSides articles. ``opinion`` = 1 for opinion sections and guest
  writers (the source's name says so), 0 for the news of outlets; columnists' own sources
  (a person's name) are neither. ``factual`` = 1 when the outlet's MBFC factual-reporting grade
  is high or very high, 0 when mixed, low or very low. Both describe the OUTLET or section, not
  the article: folds always hold whole outlets (``group`` = the outlet's domain).
- ``semeval2023t3_genre_en``: articles annotated opinion / reporting / satire (genre).

Articles are capped per source (``SOURCE_CAP``, chosen by a hash of the id, so the same ones
every time) so that a few large outlets do not decide what the scores learn; every opinion
article is kept. Sentences are the serving splitter's, the first ``POOL_SENTENCES`` of them,
as serving pools them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from credlens.model.features import POOL_SENTENCES
from credlens.text import split_sentences

#: Articles kept per AllSides source (news side); 40 keeps every outlet's voice without letting
#: CNN's 2,890 articles outweigh 300 smaller outlets.
SOURCE_CAP = 40
#: A source that is an opinion section or a guest writer (AllSides names them so).
OPINION_SOURCE = re.compile(r"opinion|editorial|guest writer|op-ed|column", re.IGNORECASE)
#: A source named after a person (a columnist): two to four capitalised words with no word of
#: an outlet's name. Their articles are opinion too, but unmarked: left out of the opinion task.
_PERSON = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z]\.)(?: (?:[A-Z][a-z'’-]+|[A-Z]\.)){1,3}$")
_OUTLET_WORD = re.compile(
    r"\b(?:News|Times|Post|Journal|Review|Institute|Magazine|Media|Report|Press|Daily|Herald|"
    r"Tribune|Center|Foundation|Monitor|Spectator|Week|Atlantic|Street|Matters|Research|"
    r"Today|Wire|Beacon|Globe|Chronicle|Star|Sun|Gazette|Register|Policy|Project|Affairs)\b"
)
FACTUAL = {"very high": 1, "high": 1, "mixed": 0, "low": 0, "very low": 0}
#: A section marker at the start of a title ("OPINION: ...", which AllSides puts on 600 of its
#: 982 opinion titles and 41 others): it would give the label away, so it is removed.
SECTION_MARKER = re.compile(
    r"^\s*(?:opinion|editorial|op-ed|commentary|analysis|column)\s*[:|\-–—]\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    title: str
    sentences: list[str]
    dataset: str
    group: str
    """The outlet (its domain) for AllSides; the article for the genre set."""
    opinion: int | None
    """1 opinion section or guest writer (AllSides) / opinion genre; 0 news / reporting."""
    factual: int | None
    """1 outlet graded high or very high by MBFC, 0 mixed or lower; None unrated."""
    mbfc: str | None
    domain: str | None
    byline: bool
    dated: bool
    news_opinion_fail: bool | None
    """NewsGuard: the outlet fails "handles the difference between news and opinion"."""
    newsguard_score: float | None = None
    """NewsGuard's 0-100 trust score of the outlet; None unrated."""
    partisan: bool | None = None
    """AllSides rates the outlet left or right, not center; None unknown."""


def is_person(source: str) -> bool:
    return bool(_PERSON.match(source)) and not _OUTLET_WORD.search(source)


def _rank(article_id: str) -> str:
    return hashlib.sha256(f"credlens|{article_id}".encode()).hexdigest()


def _sentences(text: str) -> list[str]:
    return split_sentences(text)[:POOL_SENTENCES]


def allsides(root: Path) -> list[LabelledArticle]:
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    with gzip.open(root / "allsides_baly2020" / "dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows[str(r["source"])].append(r)
    out: list[LabelledArticle] = []
    for source in sorted(rows):
        opinion_section = bool(OPINION_SOURCE.search(source))
        person = is_person(source)
        kept = sorted(rows[source], key=lambda r: _rank(str(r["id"])))
        for r in kept if opinion_section else kept[:SOURCE_CAP]:
            sentences = _sentences(str(r["text"]))
            if len(sentences) < 3:
                continue
            ng = r.get("newsguard")
            fails = ng.get("fails") if isinstance(ng, dict) else None
            trust = ng.get("score") if isinstance(ng, dict) else None
            mbfc = r.get("mbfc_factual")
            out.append(
                LabelledArticle(
                    id=str(r["id"]),
                    title=SECTION_MARKER.sub("", str(r["title"] or "")),
                    sentences=sentences,
                    dataset="allsides",
                    group=str(r["domain"] or source),
                    opinion=1 if opinion_section else (None if person else 0),
                    factual=FACTUAL.get(str(mbfc)) if mbfc else None,
                    mbfc=str(mbfc) if mbfc else None,
                    domain=str(r["domain"]) if r.get("domain") else None,
                    byline=bool(r.get("authors")),
                    dated=bool(r.get("date")),
                    news_opinion_fail=(
                        bool(fails.get("handles_difference_between_news_and_opinion_responsibly"))
                        if isinstance(fails, dict)
                        else None
                    ),
                    newsguard_score=float(trust) if isinstance(trust, int | float) else None,
                    partisan=r["bias"] != 1 if r.get("bias") is not None else None,
                )
            )
    return out


def genre(root: Path) -> list[LabelledArticle]:
    """SemEval-2023 genre: opinion (1) vs reporting (0); satire kept with ``opinion=None``."""
    out: list[LabelledArticle] = []
    for r in _jsonl(root / "semeval2023t3_genre_en" / "dev.jsonl"):
        label = {"opinion": 1, "reporting": 0}.get(str(r["label"]))
        sentences = _sentences(str(r["text"]))
        if sentences:
            out.append(
                LabelledArticle(
                    id=str(r["id"]),
                    title=str(r["title"] or ""),
                    sentences=sentences,
                    dataset=f"genre:{r['label']}",
                    group=str(r["id"]),
                    opinion=label,
                    factual=None,
                    mbfc=None,
                    domain=None,
                    byline=False,
                    dated=False,
                    news_opinion_fail=None,
                )
            )
    return out


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def load(root: Path) -> list[LabelledArticle]:
    """Every labelled article, AllSides first."""
    return allsides(root) + genre(root)
