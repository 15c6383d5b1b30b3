"""People in an article: who is named, by which words, and whether he or she is written about.

Used by ``attribution.v1`` to tell a person's surname from an organisation ("Volker said" is a
person even where spaCy's small model tags "Volker" ORG) and to resolve pronouns by gender and
number ("she said" cannot be Marc Victor).

The first-name lexicon below was written by hand for newsift (common given names in English-
language news, with the sex they are most often given to); it copies no third-party list. A name
that is given to both sexes about equally is left out, so its gender stays unknown. Honorifics
(Mr, Ms, Mrs) and gendered role words (spokeswoman, congressman) decide where a first name
is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_MALE = """
aaron abdul abdullah abraham adam adrian ahmad ahmed alan albert alejandro alex alexander alexei
alfred ali alistair allen amir anders andre andrea_m andreas andrei andrew andy angelo anthony
antonio anton ari arnold arthur ashraf barack barry ben benjamin bernard bernie bill billy bob
bobby boris brad bradley brandon brendan brett brian bruce bryan carl carlos chad charles charlie
chris christian christopher chuck clarence claude clint colin conor craig curtis dale dan daniel
danny darrell dave david dean dennis derek devin dick diego dmitry dominic don donald doug douglas
duncan dustin dwight earl ed eddie edgar eduardo edward elijah elliot emmanuel emmanuel eric erik
ernest ethan eugene evan felix fernando francis francisco frank franklin fred frederick gabriel
garrett gary gavin geoffrey george gerald gerhard giuseppe glenn gordon graham greg gregory guy
hamid hans harold harry harvey hassan hector henry herbert howard hugh hugo hunter ian igor isaac
ivan jack jacob jake james jamal jared jason javier jay jeff jeffrey jeremy jerome jerry jesse
jesus jim jimmy joe joel johann john johnny jon jonathan jordan_m jorge jose joseph josh joshua
juan julian justin karl keith ken kenneth kevin khalid kim_m kirk kurt kyle lamar larry lawrence
lee_m leon leonard leroy lewis liam lindsey_m lloyd louis lucas luis luke malcolm marc marcel
marco marcus mario mark martin marvin matt matthew maurice max michael miguel mike mitch mitchell
mohamed mohammad mohammed muhammad nathan neil nicholas nick nicolas nigel noah norman oleg oliver
omar oscar otto owen pablo patrick paul pedro peter phil philip phillip pierre rafael rahul rajesh ralph ramon ravi
randy ray raymond reza richard rick rob robert roberto rod rodney roger roman ron ronald ronny
ross roy rudy rupert russell ryan salman sam samuel scott sean sebastian sergei sergey seth shane
sheldon sidney simon stanley stefan stephen steve steven stuart ted terry theodore thomas tim
timothy tobias todd tom tommy tony travis trevor troy tyler valentin victor vincent vladimir wade
walter warren wayne wesley william willie xavier yuri zachary zack
aidan alain alberto alec alfonso alfredo alonzo alvin amit anand andres andrzej antoine arjun
armando arturo asif ashok austin benedict bernardo bilal binyamin bjorn blake boyd brent brock
bruno bryce byron caleb calvin carlton cedric cesar chester clayton cliff clifford clyde cody
cole conrad cornelius cory cristian cristiano cyrus damian damon darius darren daryl deepak
demetrius denis derrick desmond dexter dmitri domenico donovan dylan edmund edwin elliott elmer
elon emanuel emilio enrique erich ernesto esteban ezra fabian farid federico felipe fidel floyd
forrest francesco franco francois freddie gareth gerardo gilbert gino giovanni glen gonzalo
gustavo hafez hakeem harrison heinz henrik herman hiroshi homer horace hosni humberto hussein
ignacio imran irving isaiah ismail jacques jaime jair jarrod jasper jens jeremiah jermaine
joaquin jonah julio julius jurgen kanye kareem karim kelvin kenji kent khalil kofi kwame lance
lars lenny leonardo leopold lionel lorenzo lou lowell luca luciano luigi lyle mahmoud manuel
marty mateo mathew mauricio maxwell melvin merrick micah mikhail milton mitt mohan moses
muhammed murray mustafa narendra nasser nathaniel ned nelson nestor niall nikolai norbert olaf
orlando osama oswaldo otis pascal pavel percy pete philippe piotr preston quentin quincy raheem
rahm raj rajiv ramesh randall raul reggie reginald reuben rex ricardo ricky robbie rocco rodrigo
rohan roland rolando ronnie rory ruben rudolph russ salvador sanjay santiago saul shawn sherman
shinzo sid silas sonny spencer stan sterling sunil sven takeshi tariq terrence theo thaddeus
toby tomas tomasz trent tristan ulysses umar vernon vic vijay vince virgil vito vivek wallace
wendell wilbur wilfred willard winston wolfgang yusuf zane zeke
"""
_FEMALE = """
abigail ada adriana agnes aisha alexandra alexandria alice alicia alison allison amanda amber amy
ana andrea angela angelina anita ann anna anne annie april ashley audrey barbara beatrice becky
beth betsy betty beverly brenda bridget brittany candace carla carmen carol caroline carolyn carrie
cassandra catherine cathy charlotte cheryl chloe christina christine cindy claire clara claudia
colleen connie courtney crystal cynthia daisy dana_f danielle daphne dawn deborah debbie debra
denise diana diane dianne donna doris dorothy eileen elaine eleanor elena elisabeth elissa eliza
elizabeth ella ellen emily emma erica erin esther eva eve evelyn fatima fiona frances gabriela
gail gina giulia gloria grace hannah harriet heather heidi helen hillary holly ilhan irene iris
isabel isabella ivanka jackie jacqueline jade jane janet janice jasmine jean jennifer jenny jessica
jill joan joanna jocelyn josephine joy joyce judith judy julia julie june karen kate katherine
kathleen kathryn kathy katie kay kayla kelly_f kim_f kimberly kirsten kristen kristin laura lauren
leah leslie_f lillian linda lindsay lisa liz lois lori lorraine louise lucy lydia lynn madeline
madison maggie mandy margaret maria marian marie marilyn marine marion marsha martha mary maureen
megan melanie melinda melissa mia michelle mildred miranda molly monica nadia nancy naomi natalie
natasha nicole nikki nina nora olga olivia pamela patricia patty paula pauline peggy penny phyllis
priscilla priya rachel rebecca regina renee rita roberta robin_f rosa rose rosemary ruth sabrina sally
samantha sandra sara sarah sharon sheila sherry shirley silvia sonia sophia sophie stacy
stephanie sue susan suzanne svetlana sylvia tamara tammy tanya tara teresa theresa tiffany tina
tracy ursula valerie vanessa vera veronica victoria virginia vivian wanda wendy whitney yolanda
yvonne zoe
abby adele adrienne aileen alana alejandra alexa alina alma alyssa amelia anastasia angie
annette antoinette arlene ava ayanna bernadette beyonce bianca blanca bonnie brianna britney
brooke camila camille camilla candice carina carly carole cecilia celeste celia chantal charlene
chelsea christie ciara clarissa condoleezza constance cora corinne darlene deanna deirdre delia
delores desiree dina dolores dora edith edna elisa elise eloise elsa emilia estelle ethel
eugenia eunice fern flora florence francesca freda gabrielle geneva genevieve geraldine
gertrude gillian giselle gladys greta gwen gwendolyn hazel helena henrietta hilary ida imelda
ines ingrid irma isabelle ivy jacinda jana janelle janine jeanette jeanne jenna jennie joanne
jodi jolene josefina juanita julianne juliet justine kamala karina karla katrina katy kellyanne
kendra keisha kristina kristy lacey lana latoya laurie lena leticia liliana lily liza lola
lorena loretta lucia lucille luisa mabel madeleine magdalena malala malia marcia margarita margo
marguerite mariah mariana maribel marisa marissa marjorie marlene martina maxine maya meghan
melania melody mercedes meredith meryl michaela millie mindy miriam mona muriel myra nadine
nellie nichole noelle norma octavia olive oprah paige phoebe polly rachael ramona rashida raquel
rebekah rhonda rihanna rochelle rosalind roxanne ruby sadie sanna scarlett selena serena shakira
shana shauna shelley sheryl simone sinead sonya stacey stella susanna tabitha tamika tania tasha
tatiana thelma tonya tricia trudy tulsi valentina vicki violet viviana wilma yasmin yvette zara
"""


def _names(block: str) -> frozenset[str]:
    return frozenset(w.split("_")[0] for w in block.split())


MALE_NAMES = _names(_MALE)
FEMALE_NAMES = _names(_FEMALE) - MALE_NAMES
MALE_NAMES = MALE_NAMES - _names(_FEMALE)

_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f"}
_ROLE_GENDER = {
    "spokesman": "m",
    "spokeswoman": "f",
    "congressman": "m",
    "congresswoman": "f",
    "chairman": None,  # used for women too
    "chairwoman": "f",
    "businessman": "m",
    "businesswoman": "f",
    "actor": "m",
    "actress": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "father": "m",
    "mother": "f",
    "wife": "f",
    "husband": "m",
    "son": "m",
    "daughter": "f",
    "brother": "m",
    "sister": "f",
    "girlfriend": "f",
    "boyfriend": "m",
    "woman": "f",
    "man": "m",
    "girl": "f",
    "boy": "m",
    "pope": "m",
    "cardinal": "m",
    "rabbi": None,
    "nun": "f",
    "priest": "m",
}
# Titles that stand before a surname and mark it as a person's.
TITLES = (
    "Mr|Mrs|Ms|Miss|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|Cmdr|Adm|Maj|Rev|Sir|Lady|Judge|"
    "President|Senator|Governor|Chancellor|Minister|Secretary|Ambassador|Justice|Pope|Cardinal|"
    "Rabbi|Bishop|Father|Sister|Mayor|Sheriff|Attorney|Officer|Detective|Chief|Coach|Dame|Lord"
)
_NAME = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_FULL_NAME = re.compile(
    rf"\b({_NAME})\s+(?:[A-Z]\.\s+)?((?:(?:de|van|von|bin|al|el|da|di|le|la)\s+)?"
    rf"(?:Mc|Mac|O’|O')?{_NAME})(?:\s+(Jr|Sr|II|III)\.?)?\b"
)
# Lower-case role nouns that stand before a person's full name in news copy.
_ROLE_NOUN_BEFORE = re.compile(
    r"\b(?:manager|spokesman|spokeswoman|spokesperson|attorney|lawyer|director|chairman|"
    r"chairwoman|ceo|founder|co-founder|owner|analyst|professor|economist|official|secretary|"
    r"judge|prosecutor|sheriff|officer|detective|coach|player|singer|rapper|actor|actress|"
    r"artist|author|writer|journalist|reporter|correspondent|editor|producer|executive|"
    r"superintendent|principal|teacher|student|doctor|nurse|scientist|researcher|activist|"
    r"advocate|candidate|commander|adviser|advisor|aide|consultant|strategist|pastor|priest|"
    r"businessman|businesswoman|entrepreneur|investor|theorist|commentator|host|presenter|"
    r"president|senator|governor|mayor|minister|ambassador|envoy|congressman|congresswoman)\s+$"
)
_TITLED = re.compile(rf"\b({TITLES})\.?\s+(?:[A-Z][a-z]+\s+)?({_NAME})\b")
_ROLE_BEFORE = re.compile(
    r"\b(" + "|".join(_ROLE_GENDER) + r")\s+(?:[A-Z][\w.’'-]*\s+){0,3}$", re.I
)


def first_name_gender(word: str) -> str | None:
    w = word.lower().strip(".")
    if w in MALE_NAMES:
        return "m"
    if w in FEMALE_NAMES:
        return "f"
    return None


def pronoun_gender(pronoun: str) -> str | None:
    """'m', 'f', 'pl' (they/we), 'n' (it) or None."""
    p = pronoun.lower()
    if p in ("he", "him", "his", "himself"):
        return "m"
    if p in ("she", "her", "hers", "herself"):
        return "f"
    if p in ("they", "them", "their", "we", "us"):
        return "pl"
    if p in ("it", "its"):
        return "n"
    return None


def phrase_gender(phrase: str) -> str | None:
    """The sex a source phrase names, where its words say it ("Ms Cooper", "a spokeswoman",
    "Angela Cooper"); None when they do not."""
    words = re.findall(r"[A-Za-z]+", phrase)
    for w in words:
        g = _HONORIFIC_GENDER.get(w.lower())
        if g:
            return g
    for w in words:
        g = _ROLE_GENDER.get(w.lower())
        if g:
            return g
    for w in words:
        if w[:1].isupper():
            g = first_name_gender(w)
            if g:
                return g
    return None


@dataclass
class Person:
    """One person named in the article: the longest name seen, the key (surname) and gender."""

    key: str
    name: str
    gender: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class People:
    """The people named in an article, by surname key."""

    by_key: dict[str, Person] = field(default_factory=dict)
    # one-word names a PERSON tag gave but the article writes about as "its": bodies
    bodies: set[str] = field(default_factory=set)

    def add(self, name: str, gender: str | None = None) -> Person | None:
        name = re.sub(r"['’]s?$", "", name.strip())  # "Taylor Swift's" is Taylor Swift
        words = [re.sub(r"['’]s$", "", w).strip(".,’'") for w in name.split() if _name_word(w)]
        words = [w for w in words if w and w not in ("Jr", "Sr", "II", "III")]
        if not words:
            return None
        key = words[-1].lower()
        person = self.by_key.get(key)
        if person is None:
            person = self.by_key[key] = Person(key, name, gender)
        else:
            if len(name) > len(person.name):
                person.name = name
            if gender and not person.gender:
                person.gender = gender
        return person

    def find(self, phrase: str) -> Person | None:
        """The person a phrase names: its last capitalised word is a known surname (not in a
        possessive: "Trump's lawyer" names the lawyer, not Trump)."""
        words = re.findall(r"(?<![\w’'-])(?:[a-z]{1,3})?[A-Z][\w’'-]*", phrase)
        for w in reversed(words):
            if w.endswith(("’s", "'s")):
                continue
            p = self.by_key.get(w.lower())
            if p:
                return p
        return None

    def __contains__(self, phrase: str) -> bool:
        return self.find(phrase) is not None


def _name_word(word: str) -> bool:
    """A word of a person's name: capitalised, or a surname with a lower-case particle written
    as one word ("diGenova", "deBlasio", "van" alone is no name word)."""
    return word[:1].isupper() or re.match(r"(?:[a-z]{1,3})[A-Z][a-z]", word) is not None


_STOP_FIRST = frozenset(
    """The A An And But In On At For Of To From With By As After Before During Since When While If
    New North South East West United Supreme Federal National State House Senate White Prime
    Defense Defence Foreign Health Justice Police Islamic Democratic Republican Secretary President
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December""".split()
)


_NOT_SURNAMES = frozenset(
    """department ministry office court house committee general generals council service
    services bureau agency administration division unit team staff board party general's
    productions inc corp co llc ltd group holdings partners media entertainment records energy
    bank industries foundation association company studios""".split()
)


def find_people(
    text: str,
    person_entities: Iterable[str] = (),
    other_entities: Iterable[tuple[str, str]] = (),
) -> People:
    """People named in ``text``: spaCy PERSON entities, "First Last" with a known first name,
    titled surnames ("Rep. King", "Ms. Broaddrick") and lone names the article itself writes
    about as "he" or "she" ("Morphonious still parlayed ... where he discussed"); every later
    mention of the surname is recorded (outside quotes is the caller's concern). A person whose
    sex no first name, honorific or role word gives takes it from the article's own pronouns
    after its mentions (:func:`_pronoun_genders`).

    ``other_entities`` are the article's other entities as (label, text): a one-word PERSON tag
    inside a place's name ("Vegas" of "Las Vegas") is not a person, and no word of a body's or
    a place's name is taken for a lone name."""
    people = People()
    others = [t for _label, t in other_entities if t]
    places = [t for label, t in other_entities if label in ("GPE", "LOC", "FAC") and t]
    places_groups = places + [t for label, t in other_entities if label == "NORP" and t]
    for ent in person_entities:
        if len(ent.split()) == 1 and any(
            re.search(rf"\b{re.escape(ent)}\b", o) and o != ent for o in places
        ):
            continue  # "Vegas" tagged PERSON once, "Las Vegas" a place elsewhere
        if len(ent.split()) >= 2 or ent[:1].isupper():
            people.add(ent, phrase_gender(ent))
    lower_words = set(re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", text))
    pos = 0
    while (m := _FULL_NAME.search(text, pos)) is not None:
        # overlapping: "Critic Anna Lowe" is not a name, "Anna Lowe" is
        pos = m.start(2)
        first = m.group(1)
        if first in _STOP_FIRST:
            continue
        g = first_name_gender(first)
        if (
            g is None
            and not any(m.group(0) in e for e in person_entities)
            and not _ROLE_NOUN_BEFORE.search(text, max(0, m.start() - 40), m.start())
            and not (
                "\n" not in m.group(0)
                # a given name is never written in lower case ("Because Google says")
                and first.lower() not in lower_words
                and _surname_speaks(text, m.group(2))
                # not a word of a place's or a people's name ("American Muslims")
                and not any(m.group(2) in o.split() for o in places_groups)
            )
        ):
            # an unknown first word: a person only where spaCy said so, or where a role noun
            # stands before the name ("talent manager Scooter Braun", "attorney Sonya Zoghlin")
            continue
        pos = m.end()
        if g is None:
            before = _ROLE_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
            g = _ROLE_GENDER.get(before.group(1).lower()) if before else None
        people.add(m.group(0), g)
        more = re.match(rf"\s+({_NAME})\b", text[m.end() :])
        if (
            more
            and more.group(1) not in _STOP_FIRST
            and more.group(1).lower() not in _NOT_SURNAMES
            and not m.group(3)
        ):
            # "Christine Blasey Ford": "Ford" is her surname too
            people.add(f"{m.group(0)} {more.group(1)}", g)
            pos = m.end() + more.end()
    for m in _TITLED.finditer(text):
        if m.group(2).lower() in _NOT_SURNAMES:
            continue  # "Justice Department", "Attorney General"
        title = m.group(1).lower()
        people.add(m.group(2), _HONORIFIC_GENDER.get(title))
    # "Taylor" tagged PERSON alone is Taylor Swift's first name, not a person of its own
    firsts = {p.name.split()[0].lower() for p in people.by_key.values() if len(p.name.split()) > 1}
    for key in [k for k, p in people.by_key.items() if len(p.name.split()) == 1 and k in firsts]:
        del people.by_key[key]
    for key in [k for k, p in people.by_key.items() if _written_as_it(text, p)]:
        people.bodies.add(people.by_key.pop(key).name)
    for m in _NAME_ITS.finditer(text):
        word = m.group(1)
        if (
            word.lower() not in people.by_key
            and word not in _STOP_FIRST
            and word.lower() not in _NOT_LONE_NAMES
            and _written_as_it(text, Person(word.lower(), word))
        ):
            people.bodies.add(word)
    _record_mentions(text, people)
    added = _pronoun_genders(text, people, others)
    if added:
        _record_mentions(text, people, added)
    return people


# Speech verbs a surname alone is the subject of ("Lopez said", "said Lopez").
_SPEECH = r"(?:said|says|added|adds|told|tells|explained|noted|insisted|argued|recalled|wrote)"


def _surname_speaks(text: str, surname: str) -> bool:
    """The last word of a "First Last" name (an unknown first word: "Feliciano Lopez") is
    written alone elsewhere as the subject of a speech verb ("Lopez said", "said Lopez"): news
    copy names a person in full once and by the surname after, which it does not do with the
    last word of a body's name. Not a word that ends a body's name ("Energy", "Group")."""
    if surname.lower() in _NOT_SURNAMES:
        return False
    name = re.escape(surname)
    for m in re.finditer(rf"\b{name}\s+{_SPEECH}\b|\b{_SPEECH}\s+{name}\b(?![ \t]+[A-Z])", text):
        if m.group(0).startswith(surname) and re.search(
            r"[A-Z][\w’'-]*[ \t]+$", text[max(0, m.start() - 40) : m.start()]
        ):
            continue  # "Feliciano Lopez said": the full name again, not the surname alone
        return True
    return False


_NAME_ITS = re.compile(r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+)?its\b")


def _written_as_it(text: str, person: Person) -> bool:
    """A one-word name with no given name, title or sex that the article writes about as "its"
    right after it ("Pfizer raised its forecast", "Pfizer and its partner"): a body that a
    PERSON tag took for a person."""
    if len(person.name.split()) != 1 or person.gender:
        return False
    name = re.escape(person.name)
    return (
        re.search(rf"\b{name}\s+(?:(?:and|has|had|said|says|[a-z]+ed|[a-z]+s)\s+)?its\b", text)
        is not None
        and re.search(rf"\b{name}\s+(?:\w+\s+){{0,3}}(?:his|her|he|she)\b", text) is None
    )


def _record_mentions(text: str, people: People, keys: Iterable[str] | None = None) -> None:
    """Every capitalised mention of each person's key (or of ``keys`` only)."""
    keys = list(people.by_key if keys is None else keys)
    if keys:
        pat = re.compile(r"\b(" + "|".join(re.escape(k.capitalize()) for k in keys) + r")\b", re.I)
        for m in pat.finditer(text):
            word = m.group(1)
            if not _name_word(word):
                continue
            people.by_key[word.lower()].mentions.append((m.start(), m.end()))


# What may stand before a sentence's subject: a connective, a short fronted phrase and a
# comma, titles and first names ("But Rep. Adam", "Even so, ").
_LEAD = re.compile(
    r"(?:^|(?<=[.?!])\s+|\n\s*)(?:(?:But|And|So|Yet|However|Meanwhile|Later|Still|Also|Then|Now)"
    r"\b,?\s+)?(?:[A-Z][^,;:“”\"\n]{0,40},\s+)?(?:[A-Z][\w.’'\-]*\s+){0,4}$"
)
# Words that open a fronted phrase, not a subject: "Like Saviano, he said", "As Smith ...".
FRONTED = re.compile(
    r"\b(?:Like|Unlike|As|With|Without|After|Before|For|From|To|Of|In|On|At|By|About|"
    r"According|Against|Despite|Unlike|Under|Over|Than|Including|Beside|Besides|Behind)\s+"
    r"(?:[A-Z][\w.’'\-]*\s+){0,3}$"
)
_GENDERED = re.compile(r"\b(he|she|his|her|himself|herself)\b|[“”\"]|\n|[.?!](?=\s)", re.I)
# Words after an object "her" ("told her that", "asked her to"), not after a possessive one.
_NOT_AFTER_POSSESSIVE = frozenset(
    """a an the that to in on at for with and or but about if whether of by from as this these
    those his her their some any no up out off down over into onto than not is was""".split()
)
_NOT_LONE_NAMES = frozenset(
    """police officials authorities prosecutors investigators officers experts critics the a an
    this that these those it he she they we i you there here his her their its our my""".split()
)
_ROLE_WORDS = re.compile(r"\b(?:" + "|".join(_ROLE_GENDER) + r")s?\b", re.I)


def _votes_after(text: str, end: int, others: list[tuple[int, str | None]]) -> str | None:
    """The sex of the first he/she/his/her after ``end``, in the same sentence or as the next
    sentence's first word, unless a gendered role word, a quote, or another person (``others``:
    mentions as (start, sex)) who could be the one meant comes first: Taylor Swift, a woman,
    does not stop a "he"."""
    limit = min(len(text), end + 300)

    def vote(pos: int, word: str) -> str | None:
        g = pronoun_gender(word)
        if any(end < s < pos and og in (None, g) for s, og in others):
            return None
        return g

    for m in _GENDERED.finditer(text, end, limit):
        if _ROLE_WORDS.search(text, end, m.start()):
            return None
        word = m.group(1)
        if word and word.lower() == "her":
            nxt_word = re.match(r"\s+([a-z]+)\b", text[m.end() : m.end() + 20])
            if not nxt_word or nxt_word.group(1) in _NOT_AFTER_POSSESSIVE:
                continue  # "told her that": whom, not whose; "her former label": hers
        if word:
            return vote(m.start(), word)
        if m.group(0) in '“”"\n':
            return None
        # a sentence ends: the next one counts only where it opens with He or She
        nxt = re.match(r"[.?!]\s+(He|She|His)\b", text[m.start() : m.start() + 8])
        return vote(m.start() + nxt.start(1), nxt.group(1)) if nxt else None
    return None


def _pronoun_genders(text: str, people: People, others: list[str]) -> list[str]:
    """Sex from the article's own pronouns: a person named as a sentence's subject and then
    written about as "he" or "she" before anyone else is named ("Scanlan said his reaction ...",
    "Braun has worked with ... . He has consistently denied ..."). A person of unknown sex takes
    the sex most such pronouns give (two to one at least). A lone capitalised word not yet known
    as a person, never written in lower case, not a place's or body's name, that is so written
    about is a person too ("Even so, Morphonious still parlayed ... where he discussed")."""
    added: list[str] = []
    lower_words = set(re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", text))
    mid_sentence = {
        m.group(1)
        for m in re.finditer(
            r"(?:[a-z,]\s+|\s[A-Z][a-z]*\.\s+)([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)", text
        )
    }
    # twice: a sex found in the first pass (Taylor Swift is "she") stops no "he" in the second
    for _pass in range(2):
        added += _pronoun_pass(text, people, others, lower_words, mid_sentence)
    return added


def _pronoun_pass(
    text: str, people: People, others: list[str], lower_words: set[str], mid_sentence: set[str]
) -> list[str]:
    """One pass of :func:`_pronoun_genders`; returns the keys of the people it added."""
    mentions = sorted((s, p.gender) for p in people.by_key.values() for s, _e in p.mentions)
    votes: dict[str, list[str]] = {}
    other_words = {w for o in others for w in re.findall(r"[A-Z][\w’'-]*", o)}
    for m in re.finditer(r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\b", text):
        word = m.group(0)
        key = word.lower()
        if (
            key in _NOT_LONE_NAMES
            or key.endswith(("'s", "’s"))
            or text[m.end() : m.end() + 2] in ("'s", "’s")
        ):
            continue
        known = people.by_key.get(key)
        if known is None and (
            word in _STOP_FIRST
            or word in other_words
            or first_name_gender(word)
            or key in lower_words
        ):
            continue  # a word the article also writes in lower case is no name
        if known is not None and known.gender:
            continue
        lead = _LEAD.search(text, max(0, m.start() - 80), m.start())
        if not lead or FRONTED.search(lead.group(0)):
            continue  # not the subject: "Like Saviano, he said ..."
        if known is None and (
            re.search(r"[A-Z][\w.’'\-]*\s+$", text[max(0, m.start() - 30) : m.start()])
            or re.match(r"\s+[A-Z]", text[m.end() : m.end() + 3])
        ):
            continue  # a word of a longer name ("Big Machine"), not a lone name
        if known is None and word not in mid_sentence:
            continue  # a lone name is written mid-sentence somewhere, not only as a first word
        after = [(s, g) for s, g in mentions if m.end() < s < m.end() + 300]
        g = _votes_after(text, m.end(), after)
        if g in ("m", "f"):
            votes.setdefault(key, []).append(g)
    added = []
    for key, vs in votes.items():
        m_count, f_count = vs.count("m"), vs.count("f")
        if max(m_count, f_count) < 2 * min(m_count, f_count) or m_count == f_count:
            continue
        g = "m" if m_count > f_count else "f"
        if key in people.by_key:
            people.by_key[key].gender = g
        else:
            person = people.add(key.capitalize(), g)
            if person is not None:
                added.append(person.key)
    return added
