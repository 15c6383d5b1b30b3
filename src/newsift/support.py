"""The language support matrix: which stage runs on which language, and how well it was measured.

Whether a stage runs on a language is what the stage declares (:attr:`newsift.pipeline.Stage.
languages`), read from the stage itself; how well it does there is what was measured, written
below with the measurement's name (each is described, with the command that reproduces it, in
``docs/languages.md``). A cell with nothing measured says "not measured". ``newsift stages``
prints the matrix.
"""

from __future__ import annotations

from .lang import SUPPORTED

#: measured quality per stage and language; every figure is reproduced in docs/languages.md
QUALITY: dict[str, dict[str, str]] = {
    "nlp.v1": {
        "en": "English stages: docs/RESULTS.md",
        "ru": "sentences 9/9 exact (team gold, score part)",
        "uk": "sentences 9/9 exact (team gold, score part)",
        "de": "sentences 9/9 exact (team gold); German Wikinews dev+test: recall 0.884, "
        "precision 0.925 (spaCy English senter: 0.833 / 0.824)",
        "fr": "sentences 9/9 exact (team gold, score part)",
        "es": "sentences 10/10 exact (team gold, score part)",
        "pl": "sentences 9/9 exact (team gold, score part)",
    },
    "outlet.v1": {lang: "by the domain: the same in every language" for lang in SUPPORTED},
    # docs/attribution-languages.md (issue 24): source found on the team's score2 part, never
    # tuned on (7-8 attributions a language), and German Wikinews held out
    "attribution.v1": {
        "ru": "source found 0.857 (team gold score2, 7-8 items)",
        "uk": "source found 1.000 (team gold score2, 7-8 items)",
        "de": "source found 0.857 (team gold score2, 7-8 items); German Wikinews held out: "
        "source right 0.458 of 1,025 quotations",
        "fr": "source found 1.000 (team gold score2, 7-8 items)",
        "es": "source found 1.000 (team gold score2, 7-8 items)",
        "pl": "source found 0.875 (team gold score2, 7-8 items)",
    },
    # issue 24: counts and shares from the attributions and claims layers; sides and
    # insinuations are English wording, left empty with a `not_read` note elsewhere
    "sourcing.v1": {
        lang: "not measured; counts and shares from attribution.v1 and claims.v1, sides and "
        "insinuations not read (`not_read`)"
        for lang in ("ru", "uk", "de", "fr", "es", "pl")
    },
    "headline.v1": {
        lang: "not measured; headline-vs-attribution overlap on 6-letter word stems, "
        "vague-source check not read (`not_read`)"
        for lang in ("ru", "uk", "de", "fr", "es", "pl")
    },
}


def support_matrix(stage_names: list[str]) -> list[tuple[str, dict[str, str]]]:
    """``[(stage, {language: "yes" | "-" | "any"})]`` for ``stage_names``, the languages being
    :data:`newsift.lang.SUPPORTED` plus ``"other"`` (a language newsift does not analyse)."""
    from .pipeline import get_stage

    rows = []
    for name in stage_names:
        declared = get_stage(name).languages
        cells = {lang: "yes" if declared is None or lang in declared else "-" for lang in SUPPORTED}
        cells["other"] = "yes" if declared is None else "-"
        rows.append((name, cells))
    return rows


def matrix_lines(stage_names: list[str], default: tuple[str, ...]) -> list[str]:
    """The matrix as text lines: one row a stage, then the measured quality of each cell."""
    columns = [*SUPPORTED, "other"]
    width = max([len(n) for n in stage_names] + [5]) + 2
    lines = ["  " + "stage".ljust(width) + " ".join(c.ljust(5) for c in columns)]
    for name, cells in support_matrix(stage_names):
        mark = "*" if name in default else " "
        lines.append(f"{mark} {name.ljust(width)}" + " ".join(cells[c].ljust(5) for c in columns))
    lines.append(
        '(* in the default pipeline; "-": not run for that language, the article gets the '
        "problem STAGE/language_not_supported; other: languages newsift does not analyse, where "
        "nlp.v1 finds sentences only)"
    )
    lines.append("measured quality (docs/languages.md; a cell not listed is not measured):")
    for name, cells in support_matrix(stage_names):
        for lang in SUPPORTED:
            if cells[lang] == "-":
                continue
            unmeasured = "docs/RESULTS.md" if lang == "en" else "not measured"
            lines.append(f"  {name} {lang}: {QUALITY.get(name, {}).get(lang, unmeasured)}")
    return lines
