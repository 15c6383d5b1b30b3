"""What kind of source a source phrase is: named, role, organisation, anonymous, pronoun, document.

Decided from the phrase's words and the entity labels spaCy found inside it:

- ``pronoun``: he, she, they, it, we ...
- ``named``: a person's name is in it ("Igor Konashenkov", "Defense Ministry spokesman Igor
  Konashenkov", "Mr Smith").
- ``anonymous``: an unnamed or vague source: "a source", "the source", "sources close to ...",
  "officials", "experts", "people familiar with the matter", "an official", "a spokesman" (an
  indefinite role with no name is someone the reader cannot identify).
- ``document``: "the report", "the lawsuit", "a study", "court filings".
- ``named_role``: a definite role with no name: "the minister", "the general", "the mayor".
- ``organization``: "the ministry", "the Pentagon", "Reuters", ORG/NORP/GPE entities.
"""

from __future__ import annotations

import functools
import re

from .names import People, first_name_gender

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "one", "who"}
ANON_HEADS = {
    "source",
    "sources",
    "official",
    "officials",
    "expert",
    "experts",
    "analyst",
    "analysts",
    "observer",
    "observers",
    "insider",
    "insiders",
    "people",
    "person",
    "persons",
    "critics",
    "critic",
    "some",
    "many",
    "others",
    "witness",
    "witnesses",
    "residents",
    "resident",
    "diplomat",
    "diplomats",
    "aide",
    "aides",
    "someone",
    "somebody",
    "scientists",
    "researchers",
    "commentators",
    "activists",
    "locals",
    "authorities",
    "reports",
    "rumours",
    "rumors",
    "informant",
    "whistleblower",
    "staffer",
    "staffers",
    "employee",
    "employees",
    "member",
    "members",
    "official(s)",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "representative",
    "representatives",
    "media",
    "those",
    "supporters",
    "opponents",
    "allies",
    "ally",
    "friend",
    "friends",
    "neighbours",
    "neighbors",
    "victims",
    "survivors",
    "protesters",
    "demonstrators",
    "parents",
    "students",
    "teachers",
    "workers",
    "women",
    "men",
    "woman",
    "man",
    "prosecutors",
    "investigators",
    "doctors",
    "lawmakers",
    "regulators",  # "state regulators": people; "the regulator" is a body
    "dispatcher",
    "everyone",
    "nobody",
}
ANON_MARKERS = re.compile(
    r"\b(?:anonymous|anonymity|unnamed|unidentified|undisclosed|familiar with|close to the|"
    r"who (?:asked|requested|spoke|declined)|not authori[sz]ed|on condition)\b",
    re.I,
)
DOC_HEADS = {
    "report",
    "reports",
    "study",
    "studies",
    "lawsuit",
    "suit",
    "statement",
    "document",
    "documents",
    "filing",
    "filings",
    "survey",
    "poll",
    "memo",
    "memorandum",
    "letter",
    "indictment",
    "complaint",
    "analysis",
    "investigation",
    "paper",
    "records",
    "data",
    "ruling",
    "decision",
    "order",
    "bill",
    "law",
    "draft",
    "communique",
    "communiqué",
    "release",
    "press release",
    "transcript",
    "assessment",
    "review",
    "audit",
    "article",
    "book",
    "website",
    "post",
    "tweet",
    "video",
    "footage",
    "figures",
    "statistics",
    "census",
    "index",
    "search",
    "narrative",
    "notice",
    "notification",
    "alert",
    "page",
    "profile",
    "account",
    "email",
    "message",
    "messages",
    "film",
    "documentary",
    "campaign ad",
    "call",  # "911 calls show ...": recordings
    "recording",
    "log",
    # court papers and official estimates
    "motion",
    "petition",
    "affidavit",
    "testimony",
    "warrant",
    "guidance",
    "guidelines",
    "estimate",
    "projection",
    "disclosure",
    "prospectus",
}
ROLE_HEADS = {
    "minister",
    "general",
    "president",
    "mayor",
    "governor",
    "senator",
    "chief",
    "director",
    "secretary",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "premier",
    "chancellor",
    "king",
    "queen",
    "prince",
    "pope",
    "judge",
    "prosecutor",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
    "head",
    "leader",
    "councillor",
    "councilor",
    "sheriff",
    "officer",
    "captain",
    "colonel",
    "lieutenant",
    "admiral",
    "attorney",
    "lawyer",
    "doctor",
    "professor",
    "author",
    "founder",
    "owner",
    "manager",
    "coach",
    "inspector",
    "ig",
    "pm",  # role abbreviations: "the PM", "the CFO", "the MP"
    "cfo",
    "coo",
    "cto",
    "mp",
    "mep",
    "superintendent",
    "dean",
    "principal",
    "bishop",
    "deputy",
    "envoy",
    "commissioner",
    "administrator",
    "treasurer",
    "editor",
    "correspondent",
    "economist",
    "lawmaker",
    "legislator",
    "congressman",
    "congresswoman",
    "diplomat",
    "official",
    "representative",
    "presenter",
    "host",
}
ORG_HEADS = {
    # bodies named by what they make or do ("the drugmaker", "the regulator", "the watchdog")
    "drugmaker",
    "chipmaker",
    "carmaker",
    "planemaker",
    "toymaker",
    "steelmaker",
    "regulator",
    "watchdog",
    "ministry",
    "department",
    "government",
    "agency",
    "pentagon",
    "police",
    "company",
    "army",
    "military",
    "kremlin",
    "committee",
    "court",
    "council",
    "parliament",
    "congress",
    "senate",
    "administration",
    "office",
    "organization",
    "organisation",
    "commission",
    "bureau",
    "service",
    "union",
    "party",
    "campaign",
    "board",
    "firm",
    "bank",
    "university",
    "institute",
    "group",
    "coalition",
    "alliance",
    "forces",
    "federation",
    "embassy",
    "cabinet",
    "authority",
    "centre",
    "center",
    "foundation",
    "club",
    "team",
    "network",
    "newspaper",
    "channel",
    "outlet",
    "regime",
    "state",
    "nato",
    "un",
    "eu",
    "who",
    "fbi",
    "cia",
    "white house",
    "spokesman's office",
    # businesses, public bodies and institutions that wire copy quotes by kind ("the utility
    # said", "the district said", "the hospital said")
    "utility",
    "utilities",
    "corporation",
    "corp",
    "inc",
    "hospital",
    "clinic",
    "district",
    "school",
    "college",
    "academy",
    "association",
    "society",
    "charity",
    "nonprofit",
    "insurer",
    "airline",
    "retailer",
    "manufacturer",
    "automaker",
    "carrier",
    "league",
    "county",
    "city",
    "legislature",
    "assembly",
    "station",
    "magazine",
    "publication",
    "laboratory",
    "lab",
    "studio",
    "label",
    "startup",
    "provider",
    "operator",
    "supplier",
    "lender",
    "chamber",
    "tribunal",
    "panel",
    "consortium",
    "cooperative",
    "church",
    "diocese",
    "archdiocese",
    "store",
    "chain",
    "restaurant",
    "brewery",
    "museum",
    "library",
    "zoo",
    "prison",
    "jail",
    "jury",
}
_ARTICLE = re.compile(
    r"^(?:a|an|another|some|several|two|three|four|five|many|few|various|other|one)\b", re.I
)
_DEFINITE = re.compile(r"^(?:the|this|that|these|those|his|her|its|their|our)\b", re.I)
_TITLE_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gen|Col|Lt|Capt|Sgt|Gov)\.?\s+[A-Z][a-z]+"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’\-]*")


