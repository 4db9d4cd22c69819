"""Topic classification, routing, taxonomy validation and question detection (synthetic data)."""

from __future__ import annotations

import re
from pathlib import Path

import narwhals as nw
import polars as pl
import pytest

from benchmark.errors import InputError
from benchmark.listening.classify import classify
from benchmark.listening.evaluate import predictions, question_scores, topic_scores
from benchmark.text.questions import is_question
from benchmark.listening.taxonomy import default_taxonomy, parse_taxonomy

LABELLED = Path(__file__).parents[1] / "fixtures" / "listening" / "labelled.csv"


def test_labelled_set_is_big_enough_and_bilingual() -> None:
    d = pl.read_csv(LABELLED)
    assert d.height >= 150
    assert set(d.get_column("lang").unique()) == {"it", "en"}
    assert set(d.get_column("topic").unique()) <= set(default_taxonomy().names)


def test_default_taxonomy_scores_on_the_labelled_set() -> None:
    """The figures docs/listening.md quotes; a taxonomy edit that lowers them must update the docs."""
    pred = predictions(pl.read_csv(LABELLED))
    scores = topic_scores(pred)
    assert scores.get_column("precision").min() >= 0.85
    assert scores.get_column("recall").min() >= 0.80
    assert (pred["expected"] == pred["predicted"]).mean() >= 0.95
    q = question_scores(pred)
    assert q["precision"] >= 0.95 and q["recall"] >= 0.95


def test_case_accents_and_word_boundaries() -> None:
    df = pl.DataFrame({"text": ["LA BOLLETTA è sbagliata", "la bollètta", "bollettario del club", "billion dollar idea", "my BILL is wrong", None]})
    out = classify(df).get_column("topic").to_list()
    assert out == ["billing", "billing", "other", "other", "billing", "other"]


def test_priority_and_team_routing() -> None:
    df = pl.DataFrame({"text": ["the router you shipped never arrived", "vergogna, la fattura è sbagliata", "grazie mille"]})
    out = classify(df)
    assert out.get_column("topic").to_list() == ["delivery", "billing", "praise"]  # first matching topic wins
    assert out.get_column("team").to_list() == ["logistics", "billing", "community"]


def test_custom_taxonomy_prefix_patterns_and_default_team() -> None:
    tax = parse_taxonomy(
        """
default_team = "triage"
[[topic]]
name = "fraud"
team = "security"
keywords.it = ["truff*"]
patterns.any = ['\\bphish\\w*']
"""
    )
    out = classify(pl.DataFrame({"text": ["Una TRUFFA!", "truffatori", "phishing mail", "ciao"]}), tax)
    assert out.get_column("topic").to_list() == ["fraud", "fraud", "fraud", "other"]
    assert out.get_column("team").to_list() == ["security", "security", "security", "triage"]


