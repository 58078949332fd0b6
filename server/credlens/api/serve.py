"""Run the app under an ASGI server: granian (default) or uvicorn, one or more processes.

Each worker process builds the app from the factory ``APP_FACTORY``, which reads the
``CREDLENS_*`` settings from its environment.
"""

from __future__ import annotations

#: Servers ``--server`` can name. granian answers cached requests about twice as fast as
#: uvicorn here (see the README's figures), so it is the default.
SERVERS = ("granian", "uvicorn")
APP_FACTORY = "credlens.api.app:app_from_env"


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
