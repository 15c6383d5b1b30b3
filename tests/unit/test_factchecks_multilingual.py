"""Cross-language matching (issue 24) on hand-built sentences: names, numbers and denials in
each language, the sentence's language, the e5 path of the searcher with a fake encoder, and e5
vectors kept by the store. No model is loaded here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsift.factchecks.multilingual import (
    CROSS_FEATURES,
    CrossModel,
    cosine_lift,
    cross_features,
    names_of,
    numbers_of,
    polarity,
    sentence_language,
    voice_of,
)
from newsift.factchecks.search import FEATURES, LogisticModel, Reranker, Searcher, describe
from newsift.factchecks.store import E5_FILE, Collection, build_bm25, ensure_e5, save_collection


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Вашингтон подталкивает Киев к войне с Россией.", {"usa", "ukraine", "russia"}),
        ("Вашингтон підштовхує Київ до війни з Росією.", {"usa", "ukraine", "russia"}),
        ("Die NATO blockiert Nord Stream 2 auf Anweisung der USA.", {"nato", "nordstream", "usa"}),
        ("L'UE et l'OTAN accusent la Russie.", {"eu", "nato", "russia"}),
        ("Los estadounidenses no dejan salir a los refugiados sirios.", {"usa", "syria"}),
        (
            "Polska i Litwa realizują plan Waszyngtonu wobec Białorusi.",
            {"poland", "lithuania", "usa", "belarus"},
        ),
        ("The Americans created ISIS in Syria.", {"usa", "isis", "syria"}),
    ],
)
def test_names_are_found_in_every_language(text, names):
    assert names_of(text) == names


def test_short_names_count_only_in_capitals():
    # "ес" inside "есть", Spanish "uno", Polish "ue" in a word are not the EU/UN
    assert names_of("у него есть уно и ue") == set()
    assert names_of("ЕС и ONU") == {"eu", "un"}


def test_us_in_capitals_is_the_united_states_as_a_whole_word():
    # catalogue titles say "US will give Ukraine $250 million ..."; "us", "USD", "UEFA" are not
    assert names_of("US will give Ukraine $250 million") == {"usa", "ukraine"}
    assert names_of("The U.S. and the EU's envoy") == {"usa", "eu"}
    assert names_of("Tell us: 250 USD for the UEFA final") == set()


def test_numbers_drop_their_group_separators():
    assert numbers_of("2,500 killed") == numbers_of("2 500 погибших") == numbers_of("2.500 Tote")
    assert numbers_of("no figure") == set()


def test_digits_of_names_are_not_stated_numbers():
    # "COVID-19", "SARS-CoV-2", "MH17", "Су-25" name things; a rewording often leaves them out
    assert numbers_of("COVID-19 and SARS-CoV-2 near MH17, an Су-25") == set()
    assert numbers_of("in 2014, 250 soldiers") == {"2014", "250"}
    assert numbers_of("12.000 desplazados, 8,5 млн") == {"12000", "85"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Россия никогда не разрабатывала «Новичок».", 1),
        ("Росія розробила «Новачок».", 0),
        ("Es gibt keinen Beweis.", 1),
        ("Il n'existe aucune preuve.", 1),
        ("No hay ninguna prueba.", 1),
        ("Nie ma dowodów.", 1),
        ("Mit dem Gesetz wird alles anders.", 0),  # German "mit" (with) is not a denial
        ("Włączenie było nielegalną aneksją.", 0),  # "nie" only as a whole word
    ],
)
def test_denials_in_every_language(text, expected):
    assert polarity(text) == expected


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        (
            "Кремлёвские СМИ без каких-либо доказательств утверждают, что ИГИЛ создали США.",
            "critical",
        ),
        ("Російська пропаганда безпідставно стверджує, що революцію спланували.", "critical"),
        ("Staatsmedien behaupten ohne Belege, das Virus stamme aus einem Labor.", "critical"),
        ("La propagande prétend faussement que l'attaque a été mise en scène.", "critical"),
        ("Los medios difunden el bulo de que habrá microchips.", "critical"),
        ("Propaganda twierdzi bez żadnych dowodów, że Litwa jest psem NATO.", "critical"),
        ("Как заявил министр, Россия не участвует в конфликте.", "reported"),
        ("Según el ministro, Rusia no participa en el conflicto.", "reported"),
        ("Россия не участвует в конфликте.", None),
    ],
)
def test_voice_in_other_languages(text, voice):
    assert voice_of(text) == voice


@pytest.mark.parametrize(
    ("text", "article", "lang"),
    [
        ("Россия не является стороной конфликта.", None, "ru"),
        ("Росія не є стороною конфлікту.", None, "uk"),
        ("Russia is not a party to the conflict in Ukraine.", None, "en"),
        ("Russia is not a party to the conflict in Ukraine.", "de", "en"),
        ("Russland ist keine Konfliktpartei.", "de", "de"),
        ("Polska i Litwa destabilizują Białoruś.", "pl", "pl"),
        ("ISIS in Syria", None, "en"),  # too short to tell: English
        ("ISIS in Syria", "en", "en"),
    ],
)
def test_sentence_language(text, article, lang):
    assert sentence_language(text, article) == lang


def test_cross_features_and_lift():
    f = cross_features("ООН признала Крым российским.", "The UN admits that Crimea is Russian", 0.9)
    assert len(f) == len(CROSS_FEATURES)
    row = dict(zip(CROSS_FEATURES, f, strict=True))
    assert row["name_recall"] == 1.0 and row["polarity_mismatch"] == 0.0
    opposite = cross_features("Россия не аннексировала Крым.", "Russia annexed Crimea", 0.9)
    assert dict(zip(CROSS_FEATURES, opposite, strict=True))["polarity_mismatch"] == 1.0
    assert cosine_lift(0.95, np.array([0.95, 0.85, 0.85])) == pytest.approx(0.95 - 0.8833, abs=1e-3)


class NameEncoder:
    """A fake multilingual encoder: a bag of canonical names (so translations meet)."""

    dim = 8
    vocab = ("usa", "russia", "ukraine", "crimea", "un", "isis", "syria", "nato")

    def encode(self, texts, role="query"):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for n in names_of(t):
                if n in self.vocab:
                    out[i, self.vocab.index(n)] = 1.0
        out += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


RECORDS = [
    {"id": "c1", "claim": "The UN admits that Crimea is Russian"},
    {"id": "c2", "claim": "The US created ISIS in Syria"},
    {"id": "c3", "claim": "NATO is surrounding Russia"},
]


def _catalogue(with_e5: bool = True) -> Collection:
    records = [dict(r, url="", rating="", date="2020-01-01", title="", speaker="") for r in RECORDS]
    emb = np.eye(len(records), 384, dtype=np.float32)
    e5 = NameEncoder().encode([r["claim"] for r in records]) if with_e5 else None
    meta = {"name": "euvsdisinfo", "kind": "narratives", "language": "en"}
    return Collection("euvsdisinfo", meta, records, emb, build_bm25(records), embeddings_e5=e5)


def _reranker() -> Reranker:
    n = len(FEATURES)
    plain = LogisticModel(list(range(n)), [0.0] * n, [1.0] * n, [0.0] * n, -10.0, False)
    k = len(CROSS_FEATURES)
    # the cosine and the names decide; threshold 0.5
    cross = CrossModel([0.0] * k, [1.0] * k, [10.0, 0.0, 2.0, 2.0, 0.0, -5.0], -11.0, 0.5)
    return Reranker(plain, plain, plain, 0.5, 0.5, 0.5, cross, cross)


def test_a_russian_sentence_matches_an_english_case_and_says_so():
    searcher = Searcher([_catalogue()], reranker=_reranker())
    fake = NameEncoder().encode
    (found,) = searcher.search(
        ["ООН признала Крым российским."], k=3, min_score="default", encode_e5=fake
    )
    assert found and found[0]["id"] == "c1"
    assert found[0]["cross_language"] is True
    assert found[0]["languages"] == {"sentence": "ru", "record": "en"}
    described = describe(
        found[0], "Кремль без доказательств утверждает, что ООН признала Крым.", None
    )
    assert described["voice"] == "critical" and described["headline"] is False


def test_english_goes_by_e5_or_minilm_and_other_languages_need_e5_vectors():
    fake = NameEncoder().encode
    e5 = Searcher([_catalogue()], reranker=_reranker())
    (found,) = e5.search(["The UN admits Crimea is Russian."], min_score="default", encode_e5=fake)
    assert found and found[0]["id"] == "c1" and found[0]["cross_language"] is False
    minilm = Searcher([_catalogue()], reranker=_reranker(), english_e5=False)
    assert minilm.e5_model(minilm.collections[0], "en") is None
    assert minilm.e5_model(minilm.collections[0], "de") is not None
    no_vectors = Searcher([_catalogue(with_e5=False)], reranker=_reranker())
    assert no_vectors.search(["ООН признала Крым российским."], langs=["ru"]) == [[]]


def test_store_keeps_e5_vectors_and_ignores_stale_ones(tmp_path):
    coll = _catalogue()
    folder = tmp_path / "euvsdisinfo"
    save_collection(folder, coll.meta, coll.records, coll.embeddings, coll.embeddings_e5)
    loaded = Collection.load(folder)
    assert loaded.embeddings_e5 is not None and loaded.embeddings_e5.shape == (3, 8)
    np.save(folder / E5_FILE, np.ones((2, 8), dtype=np.float16))  # not one per record
    stale = Collection.load(folder)
    assert stale.embeddings_e5 is None
    vecs = ensure_e5(stale, NameEncoder())
    assert vecs.shape == (3, 8) and np.load(folder / E5_FILE).shape == (3, 8)


def test_multilingual_checkworthy_head(tmp_path):
    from newsift.stages.checkworthy import CHECK_WORTHY, NON_FACTUAL, MultilingualCheckworthy

    coef = [0.0] * 384
    coef[0] = 8.0
    three = [[0.0] * 384, [0.0] * 384, [0.0] * 384]
    three[0][1] = 5.0  # dimension 1: non-factual
    (tmp_path / "multilingual.json").write_text(
        json.dumps(
            {
                "binary": {"coef": coef, "intercept": -4.0},
                "three": {"coef": three, "intercept": [0.0, 0.0, 0.0]},
                "calibration": {"a": 1.0, "b": 0.0},
                "threshold": 0.5,
            }
        ),
        encoding="utf-8",
    )
    head = MultilingualCheckworthy(tmp_path)

    def encode(texts):
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if any(ch.isdigit() for ch in t) else 1] = 1.0
        return out

    scores, classes = head.predict(
        [
            "В результате обстрела погибли 4 человека.",
            "Мы уверены, что будущее за сотрудничеством.",
            "Фото:",
        ],
        encode,
    )
    assert classes == [CHECK_WORTHY, NON_FACTUAL, NON_FACTUAL]
    assert scores[0] > 0.9 > scores[1]
