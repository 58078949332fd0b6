"""The ``credlens`` command line: one group, each area's commands in its own module."""

from __future__ import annotations

import click

from credlens import __version__
from credlens.cli.analyze import analyze_command
from credlens.cli.bench import bench
from credlens.cli.extract import extract_command
from credlens.cli.model import model
from credlens.cli.serve import serve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="credlens")
def main() -> None:
    """credlens: extract news articles and score them on objectivity, accuracy and
    transparency, with the evidence behind each score.

    Scores are signals with their evidence, not a fact check.
    """


main.add_command(extract_command)
main.add_command(bench)
main.add_command(model)
main.add_command(serve_command)
main.add_command(analyze_command)
