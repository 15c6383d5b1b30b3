"""Write a synthetic news corpus with planted narratives, for tests and bench_corpus.py.

Every sentence comes from templates written for this project (nothing is copied from data).
A planted narrative is one claim, with invented names, places and figures, that an origin article
states first and that later articles (within ten days, other outlets) repeat as copies (verbatim or
near-verbatim) or as rewordings (another template of the same claim with the same facts). Other
articles carry singleton claims from the same templates with other facts: hard negatives that
must not be grouped. ``--corrupt`` adds faulty records (malformed JSON, empty text, bad bytes,
duplicate ids and texts, odd dates), listed in the truth file.

    python bench/gen_corpus.py -n 100000 -o bench/out/corpus.jsonl --truth bench/out/truth.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

FRAMES = [
    [
        "{org} spent {money} on {project} in {place} last year.",
        "Last year {money} of {org} money went into {project} in {place}.",
        "The {project} in {place} cost {org} {money}, records show.",
        "Records show {org} paid {money} for {project} in {place} last year.",
    ],
    [
        "{person} accused {org} of hiding {count} complaints about {thing}.",
        "According to {person}, {org} concealed {count} complaints about {thing}.",
        "{org} kept {count} complaints about {thing} secret, {person} alleged.",
        "{person} claims {count} complaints over {thing} were buried by {org}.",
    ],
    [
        "Crime in {place} rose by {pct} percent in {year}.",
        "{place} saw a {pct} percent increase in crime during {year}.",
        "In {year}, crime went up {pct} percent in {place}.",
        "Figures for {year} show crime climbing {pct} percent across {place}.",
    ],
    [
        "{count} people in {place} fell ill after drinking tap water, officials said.",
        "Officials say tap water made {count} residents of {place} sick.",
        "Tap water in {place} has sickened {count} people, according to officials.",
        "After drinking the tap water, {count} {place} residents became ill, officials reported.",
    ],
    [
        "{person} won the {place} mayoral race with {pct} percent of the vote.",
        "With {pct} percent of ballots, {person} took the mayor's office in {place}.",
        "{place} elected {person} as mayor with {pct} percent support.",
        "Voters in {place} chose {person} for mayor by a {pct} percent share.",
    ],
    [
        "{org} will close {count} offices in {place} by {year}.",
        "By {year}, {count} of the {org} offices in {place} are set to shut.",
        "{org} plans to shut {count} {place} offices before the end of {year}.",
        "{count} offices in {place} will be closed by {org} no later than {year}.",
    ],
    [
        "{place} has banned the sale of {thing} starting in {year}.",
        "From {year}, selling {thing} will be illegal in {place}.",
        "A ban on {thing} sales takes effect in {place} in {year}.",
        "{place} outlawed the sale of {thing}, effective {year}.",
    ],
    [
        "{person} received {money} from a foreign lobby group, documents show.",
        "Documents reveal a foreign lobby group paid {person} {money}.",
        "{money} from a foreign lobbying outfit went to {person}, according to documents.",
        "According to leaked documents, {person} took {money} from foreign lobbyists.",
    ],
    [
        "The new {thing} plant in {place} will create {count} jobs, {person} said.",
        "{person} said {count} jobs will come from the {thing} factory planned for {place}.",
        "A planned {thing} factory in {place} is expected to bring {count} jobs, according to {person}.",
        "{count} new jobs are promised by the {place} {thing} plant, {person} announced.",
    ],
    [
        "A study by {org} found that {pct} percent of students in {place} cannot read at grade level.",
        "{pct} percent of {place} students read below grade level, a {org} study found.",
        "According to {org} research, {pct} percent of pupils in {place} fall short of grade-level reading.",
        "{org} researchers say {pct} percent of {place} students are not reading at grade level.",
    ],
    [
        "{person} claimed that {thing} causes memory loss in {pct} percent of users.",
        "According to {person}, {pct} percent of people who use {thing} suffer memory loss.",
        "{thing} leads to memory loss for {pct} percent of users, {person} said.",
        "{person} says memory loss hits {pct} percent of {thing} users.",
    ],
    [
        "{org} moved {count} troops to the border near {place} on {weekday}.",
        "On {weekday}, {count} soldiers were sent by {org} to the border close to {place}.",
        "{count} troops from {org} arrived at the {place} border on {weekday}.",
        "{org} deployed {count} troops near the {place} border on {weekday}.",
    ],
]

FILLERS = [
    "{person} visited {place} on {weekday} to meet local business owners.",
    "The weather in {place} stayed mild for most of the week, {person} said.",
    "Residents lined up early outside the new {org} library in {place}.",
    "{person} of {org} did not respond to a request for comment.",
    "The {org} board is expected to discuss the matter with {person} again.",
    "Local schools in {place} reopened on {weekday} after {count} days.",
    "A spokesperson for {org} declined to give details to {person}.",
    "Traffic on the main road into {place} was slow, {person} said.",
    "{count} volunteers helped clean the river banks near {place}.",
    "The festival in {place} drew {count} visitors from nearby towns.",
    "{person} has lived in {place} for most of their life.",
    "Critics of {org} in {place} say the plan leaves many questions unanswered.",
    "Supporters of {person} gathered outside the {place} town hall holding signs.",
    "The museum in {place} extended its opening hours after {count} requests.",
    "Officials at {org} promised {person} an update later in the week.",
    "{org} published a short statement about {place} on its website.",
    "Shops along the high street in {place} reported a busy weekend, {person} said.",
    "The bus service to {place} will run on a reduced timetable, {org} said.",
    "A choir from {place} performed at the opening ceremony led by {person}.",
    "Farmers near {place} said the harvest came in {count} tonnes short this year.",
]

SYLLABLES = "ar bel cor dan el fen gar hol is jen kor lan mer nor ost pel quin ros sal tor ul ven wes yar zel".split()
FIRST = "Ana Ben Clara Dmitri Elena Farid Grace Hugo Ines Jonas Kira Luis Maya Nils Olga Pavel Rosa Sami Tara Ugo Vera Wim Yara Zoe".split()
THINGS = (
    "energy drinks",
    "vaping liquid",
    "plastic bags",
    "fireworks",
    "scooters",
    "drones",
    "sugar tax stamps",
    "battery packs",
    "solar panels",
    "lab-grown meat",
    "sleeping pills",
    "smart meters",
    "diesel cars",
    "glass bottles",
    "protein bars",
    "hair dye",
)
PROJECTS = (
    "a new bridge",
    "the harbour wall",
    "a sports stadium",
    "the tram line",
    "a water plant",
    "the city hall roof",
    "a cycling lane",
    "the old hospital",
    "flood barriers",
    "a data centre",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LOWER_FIRST = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "By",
    "From",
    "With",
    "After",
    "According",
    "Last",
    "Records",
    "Officials",
    "Voters",
    "Documents",
    "Figures",
    "Crime",
    "Tap",
}
ODD_DATES = ("%d/%m/%Y", "%B %d, %Y", "%a, %d %b %Y %H:%M:%S GMT", "epoch", "%Y%m%d")


def word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


class Slots:
    """Random facts for a claim: invented people, places, organisations and figures."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = [
            word(rng, 2) + rng.choice(("", " Falls", " Bay", "ton", "ford", " Heights"))
            for _ in range(20000)
        ]
        self.orgs = [
            word(rng, 2)
            + rng.choice((" Group", " Holdings", " Council", " Agency", " Institute", " Union"))
            for _ in range(5000)
        ]
        self.people = [f"{rng.choice(FIRST)} {word(rng, 2)}" for _ in range(20000)]

    def draw(self) -> dict[str, str]:
        r = self.rng
        return {
            "person": r.choice(self.people),
            "place": r.choice(self.places),
            "org": r.choice(self.orgs),
            "thing": r.choice(THINGS),
            "project": r.choice(PROJECTS),
            "weekday": r.choice(WEEKDAYS),
            "money": f"${r.randint(2, 950)} {r.choice(('million', 'billion'))}",
            "count": str(r.randint(12, 9000)),
            "pct": str(r.randint(3, 97)),
            "year": str(r.randint(2019, 2031)),
        }


