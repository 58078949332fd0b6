"""Bytes are decoded by BOM, then the declared charset, then UTF-8, then cp1252."""

from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from credlens.extract.decode import declared_charset, decode_html

TEXT = "<p>Café — naïve 日本</p>"


def test_bom_wins_over_declaration() -> None:
    data = codecs.BOM_UTF16_LE + '<meta charset="iso-8859-1">Café'.encode("utf-16-le")
    assert decode_html(data).endswith("Café")


def test_declared_charset() -> None:
    page = '<html><head><meta charset="shift_jis"></head><body>日本語</body></html>'
    assert declared_charset(page.encode("shift_jis")) == "shift_jis"
    assert "日本語" in decode_html(page.encode("shift_jis"))


def test_http_equiv_charset() -> None:
    page = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">Привет'
    assert decode_html(page.encode("cp1251")).endswith("Привет")


def test_latin1_label_means_windows_1252() -> None:
    page = '<meta charset="ISO-8859-1"><p>“quoted”</p>'
    assert "“quoted”" in decode_html(page.encode("cp1252"))


def test_utf8_without_declaration() -> None:
    assert decode_html(TEXT.encode("utf-8")) == TEXT


def test_invalid_utf8_falls_back_to_cp1252() -> None:
    assert decode_html("Café".encode("cp1252")) == "Café"


def test_unknown_label_is_ignored() -> None:
    assert decode_html(b'<meta charset="no-such-codec">abc') == '<meta charset="no-such-codec">abc'


@given(st.binary(max_size=2048))
def test_never_raises(data: bytes) -> None:
    assert isinstance(decode_html(data), str)
