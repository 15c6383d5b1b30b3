"""The analyser behind the web routes: one article at a time through newsift.api."""

from __future__ import annotations

import threading

import pytest

from newsift.web.service import Analyzer

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)

STAGES = ["nlp.v1", "attribution.v1", "claims.v0", "sourcing.v1"]
TEXTS = [
    f"The mayor of Town {i} said on Monday that {i * 100} homes lost power. "
    f'"We are working on it," said engineer Ana Ruiz {i}. Officials say repairs take a week.'
    for i in range(1, 5)
]


def test_concurrent_submissions_run_one_at_a_time_and_equal_single_ones():
    analyzer = Analyzer(stages=STAGES)
    singles = [analyzer.analyze_text(t).to_dict() for t in TEXTS]
    inside, peak, guard = [0], [0], threading.Lock()
    pipeline_call = analyzer._analyse

    def counting(prepare):
        def wrapped():
            with guard:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            try:
                return prepare()
            finally:
                with guard:
                    inside[0] -= 1

        return pipeline_call(wrapped)

    analyzer._analyse = counting
    results: dict = {}
    threads = [
        threading.Thread(target=lambda t=t: results.__setitem__(t, analyzer.analyze_text(t)))
        for t in TEXTS
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert peak[0] == 1
    assert [results[t].to_dict() for t in TEXTS] == singles


def test_a_bad_submission_fails_alone():
    import pytest

    from newsift.errors import ExtractionError

    analyzer = Analyzer(stages=STAGES)
    with pytest.raises(ExtractionError):
        analyzer.analyze_text("   ")
    assert analyzer.analyze_text(TEXTS[0]).layers["attributions"]
