"""Hand-written texts shared by the persuasion tests (written by us, not from any dataset)."""

LOADED = (
    "The corrupt globalist elites and their lapdog media are destroying our great nation. "
    "These traitors want open borders so that hordes of criminals can flood our cities. "
    "Wake up, America! They lie to you every single day, and the so-called experts "
    "cover it up. Make America great again. Patriots will never surrender to this tyranny. "
)
NEUTRAL = (
    "The city council met on Tuesday to discuss the budget for next year. Officials said "
    "the plan includes funding for road repairs and two new libraries. The vote is expected "
    "next month, after a public hearing on the proposal. "
)
