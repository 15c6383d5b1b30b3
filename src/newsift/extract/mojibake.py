"""Mojibake repair: text that was decoded with the wrong codec before it reached newsift.

Bytes decoded once more by :mod:`newsift.ingest.source` are decoded right; but pasted text, a JSONL
field or a CSV cell may arrive already garbled, most often

- **windows-1251 read as Latin-1/windows-1252**: Russian ``Министр`` arrives as ``Ìèíèñòð``
  (every letter in U+00C0-U+00FF);
- **UTF-8 read as Latin-1/windows-1252**: ``Министр`` arrives as ``ÐœÐ¸Ð½Ð¸ÑÑ‚Ñ€``, ``Lösung`` as
  ``LÃ¶sung``.

Both are undone where the bytes allow: the text is turned back into the bytes it was decoded from
(Latin-1, with windows-1252's punctuation mapped back) and decoded right. UTF-8 is tried first
(random Latin-1 text almost never forms valid multi-byte UTF-8); windows-1251 only when at least
half of the letters are in U+00C0-U+00FF (no Western language is written so) and the result is
Cyrillic. Text with any character outside those two codecs' range is left alone: it was not
garbled this way, or not only this way.
"""

from __future__ import annotations

import re

_CP1252_BACK = {
    ch: b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", errors="ignore"))
}
# UTF-8 read as Latin-1: a lead byte (Â-ô) followed by a continuation byte (U+0080-U+00BF or a
# windows-1252 punctuation mark standing for one)
_UTF8_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf" + "".join(_CP1252_BACK) + "]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MIN_LETTERS = 20


def _as_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 256:
            out.append(o)
        elif ch in _CP1252_BACK:
            out.append(_CP1252_BACK[ch])
        else:
            return None
    return bytes(out)


def repair(text: str) -> tuple[str, str] | None:
    """``(repaired text, what was wrong)`` when ``text`` is mojibake that can be undone, else
    None (also for text that is fine)."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS or sample.isascii():
        return None
    data = _as_bytes(text)
    if data is None:
        return None
    if len(_UTF8_PAIR.findall(sample)) >= 3:
        try:
            return data.decode("utf-8"), "UTF-8 text read as Latin-1/windows-1252"
        except UnicodeDecodeError:
            pass
    high = sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff")
    if high * 2 >= len(letters):
        try:
            fixed = data.decode("cp1251")
        except UnicodeDecodeError:
            return None
        cyrillic = len(_CYRILLIC.findall(fixed[:20_000]))
        if cyrillic * 2 >= len(letters):
            return fixed, "windows-1251 (Cyrillic) text read as Latin-1/windows-1252"
    return None
