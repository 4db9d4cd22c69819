"""Language at ingest (lingua, offline) and stores written before the ``lang`` column (synthetic data)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import benchmark as bm
from benchmark.engine import DuckDBEngine, PolarsEngine
from benchmark.text.language import detect_languages, with_language
from benchmark.metrics import measure

LABELLED = Path(__file__).parents[1] / "fixtures" / "listening" / "labelled.csv"
TWCS_HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


def test_detects_the_languages_that_matter_and_leaves_noise_unknown() -> None:
    texts = pl.Series("text", [
        "@TelcoNova la bolletta di marzo è sbagliata, potete controllare?",
        "@TelcoNova my broadband has been down since this morning",
        "@RapidoShop mi pedido no ha llegado todavía",
        "@RapidoShop ma commande n'est toujours pas arrivée",
        "ok",
        "😊😊",
        None,
        "https://example.invalid/x @TelcoNova",
    ])
    assert detect_languages(texts).to_list() == ["it", "en", "es", "fr", None, None, None, None]


def test_language_of_the_labelled_set() -> None:
    """Short customer posts: at least 90% right, and never a wrong *confident* answer between it and en."""
    d = pl.read_csv(LABELLED)
    got = detect_languages(d.get_column("text"))
    right = (got == d.get_column("lang")).fill_null(False)
    assert right.mean() >= 0.9
    assert int((got.is_in(["it", "en"]) & ~right).sum()) <= 3


def test_with_language_keeps_what_a_loader_set_and_is_off_at_ingest_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    df = pl.DataFrame({"text": ["la fattura è sbagliata di nuovo", "the invoice is wrong again"], "lang": ["xx", None]})
    assert with_language(df).get_column("lang").to_list() == ["xx", None]  # lazy by default (issue 10)
    assert with_language(df, True).get_column("lang").to_list() == ["xx", "en"]
    monkeypatch.setenv("BENCHMARK_DETECT_LANGUAGE", "1")
    assert with_language(df).get_column("lang").to_list() == ["xx", "en"]
    monkeypatch.setenv("BENCHMARK_DETECT_LANGUAGE", "0")
    assert with_language(df).get_column("lang").to_list() == ["xx", None]


def _twcs(path: Path, rows: list[str]) -> Path:
    path.write_text(TWCS_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_ingest_stores_lang_and_old_layout_stores_still_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARK_DETECT_LANGUAGE", "1")  # detection at ingest, as asked
    store = bm.create_store(tmp_path / "store")
    first = _twcs(tmp_path / "a.csv", [
        "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel la mia linea non funziona da stamattina,2,",
        "2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 Ci scusiamo: scrivici in privato il tuo numero,,1",
    ])
    bm.ingest(first, store=store)
    # Rewrite that ingest as a store from before the lang column existed.
    (old_file,) = store.message_files()
    pl.read_parquet(old_file).drop("lang").write_parquet(old_file)
    second = _twcs(tmp_path / "b.csv", [
        "3,c2,True,Tue Oct 03 09:00:00 +0000 2017,@AcmeTel my internet has been down all day,4,",
        "4,AcmeTel,False,Tue Oct 03 10:00:00 +0000 2017,@c2 Sorry about that: please DM us your account number,,3",
    ])
    bm.ingest(second, store=store)
    msgs = store.messages().sort("message_id")
    assert msgs.get_column("lang").to_list() == [None, None, "en", "en"]
    for engine in (PolarsEngine(), DuckDBEngine()):
        m = measure(store, engine=engine)
        assert m.table.get_column("requests").to_list() == [2]  # both files measured: 1 + 1 requests
    # Only old-layout files: still readable, lang null.
    for f in store.message_files()[1:]:
        pl.read_parquet(f).drop("lang").write_parquet(f)
    assert store.messages().get_column("lang").null_count() == 4
    assert measure(store, engine=DuckDBEngine()).table.get_column("answered").to_list() == [2]


def test_detection_speed_is_reported_not_asserted() -> None:
    """No timed assertion (see DEVELOPERS.md); this only checks the batch path handles many rows."""
    texts = pl.Series("text", ["@TelcoNova la fattura è sbagliata numero %d" % i for i in range(2000)])
    assert detect_languages(texts).unique().to_list() == ["it"]


def test_ingest_can_skip_detection(tmp_path: Path) -> None:
    csv = _twcs(tmp_path / "c.csv", ["1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel la mia linea non funziona da stamattina,,"])
    store = bm.create_store(tmp_path / "store")
    bm.ingest(csv, store=store, detect_language=False)
    assert store.messages().get_column("lang").to_list() == [None]


def test_languages_are_detected_when_first_needed_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default ingest stores no language; the first figure that needs one detects the requests only,
    caches them in STORE/derived, and the next one reads the cache (detection would now fail loudly)."""
    from benchmark.text import language
    from benchmark.listening.source import with_request_text

    csv = _twcs(tmp_path / "d.csv", [
        "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel la mia linea non funziona da stamattina,2,",
        "2,AcmeTel,False,Mon Oct 02 10:05:00 +0000 2017,@c1 Ci scusiamo: scrivici in privato il tuo numero,,1",
        "3,c2,True,Tue Oct 03 09:00:00 +0000 2017,@AcmeTel my internet has been down all day,,",
    ])
    store = bm.create_store(tmp_path / "store")
    bm.ingest(csv, store=store)
    assert store.messages().get_column("lang").to_list() == [None, None, None]
    seen: list[int] = []
    real = language.detect_languages

    def counting(texts: pl.Series) -> pl.Series:
        seen.append(texts.len())
        return real(texts)

    monkeypatch.setattr(language, "detect_languages", counting)
    facts = measure(store).facts
    first = with_request_text(facts, store).sort("request_id")
    assert first.get_column("lang").to_list() == ["it", "en"]
    assert seen == [2]  # the two requests, not the brand's reply
    assert len(list((tmp_path / "store" / "derived").rglob("part-*.parquet"))) == 1

    def refuse(texts: pl.Series) -> pl.Series:
        raise AssertionError("detected twice")

    monkeypatch.setattr(language, "detect_languages", refuse)
    again = with_request_text(facts, store).sort("request_id")
    assert again.get_column("lang").to_list() == ["it", "en"]
    assert store.messages().get_column("lang").null_count() == 3  # the store itself is never rewritten