def is_pronoun(text: str) -> bool:
    t = text.strip()
    if len(t) > 1 and t.isupper():
        return False  # WHO, US, IT: acronyms
    return t.lower() in PRONOUNS


_STOP_HEAD = frozenset(
    "of in at from for with who within on inside close familiar by whose which that".split()
)


_PARTICIPLES = frozenset(
    """made given taken written shown seen known held sent put found told done built brought
    released obtained quoted cited""".split()
)


def head_noun(words: list[str]) -> str:
    """The head noun of a source phrase: the last word before 'of/in/at/from/for/with/who/...',
    past a trailing participle ("a lawyer hired by ..." -> lawyer)."""
    head_words = []
    for w in words:
        if w.lower() in _STOP_HEAD:
            break
        head_words.append(w)
    # a participle after the noun starts a modifier: "a lawyer hired by", "records filed last
    # fall", "a report made public this week"
    for i, w in enumerate(head_words):
        if i >= 2 and w.islower() and (w.endswith("ed") or w in _PARTICIPLES):
            head_words = head_words[:i]
            break
    return (head_words[-1] if head_words else (words[-1] if words else "")).lower().strip(".")


def _in(head: str, lexicon: set[str]) -> bool:
    """The head or its singular is in the lexicon ("unions" -> union, "ministries" -> ministry)."""
    return (
        head in lexicon
        or (head.endswith("s") and head[:-1] in lexicon)
        or (head.endswith("ies") and head[:-3] + "y" in lexicon)  # "ministries", "agencies"
    )


