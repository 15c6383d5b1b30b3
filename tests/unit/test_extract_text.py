"""Plain-text extraction: headline, boilerplate removal, offsets back to the input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsift.extract.text import classify_line, extract_text

PASTED = """Council votes to sell the old library

4 6,157

The city council voted 7-2 on Monday to sell the old library building, the clerk said.

- Advertisement -

"It is the end of an era," said councillor Ana Petrova.

Subscribe to our newsletter
Sign up here to get the latest news delivered directly to your inbox.
Share this article
Read more: Parking fees to double
We use cookies to improve your experience. Accept all
"""


def test_headline_and_body() -> None:
    a = extract_text(PASTED)
    assert a.title == "Council votes to sell the old library"
    assert a.text.startswith("The city council voted 7-2")
    assert a.text.endswith("said councillor Ana Petrova.")


@pytest.mark.parametrize(
    "line",
    [
        "4 6,157",
        "- Advertisement -",
        "Subscribe to our newsletter",
        "Share this article",
        "Read more: Parking fees to double",
        "We use cookies to improve your experience. Accept all",
        "1.2K shares",
        "Sponsored content",
        "© 2024 Portvale Herald. All rights reserved.",
    ],
)
def test_boilerplate_lines_are_removed(line: str) -> None:
    assert classify_line(line) is not None
    assert (
        line
        not in extract_text(
            "Headline here\n\nA body sentence that is long enough to count.\n\n" + line
        ).text
    )


@pytest.mark.parametrize(
    "line",
    [
        "The council said the newsletter it published in 2019 contained errors about the budget and the staff, and that it would publish a correction next week after a review by the auditors.",
        "Turnout was 61,204.",
        "He shared the letter with reporters.",
    ],
)
def test_prose_is_kept(line: str) -> None:
    if len(line.split()) > 3:
        assert classify_line(line) is None


def test_removed_lines_are_listed_with_reasons() -> None:
    removed = extract_text(PASTED).layers["extraction"]["removed"]
    reasons = {r["text"]: r["reason"] for r in removed}
    assert reasons["4 6,157"] == "counter"
    assert reasons["- Advertisement -"] == "ad"
    assert reasons["Subscribe to our newsletter"] == "newsletter"
    for r in removed:
        assert PASTED[r["source_start"] : r["source_end"]] == r["text"]


def test_offsets_map_back_to_input() -> None:
    a = extract_text(PASTED)
    for clean, src, n in a.offsets.segments:
        assert a.text[clean : clean + n] == PASTED[src : src + n]
    i = a.text.index("Ana Petrova")
    assert PASTED[a.offsets.to_source(i) : a.offsets.to_source(i) + 11] == "Ana Petrova"


def test_crlf_input() -> None:
    a = extract_text(PASTED.replace("\n", "\r\n"))
    assert a.title == "Council votes to sell the old library"
    assert "\r" not in a.text


lines = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=80),
        st.sampled_from(["- Advertisement -", "4 6,157", "Share", "Read more: x", ""]),
    ),
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(lines)
def test_offset_map_is_exact_for_any_input(parts: list[str]) -> None:
    text = "\n".join(parts)
    a = extract_text(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for clean, src, n in a.offsets.segments:
        assert a.text[clean : clean + n] == normalised[src : src + n]
    covered = sum(n for _, _, n in a.offsets.segments)
    assert covered == len(a.text) - 2 * max(0, len(a.offsets.segments) - 1)
