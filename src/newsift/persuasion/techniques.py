"""The 14 persuasion techniques of SemEval-2020 Task 11, with a one-line explanation of each.

The names are spelled as in the PTC label files (and in ``techniques.txt``), so they round-trip
through ``newsift eval persuasion`` unchanged. The explanations are ours, written for readers of the
reports; they paraphrase the definitions of Da San Martino et al. (2019).
"""

from __future__ import annotations

TECHNIQUES: dict[str, str] = {
    "Appeal_to_Authority": "Claims something is true because an authority or expert says so, "
    "without other evidence.",
    "Appeal_to_fear-prejudice": "Seeks support by stoking fear, anxiety or prejudice about an "
    "alternative or a group.",
    "Bandwagon,Reductio_ad_hitlerum": "Urges joining because 'everyone' does, or rejects an idea "
    "because a hated group holds it.",
    "Black-and-White_Fallacy": "Presents two options as the only possible ones when more exist.",
    "Causal_Oversimplification": "Gives a single cause for an outcome that has several.",
    "Doubt": "Questions the credibility of someone or something without substance.",
    "Exaggeration,Minimisation": "Makes something look larger, better or worse, or smaller and "
    "less important, than it is.",
    "Flag-Waving": "Plays on patriotism or group identity to justify an idea or action.",
    "Loaded_Language": "Uses words with strong emotional connotations to sway the reader.",
    "Name_Calling,Labeling": "Labels a person or group with a term the audience fears, hates or "
    "admires.",
    "Repetition": "Repeats the same message over and over so the audience accepts it.",
    "Slogans": "A short, striking phrase that may include labelling and stereotyping.",
    "Thought-terminating_Cliches": "A stock phrase that discourages critical thought and ends the "
    "discussion.",
    "Whataboutism,Straw_Men,Red_Herring": "Deflects criticism by charging hypocrisy, distorts the "
    "opponent's position, or brings in an irrelevant topic.",
}

#: The labels in a fixed order (the order of ``techniques.txt``); model outputs index into it.
LABELS: tuple[str, ...] = tuple(sorted(TECHNIQUES))

#: Techniques marked on a few words (median gold span of 2-5 words in the PTC training articles):
#: their spans are decoded with a tighter ``lo_short`` when the tagger's config has one.
WORD_LEVEL: frozenset[str] = frozenset(
    {
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Repetition",
        "Slogans",
        "Thought-terminating_Cliches",
    }
)
#: Techniques marked on a whole argument (median gold span of 13-20 words): decoded with a looser
#: ``lo_long``. The two others (Exaggeration,Minimisation and Flag-Waving, 6-7 words) keep ``lo``.
ARGUMENT_LEVEL: frozenset[str] = frozenset(
    {
        "Appeal_to_Authority",
        "Appeal_to_fear-prejudice",
        "Bandwagon,Reductio_ad_hitlerum",
        "Black-and-White_Fallacy",
        "Causal_Oversimplification",
        "Doubt",
        "Whataboutism,Straw_Men,Red_Herring",
    }
)
