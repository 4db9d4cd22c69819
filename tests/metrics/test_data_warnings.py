"""Issue 14, item 9: a sample or an excerpt is said prominently, with the numbers, in rank and in the report.

Synthetic TWCS-layout files, fictional brand (AcmeTel):

* ``slice.csv``: 40 brand replies, of which only 6 have their request in the file (a random slice keeps the
  replies and loses what they answer): 34 messages reply to messages not in the data, 6 thread starters.
* ``recent.csv``: 4 requests; one answered on 2 Oct, three on 5 Oct never answered; the data ends 5 Oct 13:00,
  so those three are younger than 72 h: 3 of 4 requests open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
runner = CliRunner()
BROKEN = (
    "warning: most threads are broken: 34 messages reply to messages not in the data, against 6 thread starters "
    "(85% of threads start outside the data). This looks like a sample or an excerpt of an export: answers and the "
    "requests they answer are missing, so response rates and times say little. Rank the whole export."
)
OPEN = (
    "warning: most requests are open: 3 of 4 (75%) are unanswered and younger than 72h at the end of the data, so "
    "response rates rest on the other 1 only. The data may stop too early (an excerpt of the latest days?)."
)


def _slice(path: Path) -> Path:
    rows = []
    for i in range(40):
        req, rep = 2 * i + 1, 2 * i + 2
        if i < 6:
            rows.append(f"{req},c{i},True,Mon Oct 02 10:{i:02d}:00 +0000 2017,@AcmeTel help,{rep},")
        rows.append(f"{rep},AcmeTel,False,Mon Oct 02 11:{i:02d}:00 +0000 2017,@c{i} on it,,{req}")
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _recent(path: Path) -> Path:
    path.write_text(HEADER + "\n".join([
        "1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@AcmeTel help,2,",
        "2,AcmeTel,False,Mon Oct 02 10:30:00 +0000 2017,@c1 done,,1",
        "3,c2,True,Thu Oct 05 10:00:00 +0000 2017,@AcmeTel down again,,",
        "4,c3,True,Thu Oct 05 11:00:00 +0000 2017,@AcmeTel no signal,,",
        "5,c4,True,Thu Oct 05 12:00:00 +0000 2017,@AcmeTel still nothing,,",
        "6,AcmeTel,False,Thu Oct 05 13:00:00 +0000 2017,Network update: we are on it,,",
    ]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("warnings")
    out = {}
    for name, make in (("slice", _slice), ("recent", _recent)):
        store = root / name
        result = runner.invoke(app, ["ingest", str(make(root / f"{name}.csv")), "--store", str(store)])
        assert result.exit_code == 0, result.stderr
        out[name] = store
    return out


def test_rank_says_most_threads_are_broken(stores: dict[str, Path]) -> None:
    for fmt in ("table", "json"):
        result = runner.invoke(app, ["rank", "--store", str(stores["slice"]), "--min-requests", "1", "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert BROKEN in result.stderr.splitlines()
        assert "most requests are open" not in result.stderr


def test_rank_says_most_requests_are_open(stores: dict[str, Path]) -> None:
    result = runner.invoke(app, ["rank", "--store", str(stores["recent"]), "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr
    assert OPEN in result.stderr.splitlines()
    assert "threads are broken" not in result.stderr
    closed = runner.invoke(app, ["rank", "--store", str(stores["recent"]), "--open-window", "0"])
    assert "warning:" not in closed.stderr  # without an open window nothing is open


def test_whole_data_gets_no_warning(golden_store: bm.Store) -> None:
    result = runner.invoke(app, ["rank", "--store", str(golden_store.path)])  # 1 message replies outside the data, 7 starters
    assert result.exit_code == 0, result.stderr
    assert "warning:" not in result.stderr


def test_a_filter_does_not_make_whole_data_look_like_a_sample(stores: dict[str, Path]) -> None:
    """The broken share compares the store's orphans with the store's starters, whatever the selection."""
    result = runner.invoke(app, ["rank", "--store", str(stores["slice"]), "--since", "2030-01-01"])
    assert BROKEN in result.stderr.splitlines()  # the same numbers: 6 starters in the store, not 0 in the selection


def test_report_puts_the_warnings_on_top(stores: dict[str, Path]) -> None:
    md = bm.report.markdown(stores["slice"], min_requests=1)
    assert md.splitlines()[2] == (
        "> **Warning:** Most threads are broken: 34 messages reply to messages not in the data, against 6 thread starters "
        "(85% of threads start outside the data). This looks like a sample or an excerpt of an export: answers and the "
        "requests they answer are missing, so the response rates and times below say little."
    )
    it = bm.report.markdown(stores["recent"], min_requests=1, lang="it")
    assert it.splitlines()[2] == (
        "> **Attenzione:** La maggior parte delle richieste è ancora aperta: 3 su 4 (75%) sono senza risposta e più "
        "recenti di 72 h alla fine dei dati, quindi i tassi di risposta si basano solo sulle altre 1."
    )
    page = bm.report.html(stores["recent"], min_requests=1)
    assert '<p class="warning" role="alert"><strong>Warning:</strong> Most requests are still open: 3 of 4 (75%)' in page