def test_lazy_frames_are_classified_without_collecting_first() -> None:
    lf = pl.LazyFrame({"text": ["internet down da ieri"]})
    assert classify(lf).collect().get_column("topic").to_list() == ["network"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[topic]]\nname = 'x'\n", "team must be"),
        ("[[topic]]\nname = 'Bad Name'\nteam = 't'\nkeywords.en = ['a']\n", "name must be"),
        ("[[topic]]\nname = 'x'\nteam = 't'\n", "at least one keyword"),
        ("[[topic]]\nname = 'x'\nteam = 't'\npatterns.any = ['(']\n", "not a valid regular expression"),
        ("[[topic]]\nname = 'x'\nteam = 't'\nkeywords.en = ['a']\n[[topic]]\nname = 'x'\nteam = 't'\nkeywords.en = ['b']\n", "unique"),
        ("topic = [", "not valid TOML"),
        ("title = 'no topics'", "needs at least one"),
    ],
)
def test_bad_taxonomies_fail_with_one_clear_line(toml: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        parse_taxonomy(toml, source="my-taxonomy.toml")
    assert str(info.value).startswith("my-taxonomy.toml")
    assert "\n" not in str(info.value)


QUESTIONS = [
    ("Come posso pagare la bolletta", True),
    ("how do I reset my router", True),
    ("@TelcoNova @Other what is going on", True),
    ("aiuto!!", True),
    ("perche non funziona", True),
    ("Perché non funziona", True),
    ("error code 651 when I connect", False),
    ("really helpful staff, thanks", False),
    ("grazie mille", False),
    ("funziona?", True),
    (None, False),
]


def test_question_detection_on_polars_and_duckdb() -> None:
    import duckdb

    df = pl.DataFrame({"text": [t for t, _ in QUESTIONS]}, schema={"text": pl.String})
    expected = [q for _, q in QUESTIONS]
    on_polars = nw.from_native(df.lazy()).select(is_question(nw.col("text")).alias("q")).collect().to_native()
    assert on_polars.get_column("q").to_list() == expected
    con = duckdb.connect()
    rel = con.from_arrow(df.with_row_index("i").to_arrow())
    on_duck = nw.from_native(rel).select("i", is_question(nw.col("text")).alias("q")).collect("polars").to_native().sort("i")
    assert on_duck.get_column("q").to_list() == expected


@pytest.mark.spark
def test_question_detection_on_spark(spark_session: object) -> None:
    from benchmark.engine import SparkEngine

    eng = SparkEngine(spark_session)
    df = pl.DataFrame({"i": list(range(len(QUESTIONS))), "text": [t for t, _ in QUESTIONS]}, schema={"i": pl.Int64, "text": pl.String})
    out = eng.collect(eng.from_polars(df).select("i", is_question(nw.col("text")).alias("q"))).sort("i")
    assert out.get_column("q").to_list() == [q for _, q in QUESTIONS]


# ---- the eager classifier (literal pre-check, topic by topic) equals the one-expression chain ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from benchmark.listening.classify import _topic_of_folded, topics_of_folded  # noqa: E402
from benchmark.text.folding import fold  # noqa: E402

_WORDS = sorted({w for t in default_taxonomy().topics for ws in t.keywords.values() for w in ws})
_PIECES = st.one_of(
    st.sampled_from(_WORDS).map(lambda w: w.rstrip("*")),  # a keyword, or a stem written as one
    st.sampled_from(_WORDS).map(lambda w: w.rstrip("*") + "xyz"),  # a keyword glued to more letters
    st.sampled_from(["", " ", ".", "-", "é", "PASS", "2", "\n", "@Brand", "#tag"]),
    st.text(max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=6).map("".join), max_size=25))
def test_topics_of_folded_equals_the_expression_chain(texts: list[str]) -> None:
    tax = default_taxonomy()
    folded = pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(fold(pl.col("t").fill_null(""))).to_series()
    chain = folded.to_frame("f").select(_topic_of_folded(pl.col("f"), tax)).to_series()
    assert topics_of_folded(folded, tax).to_list() == chain.to_list()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_PIECES, max_size=6).map("".join)), max_size=25))
def test_topics_and_questions_equal_classify_and_is_question(texts: list[str | None]) -> None:
    """The report's labelling cleans each text once for both: the same topics, teams and questions."""
    from benchmark.listening.classify import topics_and_questions

    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    both = topics_and_questions(frame)
    apart = classify(frame, default_taxonomy()).with_columns(
        nw.from_native(frame.lazy()).select(is_question(nw.col("text")).alias("question")).collect().to_native().get_column("question")
    )
    assert both.equals(apart)


def test_topics_with_raw_patterns_are_checked_on_every_row() -> None:
    """A taxonomy topic given by a regex pattern has no literal pre-check: it still matches."""
    text = '[[topic]]\nname = "codes"\nteam = "t"\npatterns = { en = ["code\\\\s*[0-9]{3}"] }\n\n[[topic]]\nname = "bill"\nteam = "b"\nkeywords = { en = ["bill*"] }\n'
    tax = parse_taxonomy(text)
    assert tax.topics[0].literals is None and tax.topics[1].literals == ("bill",)
    out = classify(pl.DataFrame({"text": ["error code 404 on my bill", "billing issue", "nothing", None]}), tax)
    assert out.get_column("topic").to_list() == ["codes", "bill", "other", "other"]


