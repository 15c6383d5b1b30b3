"""Terminal escape injection (issue 23): article text is shown, never obeyed, by the terminal
report and the CLI's messages."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from newsift.article import Article, Problem, Span
from newsift.report.safe import UNSAFE, safe_article, terminal_safe
from newsift.report.text import render_text
from tests.unit.report_samples import BODY, full_article

# Clipboard write, window title, CSI cursor moves and colour, 8-bit CSI, BEL, backspace, DEL,
# a right-to-left override and an isolate.
PAYLOAD = (
    "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\x1b[1;1H\x1b[31m\x9b31m\x08\x7f"
    "\u202eevil\u202c\u2067x\u2069\x1bP+q\x1b\\\r"
)
# Bytes a terminal obeys: C0 controls but tab and newline, DEL, C1 controls, bidi controls.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_article() -> Article:
    """A hand-built article whose every field the report shows carries the payload."""
    body = BODY + f" Intro {PAYLOAD} text."
    a = full_article(title=f"Headline {PAYLOAD}", body=body)
    a.author = f"Mara {PAYLOAD}"
    a.date = f"2026-01-01{PAYLOAD}"
    a.url = f"https://example.org/{PAYLOAD}"
    a.outlet = {"domain": f"ex{PAYLOAD}.org", "rating": None, "note": PAYLOAD, "matched": PAYLOAD}
    a.layers["headline"]["flags"].append({"code": PAYLOAD, "message": PAYLOAD})
    a.layers["sourcing"]["named_sources"].append(PAYLOAD)
    a.layers["sourcing"]["unattributed_sentences"].append(PAYLOAD)
    a.layers["attributions"][0]["source"]["text"] = PAYLOAD
    a.layers["claims"][0]["text"] = PAYLOAD
    a.layers["claims"][0]["figures"] = [{"text": PAYLOAD}]
    a.layers["claims"][0]["matches"].append(
        {
            "claim": PAYLOAD,
            "url": PAYLOAD,
            "rating": PAYLOAD,
            "score": 0.5,
            "collection": PAYLOAD,
            "date": PAYLOAD,
        }
    )
    a.problems.append(Problem("extract", "x", f"file {PAYLOAD}.html: bad"))
    start = a.text.index("Intro")
    a.spans["persuasion"].append(
        Span(start, start + 6 + len(PAYLOAD), "Doubt", 0.9, "persuasion.v1")
    )
    return a


def test_the_payload_reaches_every_field_it_should() -> None:
    # the test article really carries the escapes where the report reads them
    assert OBEYED.search(escape_article().title or "")
    assert OBEYED.search(escape_article().text)


def test_plain_report_has_no_control_characters() -> None:
    out = render_text(escape_article())
    assert not OBEYED.search(out)
    assert "␛]52;c;cm0gLXJmIH4=␇" in out  # shown, visibly
    assert "2026-01-01␛]52;c;cm0gLXJmIH4=␇␛]0;pwned␇␛[2J" in out


def test_coloured_report_has_only_richs_own_escapes() -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=True, color_system="truecolor")
    render_text(escape_article(), console=console)
    out = buf.getvalue()
    # Every ESC left is rich's styling: ESC [ <numbers;> m (SGR); nothing else survives.
    leftover = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert not OBEYED.search(leftover), repr(OBEYED.search(leftover))
    assert "\x1b]" not in out and "\x07" not in out and "\x9b" not in out


def test_offsets_still_point_at_the_same_characters() -> None:
    a = escape_article()
    safe = safe_article(a)
    assert len(safe.text) == len(a.text)
    for span in a.spans["persuasion"]:
        assert terminal_safe(a.text[span.start : span.end]) == safe.text[span.start : span.end]
    assert a.title is not None and OBEYED.search(a.title)  # the original is left alone


def test_tab_newline_and_rtl_marks_are_kept() -> None:
    assert terminal_safe("a\tb\nc \u200f\u200e\u061c") == "a\tb\nc \u200f\u200e\u061c"


@pytest.mark.fuzz
@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    safe = terminal_safe(text)
    assert len(safe) == len(text)
    assert not UNSAFE.search(safe) and not OBEYED.search(safe)
    assert all(a == b for a, b in zip(text, safe, strict=True) if not OBEYED.match(a))


@pytest.mark.fuzz
@given(st.text(max_size=200), st.text(max_size=50))
def test_a_report_of_any_text_has_no_control_characters(text: str, title: str) -> None:
    a = Article(text=text or "x", title=title, author=title, url=title)
    a.problems.append(Problem("s", "c", title))
    assert not OBEYED.search(render_text(a))