def test_a_damaged_language_cache_is_detected_again(tmp_path: Path) -> None:
    """Derived data only costs time when damaged: the part is dropped and its requests detected again."""
    from benchmark.listening.source import with_request_text

    csv = _twcs(tmp_path / "e.csv", ["1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel my internet has been down all day,,"])
    store = bm.create_store(tmp_path / "store")
    bm.ingest(csv, store=store)
    facts = pl.DataFrame({"platform": ["twitter"], "request_id": ["1"]})
    assert with_request_text(facts, store).get_column("lang").to_list() == ["en"]
    (part,) = (tmp_path / "store" / "derived").rglob("part-*.parquet")
    part.write_bytes(b"junk")
    assert with_request_text(facts, store).get_column("lang").to_list() == ["en"]
    assert len(list((tmp_path / "store" / "derived").rglob("part-*.parquet"))) == 1


def test_mentions_links_and_hashtags_are_not_read_for_language() -> None:
    """Issue 14, item 8: a handle or a tag is no word of the customer's language; a hashtag inside a sentence keeps its word."""
    from benchmark.text.language import clean_for_detection

    texts = pl.DataFrame({"t": ["@TelcoNova_Help #fail ciao a tutti https://example.invalid/x?y=1", "@KFC_UKI_Help #ThankYou", "www.example.invalid/a &amp; @Brand.Care grazie", "#Roma la #bolletta è sbagliata #fail #vergogna"]})
    assert texts.select(clean_for_detection(pl.col("t"))).to_series().to_list() == ["ciao a tutti", "", "grazie", "la bolletta è sbagliata"]
    assert detect_languages(pl.Series(["@KFC_UKI_Help #ThankYou #Legend"])).to_list() == [None]  # no words left: unknown, not English
