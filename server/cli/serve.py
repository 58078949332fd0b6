"""``credlens serve``: the HTTP API under granian (default) or uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

#: Servers ``--server`` can name. granian answers cached requests about twice as fast as
#: uvicorn here (see the README's figures), so it is the default.
SERVERS = ("granian", "uvicorn")
APP_FACTORY = "server.app:app_from_env"


def run_server(
    server: str,
    host: str,
    port: int,
    workers: int,
    *,
    access_log: bool = False,
    target: str = APP_FACTORY,
) -> None:
    """Start ``server`` on the app factory ``target``; settings reach workers through the env."""
    if server == "granian":
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        Granian(
            target,
            factory=True,
            interface=Interfaces.ASGI,
            address=host,
            port=port,
            workers=workers,
            log_level=LogLevels.info,
            log_access=access_log,
            respawn_failed_workers=True,
        ).serve()
    else:
        import uvicorn

        uvicorn.run(
            target,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            log_level="info",
        )


@click.command("serve")
@click.option("--host", help="Address to bind [env CREDLENS_HOST, default 127.0.0.1].")
@click.option("--port", type=int, help="Port [env CREDLENS_PORT, default 8000].")
@click.option("--workers", type=int, help="Server processes [env CREDLENS_WORKERS, default 1].")
@click.option(
    "--bundle",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Model bundle folder [env CREDLENS_BUNDLE, default models/credlens-default].",
)
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
    from ..settings import Settings, SettingsError

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
