"""Issue 14, item 7: Twitter API v2 without --brand infers the brand accounts, says which, and --brand overrides.

One synthetic page (fictional accounts), 2024-03-04 UTC:

* @LumeBank_Care (9100) is mentioned by 5 thread starters (1, 3, 5, 7, 9) and answers 4 of them, 4 distinct customers;
  starter 5 mentions @LumeBank_Care first, then @VoltaCasa: it is LumeBank_Care's.
* @VoltaCasa (9200) is mentioned by starters 11, 13, 15 and answers each (3 distinct customers there); starter 17 names
  no brand, but VoltaCasa answers in its conversation: 4 requests.
* @anna_t is mentioned by one starter (21) and answers 2 people: a friend, not a care desk (fewer than 3 customers).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.loaders import LoadOptions
from benchmark.loaders.twitter_v2 import LOADER

NOTE = (
    "no --brand given: 2 brand account(s) inferred from the data (mentioned by thread starters and answering at least 3 "
    "distinct customers in those threads): @LumeBank_Care (5 requests), @VoltaCasa (4 requests); give --brand to choose them yourself"
)
USERS = {"9100": "LumeBank_Care", "9200": "VoltaCasa", "101": "giulia_r", "102": "marco_b", "103": "anna_t", "104": "luca_p", "105": "sara_m", "106": "piero_z"}


def tw(i: int, author: str, minute: int, text: str, conv: int, parent: int | None = None, reply_user: str | None = None, mentions: tuple[str, ...] | list[str] = ()) -> dict:
    """One v2 tweet at 09:``minute`` UTC."""
    t = {"id": str(i), "author_id": author, "conversation_id": str(conv), "created_at": f"2024-03-04T09:{minute:02d}:00.000Z",
         "text": text, "edit_history_tweet_ids": [str(i)], "entities": {"mentions": [{"username": m} for m in mentions]}}
    if parent:
        t["referenced_tweets"] = [{"type": "replied_to", "id": str(parent)}]
        t["in_reply_to_user_id"] = reply_user
    return t


tweets = [
    # LumeBank_Care answers 4 customers who mention it
    tw(1, "101", 0, "@LumeBank_Care carta bloccata", 1, mentions=["LumeBank_Care"]),
    tw(2, "9100", 5, "@giulia_r ti scriviamo in DM", 1, 1, "101", ["giulia_r"]),
    tw(3, "102", 1, "@LumeBank_Care app giù?", 3, mentions=["LumeBank_Care"]),
    tw(4, "9100", 6, "@marco_b stiamo verificando", 3, 3, "102", ["marco_b"]),
    tw(5, "104", 2, "@LumeBank_Care @VoltaCasa bonifico e bolletta", 5, mentions=["LumeBank_Care", "VoltaCasa"]),
    tw(6, "9100", 7, "@luca_p il bonifico è partito", 5, 5, "104", ["luca_p"]),
    tw(7, "105", 3, "@LumeBank_Care nessuna risposta", 7, mentions=["LumeBank_Care"]),
    tw(8, "9100", 8, "@sara_m eccoci", 7, 7, "105", ["sara_m"]),
    tw(9, "106", 4, "@LumeBank_Care ancora niente", 9, mentions=["LumeBank_Care"]),  # unanswered
    # VoltaCasa answers 3 customers; one starter names no brand but Volta writes in its conversation
    tw(11, "101", 10, "@VoltaCasa lettura contatore", 11, mentions=["VoltaCasa"]),
    tw(12, "9200", 15, "@giulia_r grazie, registrata", 11, 11, "101", ["giulia_r"]),
    tw(13, "102", 11, "@VoltaCasa bolletta doppia", 13, mentions=["VoltaCasa"]),
    tw(14, "9200", 16, "@marco_b controlliamo", 13, 13, "102", ["marco_b"]),
    tw(15, "106", 12, "@VoltaCasa luce saltata in via Roma", 15, mentions=["VoltaCasa"]),
    tw(16, "9200", 17, "@piero_z guasto in zona, squadra in arrivo", 15, 15, "106", ["piero_z"]),
    tw(17, "104", 13, "contatore nuovo, lettura sbagliata", 17),  # names no brand: VoltaCasa writes in its conversation
    tw(18, "9200", 18, "@luca_p la correggiamo noi", 17, 17, "104", ["luca_p"]),
    # anna_t: mentioned by one starter, answers twice: a friend, not a brand
    tw(21, "105", 20, "@anna_t ci vediamo?", 21, mentions=["anna_t"]),
    tw(22, "103", 21, "@sara_m sì!", 21, 21, "105", ["sara_m"]),
    tw(23, "103", 22, "@giulia_r vieni anche tu", 21, 22, "101", ["giulia_r"]),
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    page = {"data": tweets, "includes": {"users": [{"id": k, "username": v, "name": v} for k, v in USERS.items()]}, "meta": {"result_count": len(tweets)}}
    path = tmp_path / "search.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    return path


def _load(path: Path, brands: tuple[str, ...] = ()) -> tuple[pl.DataFrame, list[str]]:
    chunks = list(LOADER.load(path, LoadOptions(brands=brands)))
    return pl.concat([c.messages for c in chunks]), [n for c in chunks for n in c.notes]


def test_brand_accounts_are_inferred_and_named_with_their_requests(export: Path) -> None:
    messages, notes = _load(export)
    assert NOTE in notes
    brand = dict(messages.select("message_id", "brand").iter_rows())
    assert [brand[i] for i in ("1", "3", "5", "7", "9")] == ["LumeBank_Care"] * 5
    assert [brand[i] for i in ("11", "13", "15", "17")] == ["VoltaCasa"] * 4
    assert [brand[i] for i in ("21", "22", "23")] == [None, None, None]  # the friend's thread belongs to no brand
    authors = set(messages.filter(pl.col("is_brand")).get_column("author_id"))
    assert authors == {"LumeBank_Care", "VoltaCasa"}


def test_brand_overrides_the_inference(export: Path) -> None:
    messages, notes = _load(export, ("@VoltaCasa",))
    assert not any("inferred" in n for n in notes)
    assert set(messages.filter(pl.col("is_brand")).get_column("author_id")) == {"VoltaCasa"}
    assert dict(messages.select("message_id", "brand").iter_rows())["1"] is None  # LumeBank_Care is no brand now


def test_rank_of_a_raw_file_uses_the_inferred_brands(export: Path) -> None:
    result = CliRunner().invoke(app, ["rank", str(export), "--min-requests", "1", "--format", "json", "--columns", "brand,requests,answered"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"brand": "LumeBank_Care", "requests": 5, "answered": 4},
        {"brand": "VoltaCasa", "requests": 4, "answered": 4},
    ]
    assert NOTE in result.stderr.replace("\n", " ")