_POSSESSIVE = re.compile(r"^(?P<owner>.*?\S)(?:['’]s|s['’])\s+(?P<rest>\S.*)$")


def _by_head(head: str, phrase: str, labels: set[str]) -> str | None:
    """The kind a lower-case head noun decides by itself, or None."""
    if ANON_MARKERS.search(phrase):
        return "anonymous"
    if head in ("website", "site", "outlet") and re.search(r"\bnews\b", phrase, re.I):
        return "organization"  # "the news website": a publisher, not a page
    if head in _CREW_HEADS and _PERSONS_CREW.match(phrase):
        return "anonymous"  # "her team", "his legal team": unnamed people around a person
    if _in(head, DOC_HEADS):
        return "document"
    if head in ANON_HEADS:
        return "anonymous"
    if _in(head, ROLE_HEADS):
        if head not in ROLE_HEADS and not _DEFINITE.match(phrase):
            return "anonymous"  # "union leaders": unnamed people
        return "anonymous" if _ARTICLE.match(phrase) else "named_role"
    if _in(head, ORG_HEADS):
        if _PLAIN_POLICE.match(phrase):
            return "anonymous"  # "police said", "local police": officers, like "prosecutors"
        if _ARTICLE.match(phrase) and not labels & {"ORG"}:
            return "anonymous"  # "a group of employees": someone the reader cannot identify
        if _UNNAMED_BODIES.match(phrase) and not labels & {"ORG"}:
            return "anonymous"  # "advocacy groups", "some rights organizations": which ones?
        return "organization"
    return None


# A person's own people: "her team", "his legal team", "their aides" are unnamed people, not
# a body (a named team, "the Yankees", or "the team" of a club is one).
_CREW_HEADS = frozenset({"team", "staff", "camp", "entourage"})
_PERSONS_CREW = re.compile(r"^(?:his|her|their)\s+(?:[a-z\-]+\s+)?(?:team|staff|camp|entourage)$")
# A noun that stands for people the article has named, like a pronoun: "the pair", "the duo".
_NAMED_GROUP = re.compile(r"^(?i:the)\s+(?:pair|duo|trio|couple)$")
# An appositive that describes a document, not a name in apposition ("The letters, both dated
# Tuesday"; "the filing, signed by Judge Smith").
_DESCRIBING = re.compile(
    r"^(?:both|all|each)\b|\b(?:dated|filed|signed|sent|written|issued|published|released|"
    r"obtained|seen|reviewed|addressed)\b"
)