# Issue 14, item 8: links, @mentions and #hashtags are not the customer's words ---------------------------

NOT_TEXT_CASES = [
    ("@sprintcare my bill is wrong.", False),  # the handle holds "are"
    ("@KFC_UKI_Help my chips were cold", False),  # ... "help"
    ("@TelcoNova_Help Complimenti, problema risolto!", False),
    ("@RapidoShopCare parcel arrived, see https://example.invalid/track?id=7", False),  # a link's "?"
    ("#help #whereismyorder parcel late again", False),
    ("@sprintcare is there an outage in Leeds", True),  # an interrogative right after the handle
    ("@KFC_UKI_Help, why is my order late", True),
    ("@a @b: dove siete?", True),
]


def test_mentions_links_and_hashtags_are_not_questions_on_polars_and_duckdb() -> None:
    import duckdb

    df = pl.DataFrame({"i": list(range(len(NOT_TEXT_CASES))), "text": [t for t, _ in NOT_TEXT_CASES]})
    expected = [q for _, q in NOT_TEXT_CASES]
    on_polars = nw.from_native(df.lazy()).select(is_question(nw.col("text")).alias("q")).collect().to_native()
    assert on_polars.get_column("q").to_list() == expected
    rel = duckdb.connect().from_arrow(df.to_arrow())
    on_duck = nw.from_native(rel).select("i", is_question(nw.col("text")).alias("q")).collect("polars").to_native().sort("i")
    assert on_duck.get_column("q").to_list() == expected


@pytest.mark.spark
def test_mentions_links_and_hashtags_are_not_questions_on_spark(spark_session: object) -> None:
    from benchmark.engine import SparkEngine

    eng = SparkEngine(spark_session)
    df = pl.DataFrame({"i": list(range(len(NOT_TEXT_CASES))), "text": [t for t, _ in NOT_TEXT_CASES]})
    out = eng.collect(eng.from_polars(df).select("i", is_question(nw.col("text")).alias("q"))).sort("i")
    assert out.get_column("q").to_list() == [q for _, q in NOT_TEXT_CASES]


def test_mentions_links_and_hashtags_do_not_decide_a_topic() -> None:
    from benchmark.listening.classify import topic_expr

    texts = ["@RapidoShop_Delivery grazie mille", "#fibra grazie ragazzi", "https://example.invalid/billing thanks a lot", "@TelcoNova la #bolletta è sbagliata"]
    expected = ["praise", "praise", "praise", "billing"]
    assert classify(pl.DataFrame({"text": texts})).get_column("topic").to_list() == expected
    assert pl.DataFrame({"text": texts}).select(topic_expr(pl.col("text"))).to_series().to_list() == expected


def test_labelled_statements_to_help_desk_handles_are_not_questions() -> None:
    """The labelled set's ids 167–174 (issue 14): every one a statement, none detected as a question."""
    pred = predictions(pl.read_csv(LABELLED)).filter(pl.col("id") >= 167)
    assert pred.height == 8 and pred.get_column("question").sum() == 0
    assert pred.get_column("asks").to_list() == [False] * 8
    assert pred.get_column("predicted").to_list() == pred.get_column("expected").to_list()


def test_the_question_rules_are_part_of_the_facts_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached facts under --requests questions hold the detector's verdicts: a changed detector (issue 14's handle
    removal) must not reuse them; other request definitions keep their cache."""
    from benchmark.text import questions
    from benchmark.metrics import MetricOptions
    from benchmark.metrics.cache import FactsCache

    files = [tmp_path / "ingest-1" / "part.parquet"]
    before = {mode: FactsCache(tmp_path, files, "polars", MetricOptions(requests=mode)).folder for mode in ("questions", "starters")}
    monkeypatch.setattr(questions, "QUESTION_REGEX", questions.QUESTION_REGEX + "|an older rule")
    after = {mode: FactsCache(tmp_path, files, "polars", MetricOptions(requests=mode)).folder for mode in ("questions", "starters")}
    assert before["questions"] != after["questions"] and before["starters"] == after["starters"]
