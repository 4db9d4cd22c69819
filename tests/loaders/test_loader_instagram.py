"""Instagram Graph API loader: canonical rows, brand account, rejects, sniffing, end to end.

Fixtures in tests/fixtures/instagram are synthetic (fictional account "modalucia"); see their README.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

import benchmark as bm
from benchmark import api
from benchmark.cli import app
from benchmark.loaders import Chunk, LoadOptions, detect_format
from benchmark.loaders.facebook_graph import LOADER as FB_LOADER
from benchmark.loaders.instagram import LOADER

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instagram"
ROW = ("brand", "message_id", "parent_id", "thread_id", "author_id", "is_brand", "kind", "created_at")
MEDIA, OWNER = "18000000000000001", "17841400000000001"


def load(path: Path, **options: object) -> list[Chunk]:
    return list(LOADER.load(path, LoadOptions(**options)))  # type: ignore[arg-type]


def rows(chunks: list[Chunk]) -> list[tuple[object, ...]]:
    return pl.concat([c.messages for c in chunks]).select(ROW).rows()


def t(hhmm: str, day: int = 1) -> datetime:
    h, m = hhmm.split(":")
    return datetime(2021, 3, day, int(h), int(m), tzinfo=UTC)


def test_media_with_comments_and_replies() -> None:
    chunks = load(FIXTURES / "media_comments.json")
    assert rows(chunks) == [
        ("modalucia", MEDIA, None, MEDIA, OWNER, True, "post", t("10:00")),
        ("modalucia", "17900000000000011", MEDIA, MEDIA, "17841400000000901", False, "comment", t("10:30")),
        ("modalucia", "17900000000000012", "17900000000000011", MEDIA, OWNER, True, "reply", t("10:50")),
        # written with a username only: the username stands in as author id
        ("modalucia", "17900000000000013", "17900000000000011", MEDIA, "giulia_b", False, "reply", t("11:00")),
        ("modalucia", "17900000000000014", MEDIA, MEDIA, "17841400000000902", False, "comment", t("12:00")),
    ]
    messages = pl.concat([c.messages for c in chunks])
    assert set(messages["platform"]) == {"instagram"}
    assert messages["text"].to_list()[:2] == ["Nuova collezione primavera", "Spedite in Svizzera?"]
    assert not any(c.rejects for c in chunks) and not any(c.notes for c in chunks)


def test_flat_replies_with_parent_id_brand_from_option_and_truncated_line() -> None:
    chunks = load(FIXTURES / "comments_flat.ndjson", brands=("@modalucia",))
    media = "18000000000000002"
    assert rows(chunks) == [
        ("modalucia", "17900000000000021", media, media, "anna.r", False, "comment", t("09:00", day=2)),
        ("modalucia", "17900000000000022", "17900000000000021", media, "modalucia", True, "reply", t("09:20", day=2)),
        ("modalucia", "17900000000000023", "17900000000000021", media, None, False, "reply", t("09:30", day=2)),
    ]
    (reject,) = [r for c in chunks for r in c.rejects]
    assert reject.record == 3 and reject.reason.startswith("line 3: malformed JSON") and "ends inside this line" in reject.reason
    assert [n for c in chunks for n in c.notes] == ["1 comments without from/username kept (author unknown, not counted as the brand's)"]
    assert sum(c.read for c in chunks) == 4


def test_without_brand_the_comments_are_kept_unattributed_with_a_note() -> None:
    chunks = load(FIXTURES / "comments_flat.ndjson")
    messages = pl.concat([c.messages for c in chunks])
    assert messages["brand"].to_list() == [None, None, None] and not messages["is_brand"].any()
    assert "no account owning the media is known: pass --brand USERNAME to attribute these comments" in chunks[-1].notes


def test_comment_without_id_is_rejected_with_its_index(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"data": [
        {"id": "1", "text": "ciao", "timestamp": "2021-03-03T08:00:00+0000", "username": "x"},
        {"text": "senza id", "timestamp": "2021-03-03T08:01:00+0000", "username": "y"},
        {"id": "3", "text": "ora sbagliata", "timestamp": "ieri", "username": "z"},
    ]}))
    chunks = load(path)
    assert [(r.record, r.reason) for c in chunks for r in c.rejects] == [
        (2, "comment has no id"),
        (3, "timestamp ieri is not a timestamp"),
    ]


def test_sniff_and_cli_choose_instagram(tmp_path: Path) -> None:
    for name in ("media_comments.json", "comments_flat.ndjson"):
        path = FIXTURES / name
        head = path.read_bytes()[: 64 * 1024]
        assert LOADER.sniff(head, path) and not FB_LOADER.sniff(head, path), name
        assert detect_format(path).name == "instagram"
    result = CliRunner().invoke(app, ["ingest", str(FIXTURES / "comments_flat.ndjson"), "--store", str(tmp_path / "s"), "--brand", "modalucia"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # messages go to stderr only
    assert "instagram" in result.stderr and "line 3" not in result.stdout


def test_end_to_end_brand_replies_count_as_responses(tmp_path: Path) -> None:
    # Instagram comments are not visitor posts: by default they are not requests. A mention
    # (a fan's comment elsewhere that tags the account) is one: parent null, brand = the account,
    # unanswered here. The media file's brand replies stay brand messages under the same brand name.
    store = bm.create_store(tmp_path / "store")
    mention = tmp_path / "mention.json"
    mention.write_text(json.dumps({
        "mentioned_comment": {"id": "17900000000000031", "text": "@modalucia ordine mai arrivato", "timestamp": "2021-03-04T08:00:00+0000", "username": "pia.l"},
        "id": OWNER,
    }))
    reports = api.ingest([FIXTURES / "media_comments.json", mention], store, brands=["modalucia"])
    assert [(r.read, r.stored, r.rejected) for r in reports] == [(5, 5, 0), (1, 1, 0)]
    messages = store.messages().sort("created_at")
    assert messages.filter(pl.col("kind") == "mention").select("brand", "parent_id", "is_brand").rows() == [("modalucia", None, False)]
    assert messages.filter(pl.col("is_brand")).select("message_id", "brand").rows() == [(MEDIA, "modalucia"), ("17900000000000012", "modalucia")]
    facts = api.requests(store)
    assert facts.select("platform", "brand", "request_id", "frt_s").rows() == [("instagram", "modalucia", "17900000000000031", None)]