# Bodies in the plural with no name and no "the": "advocacy groups", "several rights groups".
_UNNAMED_BODIES = re.compile(
    r"^(?!(?i:the|these|those|their|its|his|her|our|your|my)\b)"
    r"(?:(?:some|many|several|other|various|two|three|four|five|local|national|state)\s+)?"
    r"(?:[A-Za-z][a-z\-]*\s+){0,2}(?:groups|organi[sz]ations|agencies|charities|coalitions)$"
)


# "police" with no name and no "the": the officers who spoke, unnamed, like "prosecutors" (a
# named force, "Indiana State Police", "the Las Vegas police", is a body).
_PLAIN_POLICE = re.compile(
    r"^(?:(?:some|other|several|many|local|federal|state|city|county|municipal|military|border|"
    r"riot|traffic|transit|tribal|provincial|regional)\s+)*[Pp]olice(?:\s+officers?)?$",
)


# A work named by its title after its kind: a document, whatever its title's capitals say.
_TITLED_WORK = re.compile(
    r"^(?i:(?:the|a|an|his|her|their|its|our)?\s*(?:new|latest|recent|upcoming)?\s*"
    r"(?:book|memoir|novel|film|documentary|report|study|article|essay|column|op-ed|podcast|"
    r"letter|paper))\s*,?\s+[“\"‘']?[A-Z]"
)


@functools.lru_cache(maxsize=1)
def outlet_names() -> frozenset[str]:
    """One-word names of rated news sites, from the packaged ratings table's domains
    ("politico.com" -> "politico", "reuters.com" -> "reuters")."""
    from .outlet import ratings_table

    names = set()
    for domain in ratings_table():
        stem, _dot, tld = domain.partition(".")
        if tld in ("com", "org", "net", "co", "co.uk", "com.au") and len(stem) > 3:
            names.add(stem)
    return frozenset(names)


def _outlet_name(core: str, words: list[str], people: People | None) -> bool:
    """A lone capitalised word that is a rated news site's name ("Politico", "Reuters"), which
    the article never writes with a first name or title ("Tom Politico" would be a person)."""
    if len(words) != 1 or not words[0][:1].isupper() or people is None:
        return False
    if _TITLE_NAME.search(core) or words[0].lower() not in outlet_names():
        return False
    if words[0].lower() in ANON_HEADS or _in(words[0].lower(), ROLE_HEADS):
        return False  # "Parents said", "Teachers say": people, though a site has that name
    person = people.find(words[0])
    return person is None or len(person.name.split()) == 1


# Last words of a body's proper name ("Dick Clark Productions", "Duke Energy", "Acme Corp.").
ORG_NAME_ENDS = frozenset(
    """productions inc corp corporation co llc ltd plc group holdings partners media
    entertainment records energy power electric utilities bank capital industries systems
    technologies airlines airways motors pharmaceuticals healthcare health foods university
    college institute foundation association council committee agency department ministry
    company companies network networks studios labs laboratories hospital clinic school
    schools district trust fund""".split()
)


def _body_name(phrase: str) -> bool:
    """A capitalised name that ends in a body's word: "Dick Clark Productions", "Duke Energy"."""
    words = _WORD.findall(phrase)
    return (
        len(words) >= 2
        and all(w[:1].isupper() for w in words)
        and words[-1].lower().strip(".") in ORG_NAME_ENDS
    )


def described_label(text: str, label: str, kind: str) -> bool:
    """A turn label that the article writes as a description with "the" in its running text
    ("McCarrick described the conversation with the Influential Roman:" ... "Influential Roman:
    ..."): someone the reader cannot name, not a body's or a person's name."""
    if kind not in ("organization", "named") or label.isupper():
        return False
    words = label.split()
    if _in(words[-1].lower(), ORG_HEADS) or _body_name(label):
        return False
    return re.search(r"\b[Tt]he\s+" + re.escape(label) + r"\b", text) is not None