def cap(s: str) -> str:
    return s[0].upper() + s[1:] if s else s


def near_copy(rng: random.Random, sentence: str, outlet: str) -> str:
    """A verbatim or near-verbatim copy: an attribution added, a word swapped, a tail added."""
    choice = rng.random()
    if choice < 0.4:
        return sentence
    if choice < 0.6:
        first, rest = sentence.split(" ", 1)
        if first in LOWER_FIRST:
            first = first.lower()
        return f"As {outlet} reported, {first} {rest}"
    if choice < 0.8:
        swaps = (("said", "stated"), ("show", "indicate"), ("will", "is to"), ("people", "persons"))
        for a, b in swaps:
            if f" {a} " in f" {sentence} ":
                return sentence.replace(a, b, 1)
        return sentence.rstrip(".") + ", reports say."
    return sentence.rstrip(".") + ", the report said."


def article_text(rng: random.Random, slots: Slots, claims: list[str]) -> str:
    sentences = [cap(rng.choice(FILLERS).format(**slots.draw())) for _ in range(rng.randint(5, 9))]
    for c in claims:
        sentences.insert(rng.randint(0, len(sentences)), c)
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(2, 3)
        paras.append(" ".join(sentences[i : i + k]))
        i += k
    return "\n\n".join(paras)


