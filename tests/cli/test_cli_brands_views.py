"""`--brands FILE` gives display names in reports and charts as it does in rankings."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from benchmark.cli import app

GOLDEN = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
runner = CliRunner()


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(GOLDEN), "--store", str(store)]).exit_code == 0
    brands = tmp_path / "brands.toml"
    brands.write_text('[[brand]]\nname = "Acme Telecom"\nsector = "telco"\naccounts = ["twitter:AcmeTel"]\n')
    return store, brands


def test_markdown_report_uses_brand_names(tmp_path):
    store, brands = _setup(tmp_path)
    plain = runner.invoke(app, ["report", "--store", str(store), "--format", "markdown", "--min-requests", "1"])
    named = runner.invoke(app, ["report", "--store", str(store), "--format", "markdown", "--min-requests", "1", "--brands", str(brands)])
    assert plain.exit_code == 0 and named.exit_code == 0, named.stderr
    assert "AcmeTel" in plain.stdout and "Acme Telecom" not in plain.stdout
    assert "Acme Telecom" in named.stdout
    assert "2 brands received 6 requests" in named.stdout


def test_chart_uses_brand_names(tmp_path):
    store, brands = _setup(tmp_path)
    out = tmp_path / "ranking.svg"
    res = runner.invoke(app, ["chart", "ranking", "--store", str(store), "--min-requests", "1", "--brands", str(brands), "--output", str(out)])
    assert res.exit_code == 0, res.stderr
    svg = out.read_text()
    assert "Acme Telecom" in svg and "AcmeTel " not in svg


def test_python_ingest_takes_a_brands_file_for_brand_accounts(tmp_path):
    import benchmark as bm

    page = tmp_path / "tweets.jsonl"
    page.write_text(
        '{"data": [{"id": "1", "text": "@AcmeHelp my line is down", "author_id": "10", "created_at": "2024-01-05T10:00:00.000Z",'
        ' "conversation_id": "1", "entities": {"mentions": [{"start": 0, "end": 9, "username": "AcmeHelp", "id": "20"}]}},'
        ' {"id": "2", "text": "@cust we are on it", "author_id": "20", "created_at": "2024-01-05T10:04:00.000Z",'
        ' "conversation_id": "1", "in_reply_to_user_id": "10", "referenced_tweets": [{"type": "replied_to", "id": "1"}]}],'
        ' "includes": {"users": [{"id": "10", "username": "cust"}, {"id": "20", "username": "AcmeHelp"}]}}\n'
    )
    brands = tmp_path / "brands.toml"
    brands.write_text('[[brand]]\nname = "Acme Telecom"\naccounts = ["twitter:AcmeHelp"]\n')
    bm.ingest(page, store=tmp_path / "s", brands=brands)
    ranked = bm.rank(tmp_path / "s", min_requests=1, brands=brands)
    assert ranked.select("brand", "frt_median_s").rows() == [("Acme Telecom", 240.0)]