def _given_name_inside(words: list[str]) -> bool:
    """A known given name after the first word and followed by a capitalised word ("Judge Mary
    Jones", "spokeswoman Jane Doe"); the words before it are a title or a role, not a body's
    name ("Duke Energy" has none)."""
    for i in range(1, len(words) - 1):
        if first_name_gender(words[i]) and words[i + 1][:1].isupper():
            before = [w.lower().strip(".") for w in words[:i]]
            return all(
                w in _TITLE_LEAD or _in(w, ROLE_HEADS) or not w[:1].isalpha() for w in before
            ) or _in(before[-1], ROLE_HEADS)
    return False


# Words that may stand before a role in a person's title ("U.S. District Judge", "former
# Secretary of State", "Deputy Press Secretary").
_TITLE_LEAD = frozenset(
    """u.s us former acting deputy assistant associate chief senior district circuit federal
    state county city supreme appeals court superior press of the vice executive managing
    general attorney health education interior defense energy transportation treasury
    homeland security labor agriculture commerce justice""".split()
)


def _known_person(people: People | None, phrase: str) -> bool:
    """A person the article names with a given name or more than once (not a phrase that a
    PERSON tag alone made a person: "Fact Checker")."""
    person = people.find(phrase) if people is not None else None
    return person is not None and (
        len(person.mentions) > 1 or first_name_gender(person.name.split()[0]) is not None
    )


