"""``credlens serve``: the HTTP API under granian (default) or uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

from credlens.api.serve import SERVERS, run_server
from credlens.cli.io import bundle_option


@click.command("serve")
@click.option("--host", help="Address to bind [env CREDLENS_HOST, default 127.0.0.1].")
@click.option("--port", type=int, help="Port [env CREDLENS_PORT, default 8000].")
@click.option("--workers", type=int, help="Server processes [env CREDLENS_WORKERS, default 1].")
@bundle_option("Model bundle folder.", env=True)
@click.option(
    "--cache-url", help="redis://host:port/db for a shared cache [env CREDLENS_CACHE_URL]."
)
@click.option(
    "--server",
    type=click.Choice(SERVERS),
    default="granian",
    show_default=True,
    help="ASGI server.",
)
@click.option("--access-log", is_flag=True, help="Log every request.")
def serve_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    bundle: Path | None,
    cache_url: str | None,
    server: str,
    access_log: bool,
) -> None:
    """Start the HTTP API (OpenAPI at /schema). Every setting also reads CREDLENS_* from the
    environment (see the README); flags win."""
    from credlens.settings import Settings, SettingsError

    try:
        settings = Settings.from_env(
            host=host, port=port, workers=workers, bundle=bundle, cache_url=cache_url
        )
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    if settings.workers > 1 and not settings.cache_url:
        click.echo(
            "credlens: several workers without CREDLENS_CACHE_URL: each keeps its own cache",
            err=True,
        )
    # Worker processes build the app from the environment: hand them the settings this way.
    os.environ.update(settings.to_env())
    click.echo(
        f"credlens: serving on http://{settings.host}:{settings.port} ({server}, "
        f"{settings.workers} worker(s), {'redis' if settings.cache_url else 'memory'} cache)",
        err=True,
    )
    run_server(server, settings.host, settings.port, settings.workers, access_log=access_log)
