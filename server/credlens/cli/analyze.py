"""``credlens analyze``: the service's pipeline on local pages, without a server."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import msgspec

from credlens.cli.io import bundle_option, load_scorer, read_page
from credlens.errors import CredlensError, UnsupportedLanguage
from credlens.schemas import Analysis, ErrorBody


@click.command("analyze")
@click.argument("pages", metavar="PAGE...", nargs=-1, required=True)
@click.option("--url", help="The page's URL (one PAGE): the canonical URL, links, the outlet.")
@click.option("--json", "as_json", is_flag=True, help="Print each Analysis as JSON (one a line).")
@bundle_option("Model bundle folder.")
def analyze_command(pages: tuple[str, ...], url: str | None, as_json: bool, bundle: Path) -> None:
    """Analyse PAGE (HTML files, .html.gz, or - for stdin) as POST /v1/analyze would: scores
    with their evidence, suggested headline, summary.

    With --json, one line per page: the Analysis, or the API's error object (`no_article`,
    or `unsupported_language` with the metadata). A progress bar shows on the terminal for
    several pages. Exits with status 1 if any page was not scored.
    """
    from rich.progress import Progress

    from credlens.cache import canonical_url
    from credlens.errors import InvalidRequest, NoArticle
    from credlens.pipeline import analyze_article, prepare
    from credlens.schemas import AnalyzeRequest

    if url and len(pages) > 1:
        raise click.UsageError("--url applies to one PAGE")
    scorer = load_scorer(bundle)
    encode = msgspec.json.Encoder().encode
    failed = 0
    with Progress(transient=True, disable=len(pages) < 2 or not sys.stderr.isatty()) as progress:
        task = progress.add_task("analysing", total=len(pages))
        for page in pages:
            # Without --url a local name stands in (no outlet record, relative links kept).
            page_url = url or f"http://localhost/{'stdin' if page == '-' else Path(page).name}"
            try:
                canonical = canonical_url(page_url)
                html = read_page(page).decode("utf-8", "replace")
                analysis = analyze_article(
                    scorer, prepare(AnalyzeRequest(url=page_url, html=html)), canonical
                )
            except (NoArticle, InvalidRequest, UnsupportedLanguage) as exc:
                failed += 1
                _report_error(page, exc, as_json)
            else:
                click.echo(encode(analysis) if as_json else _render(page, analysis))
            progress.advance(task)
    if failed:
        raise SystemExit(1)


def _report_error(page: str, exc: CredlensError, as_json: bool) -> None:
    if as_json:
        extra = exc.analysis if isinstance(exc, UnsupportedLanguage) else None
        click.echo(
            msgspec.json.encode(ErrorBody(error=exc.code, detail=exc.detail, analysis=extra))
        )
    else:
        click.echo(f"credlens: {page}: {exc.detail}", err=True)


def _render(page: str, a: Analysis) -> str:
    lines = [page, f"  title:     {a.title or '-'}"]
    if a.suggested_headline:
        lines.append(f"  suggested: {a.suggested_headline.text} ({a.suggested_headline.method})")
    if a.scores is not None:
        s = a.scores
        lines.append(
            f"  scores:    objectivity {s.objectivity:.1f}  accuracy {s.accuracy:.1f}  "
            f"transparency {s.transparency:.1f}  average {s.average:.1f}"
        )
    if a.headline.clickbait_probability is not None:
        lines.append(f"  clickbait: {a.headline.clickbait_probability:.2f}")
    lines += [f"  - {sentence}" for sentence in a.summary]
    model = a.model.name if a.model else "-"
    lines.append(f"  ({a.timings_ms.get('total', 0):.0f} ms, {model})")
    return "\n".join(lines)
