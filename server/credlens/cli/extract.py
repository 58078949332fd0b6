"""``credlens extract``: the article in a page, as text or JSON."""

from __future__ import annotations

import click
import msgspec

from credlens.cli.io import read_page
from credlens.extract import extract


@click.command("extract")
@click.argument("page", metavar="PAGE", type=str)
@click.option("--url", help="The page's URL: resolves relative links and the canonical URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Article as JSON.")
def extract_command(page: str, url: str | None, as_json: bool) -> None:
    """Extract the article from PAGE (an HTML file, .html.gz, or - for stdin).

    Prints the headline and the body text; --json prints every field (byline, dates,
    site name, language, canonical URL, links...). Exits with status 1 when no article
    is found.
    """
    article = extract(read_page(page), url=url)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(article)).decode())
    else:
        if article.title:
            click.echo(article.title)
            click.echo("=" * min(len(article.title), 80))
        meta = [x for x in (article.byline, article.published, article.site_name) if x]
        if meta:
            click.echo(" · ".join(meta) + "\n")
        click.echo(article.text)
    if article.reason:
        click.echo(f"credlens: no article found ({article.reason})", err=True)
        raise SystemExit(1)
