"""Decoding input bytes (issue 23): a guess is recorded as a problem, windows-1252 is preferred
for undeclared Western bytes, junk is a clear error, never a traceback or silent mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsift.api import load
from newsift.cli import cli
from newsift.errors import InputError
from newsift.ingest.source import GuessedEncoding, decode_bytes

FRENCH = (
    "Crise à Genève\n\nLe maire a déclaré que la ville était prête et que les écoles resteraient "
    "ouvertes, a-t-il ajouté lors d’une conférence de presse “très attendue”."
)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("Café “quoted” – naïve", "cp1252", "cp1252"),
        ("Grüße aus München", "cp1252", "cp1252"),  # charset_normalizer alone: cp1250
        ("Ça va? Très bien.", "cp1252", "cp1252"),  # charset_normalizer alone: big5
        ("Café", "cp1252", "cp1252"),  # charset_normalizer alone: utf_16_be
        (FRENCH, "cp1252", "cp1252"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Ještě jednou.", "cp1250", "cp1250"),
        ("Москва заявила, что переговоры продолжатся на следующей неделе.", "cp1251", "cp1251"),
    ],
)
def test_guessed_encodings_decode_right_and_say_they_guessed(
    text: str, codec: str, expected: str
) -> None:
    decoded, encoding = decode_bytes(text.encode(codec), "in.txt")
    assert decoded == text
    assert encoding == expected
    assert isinstance(encoding, GuessedEncoding)
    assert "in.txt" in encoding.note and "guessed" in encoding.note


def test_mostly_utf8_with_a_bad_byte_is_utf8_with_a_replacement() -> None:
    data = "Le maire a déclaré que la ville était prête".encode() + b"\xff"
    decoded, encoding = decode_bytes(data, "x")
    assert decoded.endswith("prête\ufffd")
    assert encoding == "utf-8" and "1 invalid byte" in encoding.note


def test_utf8_declared_and_bom_are_not_guesses() -> None:
    for data, declared in [
        ("café".encode(), None),
        ("café".encode("cp1252"), "windows-1252"),
        ("\ufeffcafé".encode(), None),
        ("café".encode("utf-16"), None),
    ]:
        text, encoding = decode_bytes(data, "x", declared)
        assert text == "café"
        assert not isinstance(encoding, GuessedEncoding)


def test_a_wrong_declaration_is_said() -> None:
    text, encoding = decode_bytes("café".encode("cp1252"), "x", "utf-8")
    assert text == "café" and "declared charset 'utf-8'" in encoding.note


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeh\x00i\x00\x00",  # a UTF-16 mark, an odd number of bytes
        b"\xff\xfe" + bytes(range(256)) * 4,  # a UTF-16 mark, then a lone surrogate
        b"\xfe\xff\xd8\x00",
        bytes(range(128, 256)),
        b"\x01\x02\x03\x04 ab \x05\x06\x07\x08\x0e\x0f\x10\x11",  # control characters
    ],
)
def test_junk_is_a_clear_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "junk.bin")
    assert info.value.code in ("undecodable", "binary")
    assert "junk.bin" in info.value.message


def test_utf16_junk_through_the_cli_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 50 + b"h\x00i\x00")
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("newsift: error:") and "UTF-16" in line and str(path) in line


def test_a_guessed_file_carries_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "geneve.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    a = load(str(path))
    assert "Genève" in (a.title or "") and "“très attendue”" in a.text
    (problem,) = [p for p in a.problems if p.code == "encoding_guessed"]
    assert problem.stage == "input" and "cp1252" in problem.message
    assert a.source["encoding"] == "cp1252"


def test_japanese_text_file_is_not_refused_as_too_short(tmp_path: Path) -> None:
    path = tmp_path / "ja.txt"
    path.write_text(
        "首相、経済対策を発表\n\n日本の首相は月曜日、新しい経済対策を発表した。政府は来年度の予算案"
        "で、子育て支援を盛り込む方針だ。",
        encoding="utf-8",
    )
    a = load(str(path))
    assert a.title == "首相、経済対策を発表"
    assert not a.problems


@pytest.mark.fuzz
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "latin-1", "bogus-charset"]))
def test_decode_bytes_returns_text_or_raises_input_error(data: bytes, declared) -> None:
    try:
        text, encoding = decode_bytes(data, "fuzz", declared)
    except InputError:
        return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding


@pytest.mark.fuzz
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=200))
def test_utf8_text_round_trips_without_a_guess(text: str) -> None:
    decoded, encoding = decode_bytes(text.encode("utf-8"), "fuzz")
    assert decoded == text.removeprefix("\ufeff") or decoded == text
    assert not isinstance(encoding, GuessedEncoding)


@pytest.mark.parametrize(
    "data", [b"\xef\xbb\xbf  \n", b"\xff\xfe", " \n\t".encode("utf-16"), b"\xfe\xff\x00 \x00\n"]
)
def test_a_byte_order_mark_and_whitespace_is_empty(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 2
    assert "is empty" in result.output.strip().splitlines()[-1]