def classify_source(
    text: str, entity_labels: list[str] | None = None, people: People | None = None
) -> str:
    """The source kind of a source phrase.

    Args:
        text: the source phrase ("a source in the organization", "Igor Konashenkov").
        entity_labels: spaCy entity labels found inside the phrase.
        people: the people named in the article (:func:`newsift.stages.names.find_people`), so
            that a surname alone ("Volker") is a person even where spaCy tagged it ORG.

    The phrase is judged by its head: an appositive after a comma ("Robert Spitzer, an expert
    on firearms") and a possessor ("Morrison's lawyer", "a senator's ally") do not decide it.
    """
    labels = set(entity_labels or [])
    phrase = text.strip()
    words = _WORD.findall(phrase)
    if not words:
        return "anonymous"
    if len(words) == 1 and is_pronoun(words[0]):
        return "pronoun"
    full = phrase
    titled = _TITLED_WORK.match(phrase)
    if titled:
        return "document"  # "the book Fire and Fury", "his book, The Art of the Deal"
    core, _sep, after = phrase.partition(",")
    core = core.strip() or phrase
    after = after.strip()
    if (
        people is not None
        and after
        and re.fullmatch(r"(?:[A-Z][\w.’'-]*\s*){1,4}", after)
        and people.find(after)
        and not _body_name(after)
    ):
        return "named"  # "Saucier's lawyer, Ronald Daigle": one source, a named one
    if after and re.fullmatch(r"(?:[A-Z][a-z][\w.’'-]*\s+){1,3}[A-Z][a-z][\w’'-]*", after):
        core_words = _WORD.findall(core)
        if _body_name(after) or (
            core_words
            and core_words[0].lower() in ("the", "a", "an", "its", "their")
            and _in(head_noun(core_words), ORG_HEADS)
            and not (people is not None and people.find(after))
            and not first_name_gender(after.split()[0])
        ):
            # "The company that runs the AMAs, Dick Clark Productions": a body's name in
            # apposition to a body
            return "organization"
        return "named"  # "the shop's owner, Joe Smith": a full name in apposition
    if after and not core.split()[-1][:1].isupper() and not _DESCRIBING.search(after):
        last_after = _WORD.findall(after)
        if (
            last_after
            and last_after[-1][:1].isupper()
            and not re.match(r"(?:a|an|the|who|which)\b", after)
        ):
            # "another witness in the probe, former adviser Fiona Hill", "The group that owns
            # her music, Big Machine": the name in apposition is the source
            return classify_source(after, [], people)
    if _NAMED_GROUP.match(core) and people is not None and people.by_key:
        return "named"  # "the pair": two people the article has named, like "they"
    first_conjunct = core.split(" and ")[0].strip()
    if (
        " and " in core
        and not first_conjunct[:1].isupper()
        and _WORD.findall(first_conjunct)
        and _in(
            head_noun(_WORD.findall(first_conjunct)),
            DOC_HEADS | ROLE_HEADS | ORG_HEADS | ANON_HEADS,
        )
    ):
        core = first_conjunct  # "court documents and prosecutors" (not "legal and insurance
        # papers": an adjective is no source of its own)
    elif (
        " and " in core
        and people is not None
        and first_conjunct[:1].isupper()
        and _known_person(people, first_conjunct)
        and not _body_name(first_conjunct)
        and re.match(r"(?:his|her)\b", core.split(" and ", 1)[1].strip())
    ):
        return "named"  # "Zarate and his defense team": the person and his own people
    words = _WORD.findall(core) or words
    last = words[-1]
    if _body_name(core) and not _TITLE_NAME.search(core):
        return "organization"  # "Dick Clark Productions said", though "Dick" is a first name
    if people is not None and core in people.bodies:
        return "organization"  # "Pfizer ... raised its forecast": a body, whatever the tag
    if _outlet_name(core, words, people):
        return "organization"  # "Politico reported": a news outlet, even where spaCy says PERSON
    unit = _POSSESSIVE.match(core)
    if (
        unit
        and re.match(r"(?i:the)\s+[A-Z]", core)
        and re.fullmatch(r"(?:[A-Z][\w.’'-]*\s*)+", unit.group("rest"))
        and not first_name_gender(unit.group("rest").split()[0])
        and not _known_person(people, unit.group("rest"))
        and not _in(head_noun(_WORD.findall(unit.group("rest"))), ROLE_HEADS)
    ):
        # "The Washington Post's Fact Checker": a named unit of a body (a person's name takes
        # no "the"), not "the Post's Glenn Kessler"
        return "organization"
    lead = re.split(r"\s+(?:of|for|by|who|whom|that|which|with|from)\s+", core)[0]
    lead_words = _WORD.findall(lead)
    if 0 < len(lead_words) < len(words) and lead_words[-1].islower():
        # "two women who have accused Rep. Keith Ellison", "bankruptcy documents filed by
        # Abid": a common noun before the name is the source; the name only says whose
        kind = _by_head(head_noun(lead_words), lead, set())
        if kind:
            return kind
    if (
        last[:1].isupper()
        and not last.isupper()
        and ((people is not None and people.find(last)) or _TITLE_NAME.search(core))
    ):
        return "named"  # "Secretary of State Mike Pompeo", "Rep. King"
    head = head_noun(words)
    head_word = next((w for w in words if w.lower().strip(".") == head), head)
    head_phrase = re.split(
        r"\s+(?:of|in|at|from|for|with|who|within|on|inside|by|whose|which|that)\s+", core
    )[0]
    poss = _POSSESSIVE.match(head_phrase)
    if poss and not re.match(r"^[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*$", poss.group("rest")):
        # "Morrison's lawyer" is the lawyer, "a senator's ally" an ally, "Haig's attorney Marc
        # Victor" a named person: the words after the possessive decide.
        rest = poss.group("rest")
        rest_words = _WORD.findall(rest) or words
        last = rest_words[-1] if rest_words else ""
        if last[:1].isupper() and (
            (people and people.find(last)) or _TITLE_NAME.search(rest) or "PERSON" in labels
        ):
            return "named"
        kind = _by_head(head_noun(rest_words), "the " + rest, set())
        if kind:
            return kind
        return "anonymous" if _ARTICLE.match(head_phrase) else "named_role"
    if head_word.islower():
        kind = _by_head(head, full, labels)
        if kind:
            return kind
        if _DEFINITE.match(core):
            return "named_role"  # "The McGill student at the centre of ...": a role, no name
        if _ARTICLE.match(core):
            return "anonymous"
    if _in(head, ORG_HEADS | DOC_HEADS) and not (people is not None and head in people.by_key):
        kind = _by_head(head, full, labels)  # "The Justice Department", "the Pentagon"
        if kind:
            return kind
    if people is not None and people.find(core) and not _in(head, ORG_HEADS | DOC_HEADS):
        return "named"
    if "PERSON" in labels or _TITLE_NAME.search(core):
        return "named"
    kind = _by_head(head, full, labels)
    if kind:
        return kind
    if labels & {"ORG", "NORP", "GPE", "FAC"}:
        return "organization"
    if _given_name_inside(words):
        # "U.S. District Judge Mary Jones", "spokeswoman Jane Doe": a title or a role, then a
        # given name and a surname: a person, whatever the parse tagged
        return "named"
    capitalised = [w for w in words if w[0].isupper()]
    if (
        len(words) >= 2
        and words[0].lower() == "the"
        and all(w[0].isupper() for w in words[1:])
        and not _in(head, ROLE_HEADS)
        and not _TITLE_NAME.search(core)
    ):
        # "the CDC", "The Associated Press", "the White House": a proper name with "the" is a
        # body's (a person's takes none); "the Prime Minister" is a role
        return "organization"
    if len(capitalised) >= 2 and len(capitalised) == len(words) and not _DEFINITE.match(core):
        if people is not None and people.by_key and not first_name_gender(words[0]):
            # no known first name, no PERSON tag, not among the article's people: a body
            # ("Big Machine", "Dick Clark Productions")
            return "organization"
        return "named"  # an unrecognised proper name ("Ana Petrova") is most often a person
    if len(capitalised) == len(words) and len(words) == 1:
        # a lone capitalised word the article never gives a first name or title to is more often
        # a body ("Intellihub", "Politico") than a person; without the article's people, a person
        return "organization" if people is not None and people.by_key else "named"
    if _DEFINITE.match(core):
        return "named_role"
    return "anonymous"


