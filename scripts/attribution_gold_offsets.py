"""Turn an annotator's anchor notes into rows of the real-article attribution gold.

The notes (kept outside the repository: they quote the articles) name each article and, per
attribution, the speaker, kind, direct/indirect, tags and the literal words of the source, the cue
and the content; this script finds those words in the article text (read from ../shared/data, as
the eval does) and writes the offsets, so that no article text goes into the gold. Every slice is
checked against the words it was made from; a note that cannot be placed is printed and the script
exits non-zero.

Notes format (UTF-8, one item a line; ``#`` starts a comment line)::

    == DATASET ID SPLIT GENRE
    speakers: Key = alias; alias; ...
    outlet: FIRST WORDS ~~ LAST WORDS
    - Speaker | kind | d or i | tag,tag | SOURCE | CUE | CONTENT

``CONTENT`` is the literal text or ``FIRST WORDS ~~ LAST WORDS``; it is searched from the start of
the previous item's content onward (``^`` in front searches from the top of the article).
``CUE`` is the occurrence nearest to the content, ``SOURCE`` the one nearest to the cue; ``<`` or
``>`` in front restricts the search to before or after the content, and square brackets pick a
part of a longer literal (``[he] said`` is the "he" right before "said"). ``-`` for no source.

Usage: ``python scripts/attribution_gold_offsets.py NOTES [--out FILE]`` prints the rows (or
appends them to FILE, replacing rows of the same article) and a check line per item.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsift.eval.gold import ArticleTexts, default_shared  # noqa: E402

SEP = " ~~ "


def _occurrences(text: str, literal: str) -> list[tuple[int, int]]:
    """Spans of the bracketed part (or the whole) of ``literal`` at each place it occurs as
    whole words."""
    if "[" in literal:
        pre, rest = literal.split("[", 1)
        part, post = rest.split("]", 1)
    else:
        pre, part, post = "", literal, ""
    whole = pre + part + post
    left = r"(?<!\w)" if whole[:1].isalnum() else ""
    right = r"(?!\w)" if whole[-1:].isalnum() else ""
    return [
        (m.start() + len(pre), m.start() + len(pre) + len(part))
        for m in re.finditer(left + re.escape(whole) + right, text)
    ]


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _nearest(
    text: str, literal: str, anchor: tuple[int, int], avoid: list[tuple[int, int]]
) -> tuple[int, int]:
    side = ""
    if literal[:1] in "<>" and len(literal) > 1:
        side, literal = literal[0], literal[1:].strip()
    spans = [s for s in _occurrences(text, literal) if not any(_overlaps(s, a) for a in avoid)]
    if side == "<":
        spans = [s for s in spans if s[1] <= anchor[0]]
    elif side == ">":
        spans = [s for s in spans if s[0] >= anchor[1]]
    if not spans:
        raise ValueError(f"not found near the content: {literal!r}")
    return min(spans, key=lambda s: _distance(s, anchor))


def _content(text: str, spec: str, cursor: int) -> tuple[int, int]:
    if spec.startswith("^"):
        spec, cursor = spec[1:].strip(), 0
    first, _, last = spec.partition(SEP)
    start = text.find(first, cursor)
    if start < 0:
        raise ValueError(f"content start not found after {cursor}: {first!r}")
    if not last:
        return start, start + len(first)
    end = text.find(last, start + len(first) - len(last) if len(last) < len(first) else start)
    if end < 0:
        raise ValueError(f"content end not found: {last!r}")
    return start, end + len(last)


def parse(notes: Path, texts: ArticleTexts) -> tuple[list[dict[str, Any]], int]:
    """Rows made from the notes, and the number of items that could not be placed."""
    rows: list[dict[str, Any]] = []
    bad = 0
    text = ""
    cursor = 0
    for n, raw in enumerate(notes.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("== "):
                dataset, doc, split, genre = line[3:].split()
                text = texts.text(dataset, doc)
                cursor = 0
                rows.append(
                    {
                        "dataset": dataset,
                        "id": doc,
                        "split": split,
                        "genre": genre,
                        "chars": len(text),
                        "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                        "speakers": {},
                        "attributions": [],
                        "outlet": [],
                    }
                )
            elif line.startswith("speakers:"):
                key, _, aliases = line[len("speakers:") :].partition("=")
                rows[-1]["speakers"][key.strip()] = [a.strip() for a in aliases.split(";")]
            elif line.startswith("outlet:"):
                rows[-1]["outlet"].append(list(_content(text, line[7:].strip(), 0)))
            elif line.startswith("- "):
                fields = [f.strip() for f in line[2:].split(" | ")]
                if len(fields) != 7:
                    raise ValueError(f"expected 7 fields, got {len(fields)}")
                speaker, kind, direct, tags, source, cue, content = fields
                if kind not in ("named", "named_role", "organization", "anonymous", "document"):
                    raise ValueError(f"unknown kind {kind!r}")
                if direct not in ("d", "i"):
                    raise ValueError(f"direct must be d or i, not {direct!r}")
                if speaker not in rows[-1]["speakers"]:
                    raise ValueError(f"speaker {speaker!r} not in the speakers list")
                c = _content(text, content, cursor)
                cursor = c[0]
                cu = _nearest(text, cue, c, [c])
                src = None if source == "-" else _nearest(text, source, cu, [c])
                rows[-1]["attributions"].append(
                    {
                        "speaker": speaker,
                        "kind": kind,
                        "direct": direct == "d",
                        "tags": [t for t in tags.split(",") if t and t != "-"],
                        "source": list(src) if src else None,
                        "cue": list(cu),
                        "content": list(c),
                    }
                )
            else:
                raise ValueError("unknown line")
        except (ValueError, IndexError) as err:
            bad += 1
            print(f"{notes}:{n}: {err}\n    {line}", file=sys.stderr)
    return rows, bad


def check(rows: list[dict[str, Any]], texts: ArticleTexts) -> int:
    """Print one check line per item (the slices) and count items whose spans are not sane."""
    bad = 0
    for row in rows:
        text = texts.text(row["dataset"], row["id"])
        print(f"## {row['dataset']}/{row['id']} {len(row['attributions'])} items")
        for a in row["attributions"]:
            spans = [a[k] for k in ("source", "cue", "content") if a[k]]
            if any(not (0 <= s < e <= len(text)) for s, e in spans):
                bad += 1
                print("  BAD SPAN", a)
                continue
            sl = {
                k: text[a[k][0] : a[k][1]] if a[k] else None for k in ("source", "cue", "content")
            }
            if sl["content"] != sl["content"].strip():
                print("  WARN content has outer spaces:", repr(sl["content"][:40]))
            body = sl["content"]
            short = body if len(body) < 70 else body[:45] + " ... " + body[-20:]
            print(
                f"  {a['speaker']:12.12s} {a['kind'][:5]} {'D' if a['direct'] else 'I'} "
                f"{','.join(a['tags']):22.22s} [{sl['source']}] [{sl['cue']}] {short!r}"
            )
        for o in row["outlet"]:
            print(f"  OUTLET {text[o[0] : o[1]][:70]!r}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notes", type=Path)
    ap.add_argument("--out", type=Path, help="gold JSONL to update (rows of the same article)")
    ap.add_argument("--shared", type=Path, default=default_shared())
    args = ap.parse_args()
    texts = ArticleTexts(args.shared)
    rows, bad = parse(args.notes, texts)
    bad += check(rows, texts)
    if bad:
        print(f"{bad} items could not be placed; nothing written", file=sys.stderr)
        return 1
    if args.out:
        keys = {(r["dataset"], r["id"]) for r in rows}
        kept = []
        if args.out.exists():
            for line in args.out.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    old = json.loads(line)
                    if (old["dataset"], str(old["id"])) not in keys:
                        kept.append(line)
        lines = kept + [json.dumps(r, ensure_ascii=False) for r in rows]
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{args.out}: {len(rows)} articles written, {len(kept)} rows kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())
