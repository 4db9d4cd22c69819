"""Issue 6, fuzzing: every loader, fed arbitrary bytes or odd-but-structured records, either reads the
file (every record stored, duplicate or rejected: the counting identity) or stops with an InputError /
UsageError naming the file. Never another exception, never a hang (inputs are small). Synthetic data.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import benchmark as bm
from benchmark.errors import InputError, UsageError
from benchmark.loaders import REGISTRY, ColumnMapping, LoadOptions

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAPPING = ColumnMapping(message_id="id", created_at="when", author_id="who", parent_id="to", text="body")
OPTIONS = LoadOptions(brands=("AcmeTel",), mapping=MAPPING)
SUFFIX = {"twcs": ".csv", "csv": ".csv", "minimaxir": ".csv", "netvizz": ".tab", "twitter-v2": ".jsonl", "facebook": ".json", "instagram": ".json"}


def ingest_bytes(fmt: str, data: bytes, name: str = "fuzz") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}{SUFFIX[fmt]}"
        path.write_bytes(data)
        store = bm.create_store(Path(tmp) / "st")
        store.detect_language = False
        try:
            report = store.ingest_file(path, fmt=fmt, options=OPTIONS)
        except (InputError, UsageError) as exc:
            assert str(path) in str(exc) or path.name in str(exc), str(exc)
            assert "\n" not in str(exc).strip()
            return
        assert report.read == report.stored + report.duplicates + report.rejected
        assert store.messages().height == report.stored
        assert store.rejects().height == report.rejected


@FUZZ
@given(fmt=st.sampled_from(sorted(REGISTRY)), data=st.binary(max_size=400))
def test_arbitrary_bytes(fmt: str, data: bytes) -> None:
    ingest_bytes(fmt, data)


HEADERS = {
    "twcs": "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id",
    "csv": "id,when,who,to,body",
    "minimaxir": "comment_id,status_id,parent_id,comment_message,comment_author,comment_published,num_reactions",
    "netvizz": "position\tpost_id\tpost_by\tpost_text\tpost_published\tcomment_id\tcomment_by\tis_reply\tcomment_message\tcomment_published\tcomment_like_count",
}
ODD_TEXT = st.lists(
    st.sampled_from([*'ab1.-E+:"\n\r,\t @#\x00éè…', "2017", "True", "Mon Oct 02 10:00:00 +0000 2017", "2024-03-04T09:00:00Z", "1.2E+17", "3.0"]),
    max_size=6,
).map("".join)


@FUZZ
@given(fmt=st.sampled_from(sorted(HEADERS)), rows=st.lists(st.lists(ODD_TEXT, min_size=1, max_size=12), max_size=8), bom=st.booleans())
def test_odd_records_in_delimited_formats(fmt: str, rows: list[list[str]], bom: bool) -> None:
    sep = "\t" if fmt == "netvizz" else ","
    text = HEADERS[fmt] + "\n" + "\n".join(sep.join(r) for r in rows) + "\n"
    ingest_bytes(fmt, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "data", "from", "created_time", "timestamp", "text", "message", "parent", "comments", "replies", "author_id", "created_at", "conversation_id", "referenced_tweets", "includes", "username", "media", "paging"]), inner, max_size=5),
    max_leaves=15,
)


@FUZZ
@given(fmt=st.sampled_from(["twitter-v2", "facebook", "instagram"]), docs=st.lists(JSON_VALUE, min_size=1, max_size=4), layout=st.sampled_from(["ndjson", "array", "one"]))
def test_odd_records_in_json_formats(fmt: str, docs: list[object], layout: str) -> None:
    if layout == "ndjson":
        data = "\n".join(json.dumps(d) for d in docs)
    elif layout == "array":
        data = json.dumps(docs)
    else:
        data = json.dumps(docs[0])
    ingest_bytes(fmt, data.encode("utf-8"))