def _post_author_by_words(name: str, people: People | None = None) -> str:
    """The kind of the name in an embedded post's signature ("— Ginger (@SpicyMustang) December
    1, 2017"): the account's display name. A display name that opens with a given name
    ("Mike", "Diana Batissa") or names a person of the article is the person who posts, though
    the lone-word rule of :func:`classify_source` takes a lone unknown word for a body; any
    other display name ("PVeritas Action") keeps the kind its words give."""
    kind = classify_source(name, [], people)
    if kind != "organization":
        return kind
    words = _WORD.findall(name)
    if not words or _body_name(" ".join(words)) or _in(head_noun(words), ORG_HEADS):
        return kind
    if people is not None and (" ".join(words) in people.bodies or words[0] in people.bodies):
        return kind
    if any(w.lower() in outlet_names() for w in words):
        return kind  # a news site's account ("Reuters"), whatever given name it holds
    if first_name_gender(words[0]) or _known_person(people, " ".join(words)):
        return "named"
    return kind


def classify_post_author(name: str, people: People | None = None) -> str:
    """The kind of the name in an embedded post's signature: as :func:`_post_author_by_words`
    gives it (a display name that opens with a given name or names a person of the article is
    a person; bodies, news sites and names with a body's head word keep their kind), except that
    a one-word display name it still takes for a body but that has no body's head word
    ("Ginger", "Constitutional-TQN") is a person's account too. Longer names are left to their
    words ("PVeritas Action")."""
    kind = _post_author_by_words(name, people)
    words = re.findall(r"[A-Za-z][\w’'\-]*", name)
    if kind != "organization" or len(words) != 1 or words[0].lower() in ORG_HEADS:
        return kind
    if words[0].lower() in outlet_names() or (people is not None and words[0] in people.bodies):
        return kind
    if words[0].isupper() and len(words[0]) <= 5:
        return kind  # an acronym ("NATO", "ACLU")
    return "named"
