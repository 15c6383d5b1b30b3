"""Speech and attribution cues: the verbs and phrases that introduce a reported statement.

Shared by ``nlp.v1`` (which parses only sentences that hold a cue or a quote) and
``attribution.v1``.
"""

from __future__ import annotations

import re

_CUE_LEMMAS = {
    "say": "said says saying say",
    "tell": "told tells telling",
    "add": "added adds adding",
    "explain": "explained explains",
    "state": "stated states",
    "claim": "claimed claims claiming",
    "inform": "informed informs",
    "report": "reported reports",
    "note": "noted notes",
    "warn": "warned warns",
    "announce": "announced announces",
    "insist": "insisted insists",
    "argue": "argued argues",
    "confirm": "confirmed confirms",
    "deny": "denied denies",
    "allege": "alleged alleges",
    "assert": "asserted asserts",
    "write": "wrote writes written",
    "tweet": "tweeted tweets",
    "post": "posted",
    "declare": "declared declares",
    "acknowledge": "acknowledged acknowledges",
    "admit": "admitted admits",
    "believe": "believes believed believe",
    "estimate": "estimated estimates",
    "reveal": "revealed reveals",
    "accuse": "accused accuses",
    "testify": "testified testifies",
    "comment": "commented comments",
    "stress": "stressed stresses",
    "emphasize": "emphasized emphasised emphasizes emphasises",
    "suggest": "suggested suggests",
    "predict": "predicted predicts",
    "expect": "expects expected expecting",
    "charge": "charged charges",
    "forecast": "forecasts forecasted",
    "recall": "recalled recalls",
    "conclude": "concluded concludes",
    "continue": "continued",
    "reply": "replied replies",
    "respond": "responded responds",
    "observe": "observed observes",
    "remark": "remarked remarks",
    "mention": "mentioned mentions",
    "contend": "contended contends",
    "maintain": "maintained maintains",
    "concede": "conceded concedes",
    "indicate": "indicated indicates",
    "urge": "urged urges",
    "vow": "vowed vows",
    "promise": "promised promises",
    "threaten": "threatened threatens",
    "point": "pointed",
    "quote": "quoted",
    "show": "shows showed",
    "find": "found finds",
    "call": "called calls calling",
    "chant": "chanted chants chanting",
    "ask": "asked asks asking",
    "describe": "described describes",
    # verbs that report words only with a clause ("hinted that ...", "ruled that ...")
    "hint": "hinted hints",
    "notify": "notified notifies",
    "attest": "attested attests",
    "rule": "ruled rules",
    "disclose": "disclosed discloses",
    "assure": "assured assures",
}
# Cues above that report words only with a clausal complement or a quote: "the court ruled that
# ...", not "ruled out an inquiry"; "the CAO notified congressmen that ...", not "notified police".
CLAUSE_ONLY_CUES = frozenset({"hint", "notify", "attest", "rule", "disclose", "assure"})
CUE_FORMS = {
    form: lemma for lemma, forms in _CUE_LEMMAS.items() for form in [lemma, *forms.split()]
}

_EXTRA = (
    "according",
    "statement",
    "reportedly",
    "allegedly",
    "rumoured",
    "rumored",
    "quoted",
    "cited",
    "citing",
    "claims",
)
# A sentence needs a parse when it may hold an attribution: a quote mark or a cue word.
NEEDS_PARSE = re.compile(
    r"[\"“”«»„]|(?i:\bput it\b)|(?i:\b(?:"
    + "|".join(sorted(set(CUE_FORMS) | set(_EXTRA), key=len, reverse=True))
    + r")\b)"
)


# Function words shared by the stages that compare or cut phrases by their content words.
FUNCTION_WORDS = frozenset(
    """
a an the and or of in on at to for with by from into than that were was are is have has had will would as but this its their there they it
""".split()
)
