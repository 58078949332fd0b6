"""Settings from the environment: types, lists, validation, and the round trip to workers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from credlens.settings import EXTENSION_ORIGINS, Settings, SettingsError, origin_regex


def test_from_env_reads_every_kind_of_field() -> None:
    s = Settings.from_env(
        {
            "CREDLENS_PORT": "9001",
            "CREDLENS_BUNDLE": "models/x",
            "CREDLENS_CACHE_TTL": "2.5",
            "CREDLENS_API_KEYS": "a, b,,",
            "CREDLENS_CACHE_URL": "",
            "OTHER": "ignored",
        }
    )
    assert s.port == 9001 and s.bundle == Path("models/x") and s.cache_ttl == 2.5
    assert s.api_keys == ("a", "b") and s.cache_url is None
    assert s.cors_origins == EXTENSION_ORIGINS
    assert Settings.from_env({"CREDLENS_PORT": "9001"}, port=7000).port == 7000
    assert Settings.from_env(s.to_env()) == s


@pytest.mark.parametrize(
    "env",
    [
        {"CREDLENS_PORT": "eighty"},
        {"CREDLENS_WORKERS": "0"},
        {"CREDLENS_CACHE_URL": "http://cache:6379"},
        {"CREDLENS_ANALYSIS_TIMEOUT": "-1"},
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=r"CREDLENS_|port"):
        Settings.from_env(env)


def test_origin_patterns() -> None:
    pattern = re.compile(origin_regex(("chrome-extension://*", "https://*.example.com")) or "")
    assert pattern.match("chrome-extension://abcdef")
    assert pattern.match("https://news.example.com")
    assert not pattern.match("https://evil.com/https://news.example.com")
    assert not pattern.match("https://a.b.example.com")
    assert not pattern.match("http://news.example.com")
    assert origin_regex(()) is None
