"""Service settings: one frozen Struct, read from the environment once and passed to ``create_app``.

Every field maps to one ``CREDLENS_*`` variable (the field name upper-cased); ``credlens serve``
flags override the environment. Nothing reads the environment at import time, so tests build
their own ``Settings(...)``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import msgspec

PREFIX = "CREDLENS_"


def default_bundle() -> Path:
    """The shipped bundle: package data in an installed wheel, else ``models/`` of the checkout
    (an editable install). ``load_bundle`` names the path in its error when neither exists."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundles" / "credlens-default"
    return packaged if packaged.is_dir() else here.parents[1] / "models" / "credlens-default"


#: The bundle ``credlens serve`` and every ``--bundle`` option use unless told otherwise.
DEFAULT_BUNDLE = default_bundle()

#: The browser extension's origins (any extension id); what CORS allows by default.
EXTENSION_ORIGINS = ("chrome-extension://*", "moz-extension://*")


class SettingsError(ValueError):
    """A setting that cannot be read; the message names the variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the service can be told. Each field is ``CREDLENS_<FIELD>`` in the env."""

    host: str = "127.0.0.1"
    """Address ``credlens serve`` binds."""
    port: int = 8000
    """Port ``credlens serve`` binds."""
    workers: int = 1
    """Server processes (each loads the model; share a cache with ``cache_url``)."""
    bundle: Path = DEFAULT_BUNDLE
    """Model bundle folder; ``POST /v1/model/reload`` reloads whatever is at this path."""
    model_threads: int = 1
    """onnxruntime intra-op threads per inference (1 is fastest on a busy 2-core box)."""
    analysis_workers: int = 2
    """Worker processes that parse and score off the event loop, per server process (each
    loads the model: about 150 MB)."""
    queue_size: int = 8
    """Analyses allowed to wait for a worker; beyond workers + queue the service answers 503."""
    analysis_timeout: float = 10.0
    """Seconds one analysis may take (parse + score) before it answers 503 ``timeout``; the
    worker still running it is killed and replaced."""
    cache_size: int = 10_000
    """In-memory cache: most entries kept (least recently used go first)."""
    cache_bytes: int = 256 * 2**20
    """In-memory cache: most bytes kept, keys and bodies (least recently used go first); also
    the bound of the local fallback while Redis is down."""
    cache_entry_bytes: int = 256 * 2**10
    """Largest analysis stored (JSON bytes), in memory or Redis; a larger one is answered but
    not cached. Typical analyses are 5-15 KB."""
    cache_ttl: float = 86_400.0
    """Seconds an analysis stays cached (in memory or in Redis)."""
    cache_url: str | None = None
    """``redis://host:port/db`` selects a shared Redis/Valkey cache instead of the in-memory one."""
    max_body_bytes: int = 5 * 1024 * 1024
    """Largest request body, checked on the wire and again after gzip decompression."""
    body_timeout: float = 10.0
    """Seconds a client has to send the whole request body, counted from the request's arrival;
    a slower body answers 408 ``body_timeout`` and the connection is closed."""
    cors_origins: tuple[str, ...] = EXTENSION_ORIGINS
    """Origins allowed by CORS, comma-separated; ``*`` matches one host part or extension id."""
    api_keys: tuple[str, ...] = ()
    """If set (comma-separated), ``/v1`` requires one of them in ``X-API-Key``."""
    admin_token: str | None = None
    """Bearer token for ``POST /v1/model/reload``; unset disables reloads over HTTP."""
    rate_limit: int = 0
    """Requests per minute per client (API key, else address) on ``/v1``; 0 = no limit."""

    def __post_init__(self) -> None:
        for name in ("port", "workers", "model_threads", "analysis_workers", "max_body_bytes"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{PREFIX}{name.upper()} must be at least 1")
        for name in ("queue_size", "cache_size", "cache_bytes", "cache_entry_bytes", "rate_limit"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must not be negative")
        for name in ("analysis_timeout", "cache_ttl", "body_timeout"):
            # ``not > 0`` also refuses NaN.
            if not getattr(self, name) > 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must be > 0")
        if self.cache_url and not re.match(r"^(redis|rediss|unix|valkey)://", self.cache_url):
            raise SettingsError(f"{PREFIX}CACHE_URL must be a redis:// URL, got {self.cache_url!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``CREDLENS_*`` from ``env`` (default: ``os.environ``); ``overrides`` win."""
        env = os.environ if env is None else env
        raw: dict[str, object] = {}
        for field in msgspec.structs.fields(cls):
            value = env.get(PREFIX + field.name.upper())
            if value is None or value.strip() == "":
                continue
            if field.name in ("cors_origins", "api_keys"):
                raw[field.name] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                raw[field.name] = value.strip()
        raw.update({k: v for k, v in overrides.items() if v is not None})
        try:
            # strict=False: environment strings become ints, floats and paths.
            return msgspec.convert(raw, cls, strict=False, dec_hook=_decode_path)
        except msgspec.ValidationError as exc:
            raise SettingsError(f"invalid setting: {exc} (variables start with {PREFIX})") from exc

    def to_env(self) -> dict[str, str]:
        """The ``CREDLENS_*`` variables that reproduce these settings (for worker processes)."""
        out: dict[str, str] = {}
        for field in msgspec.structs.fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            text = ",".join(value) if isinstance(value, tuple) else str(value)
            out[PREFIX + field.name.upper()] = text
        return out


def _decode_path(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str | Path):
        return Path(value)
    raise NotImplementedError(f"cannot read {kind.__name__} from {type(value).__name__}")


def origin_regex(origins: tuple[str, ...]) -> str | None:
    """One anchored regex for CORS origins; ``*`` stands for one host label or extension id."""
    if not origins:
        return None
    parts = [re.escape(o.rstrip("/")).replace(r"\*", r"[A-Za-z0-9_-]+") for o in origins]
    return "^(?:" + "|".join(parts) + ")$"
