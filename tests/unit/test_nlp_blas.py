"""nlp.v1's spaCy pipeline multiplies through NumPy's BLAS on one thread (issue 22)."""

from __future__ import annotations

import pytest

from newsift.errors import ConfigError


def test_one_blas_thread_limits_for_the_block_and_restores() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from newsift.stages.nlp import one_blas_thread

    def blas_threads() -> list[int]:
        # NumPy's own BLAS (spaCy's layers multiply through NumPy): another library loaded
        # later by other code in the process (scipy's OpenBLAS) is not the one that matters
        infos = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        numpys = [i for i in infos if "numpy" in i["filepath"]]
        return [i["num_threads"] for i in numpys or infos[:1]]

    np = pytest.importorskip("numpy")
    np.ones((4, 4)) @ np.ones((4, 4))  # NumPy's BLAS loaded
    before = blas_threads()
    if not before:
        pytest.skip("no BLAS library loaded")
    with one_blas_thread():
        assert set(blas_threads()) == {1}
    assert blas_threads() == before


@pytest.mark.slow
def test_the_pipeline_layers_use_numpy_not_blis_and_parse_the_same() -> None:
    pytest.importorskip("spacy")
    from newsift.stages.nlp import (
        _DEEP_PIPES,
        _import_spacy,
        find_model,
        get_nlp,
        one_blas_thread,
    )

    try:
        nlp = get_nlp()
    except ConfigError as err:
        pytest.skip(f"nlp.v1 cannot load: {err}")
    # the CNN layers of every tok2vec (the pipeline's, NER's own, the senter's) do the products
    maxouts = [
        node
        for name in nlp.pipe_names
        for node in nlp.get_pipe(name).model.walk()
        if node.name == "maxout"
    ]
    assert maxouts and all(node.ops.use_blis is False for node in maxouts)
    # the same parse as spaCy's own ops (BLIS) give, on sentences written for this test
    blis = _import_spacy().load(
        find_model(),
        exclude=["tagger", "attribute_ruler", "lemmatizer"],
    )
    texts = [
        '"We will not pay for the bridge out of reserves," Mara Quint, who chairs the board, said on Monday.',
        "According to the audit office, spending on the ferry terminal rose by 14 percent in 2019.",
        "Officials in Lisbon said the decision had been taken weeks ago, but critics disagreed.",
    ]

    def parse(pipeline):
        with pipeline.select_pipes(enable=list(_DEEP_PIPES)), one_blas_thread():
            return [
                [(t.text, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]
                for doc in pipeline.pipe(texts)
            ]

    assert parse(nlp) == parse(blis)