def generate(n: int, seed: int = 7, keep_claims: bool = False) -> tuple[list[dict], dict]:
    """``n`` article records and the truth: planted groups with each member's kind (and, with
    ``keep_claims``, ``truth["claims"]``: each article's claim sentences, for bench_corpus.py)."""
    rng = random.Random(seed)
    slots = Slots(rng)
    outlets = [
        f"{word(rng, 2).lower()}{rng.choice(('news', 'times', 'post', 'daily', 'wire'))}.example"
        for _ in range(120)
    ]
    start = dt.datetime(2024, 1, 1)
    claims_of: list[list[str]] = [[] for _ in range(n)]
    dates = [start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(n)]
    free = list(range(n))
    rng.shuffle(free)
    groups = []
    for gid in range(n // 25):
        size = rng.randint(3, 12)
        if len(free) < size:
            break
        origin = free.pop()
        frame = rng.randrange(len(FRAMES))
        facts = slots.draw()
        variant = rng.randrange(4)
        text = cap(FRAMES[frame][variant].format(**facts))
        claims_of[origin].append(text)
        members = []
        for _ in range(size - 1):
            # A member is published 1 hour to 10 days after its origin.
            m = free.pop()
            dates[m] = dates[origin] + dt.timedelta(minutes=rng.randint(60, 10 * 24 * 60))
            kind = "copy" if rng.random() < 0.55 else "reword"
            if kind == "copy":
                claims_of[m].append(cap(near_copy(rng, text, rng.choice(outlets))))
            else:
                other = rng.choice([v for v in range(4) if v != variant])
                claims_of[m].append(cap(FRAMES[frame][other].format(**facts)))
            members.append({"article": m, "kind": kind})
        groups.append(
            {"group": gid, "frame": frame, "origin": origin, "text": text, "members": members}
        )
    for i in range(n):  # singleton claims from the same templates: hard negatives
        if rng.random() < 0.5:
            f = rng.randrange(len(FRAMES))
            claims_of[i].append(cap(rng.choice(FRAMES[f]).format(**slots.draw())))
    records = []
    for i in range(n):
        outlet = outlets[rng.randrange(len(outlets))]
        d = dates[i]
        records.append(
            {
                "id": f"a{i}",
                "url": f"https://{outlet}/{d:%Y/%m}/story-{i}",
                "outlet": outlet,
                "title": f"{slots.draw()['place']} news roundup {i}",
                "date": d.isoformat(timespec="minutes"),
                "text": article_text(rng, slots, claims_of[i]),
            }
        )
    for g in groups:
        g["origin"] = f"a{g['origin']}"
        for m in g["members"]:
            m["article"] = f"a{m['article']}"
    truth = {"n": n, "seed": seed, "groups": groups}
    if keep_claims:
        truth["claims"] = claims_of
    return records, truth


def odd_date(rng: random.Random, iso: str) -> str:
    d = dt.datetime.fromisoformat(iso)
    fmt = rng.choice(ODD_DATES)
    return str(int(d.replace(tzinfo=dt.UTC).timestamp())) if fmt == "epoch" else d.strftime(fmt)


def write(records: list[dict], truth: dict, out: Path, corrupt: int, seed: int = 7) -> None:
    """Write JSONL (with ``corrupt`` faulty records mixed in) and return nothing."""
    rng = random.Random(seed + 1)
    faults: list[dict] = []
    lines: list[bytes] = []
    for rec in records:
        if corrupt and rng.random() < 0.05:
            rec = dict(rec, date=odd_date(rng, rec["date"]))
        lines.append(json.dumps(rec).encode("utf-8"))
    kinds = [
        "malformed_json",
        "empty_record",
        "undecodable_bytes",
        "duplicate_id",
        "duplicate_content",
        "bad_date",
    ]
    for k in range(corrupt):
        kind = kinds[k % len(kinds)]
        src = records[rng.randrange(len(records))]
        if kind == "malformed_json":
            line = b'{"id": "broken", "text": "unterminated'
        elif kind == "empty_record":
            line = json.dumps({"id": f"empty{k}", "text": "  "}).encode()
        elif kind == "undecodable_bytes":
            line = json.dumps(
                {
                    "id": f"bytes{k}",
                    "url": f"https://bytes.example/{k}",
                    "text": f"Record {k} has a stray byte here: X and goes on as a normal article about {k}.",
                }
            ).encode()
            line = line.replace(b"X", b"\xff\xfe")
        elif kind == "duplicate_id":
            line = json.dumps(
                {
                    "id": src["id"],
                    "url": f"https://dupid.example/{k}",
                    "text": f"A different article {k} that reuses another record's id but has its own text.",
                }
            ).encode()
        elif kind == "duplicate_content":
            line = json.dumps(dict(src, id=f"copy{k}", url=None)).encode()
        else:
            line = json.dumps(
                {
                    "id": f"date{k}",
                    "url": f"https://baddate.example/{k}",
                    "date": "the day after tomorrow",
                    "text": f"Article {k} has a date nobody can read, but its text is fine.",
                }
            ).encode()
        lines.append(line)
        faults.append(
            {
                "kind": kind,
                "line": None,
                "good": kind in ("undecodable_bytes", "duplicate_id", "bad_date"),
            }
        )
    # Faults are mixed in at random, except copies of a record's text, which come after it.
    late = {len(records) + k for k, f in enumerate(faults) if f["kind"] == "duplicate_content"}
    order = [i for i in range(len(lines)) if i not in late]
    rng.shuffle(order)
    order += sorted(late)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        for ln, i in enumerate(order, 1):
            fh.write(lines[i] + b"\n")
            if i >= len(records):
                faults[i - len(records)]["line"] = ln
    truth["faults"] = faults


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="number of articles")
    ap.add_argument("-o", "--out", type=Path, default=Path("bench/out/corpus.jsonl"))
    ap.add_argument(
        "--truth", type=Path, default=None, help="where to write the planted groups (JSON)"
    )
    ap.add_argument("--corrupt", type=int, default=0, help="faulty records to add")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    records, truth = generate(args.n, args.seed)
    write(records, truth, args.out, args.corrupt, args.seed)
    truth_path = args.truth or args.out.with_suffix(".truth.json")
    truth_path.write_text(json.dumps(truth))
    print(
        f"wrote {len(records)} articles, {len(truth['groups'])} planted groups, {args.corrupt} faults to {args.out}"
    )


if __name__ == "__main__":
    main()
