"""The report's Listening section: topics, languages, top users, keywords; only when the data supports them."""

from __future__ import annotations

import re
from pathlib import Path

import benchmark as bm
from benchmark.loaders.generic_csv import mapping_from_pairs
from benchmark.report.listening_section import mask

EXPORT = """id,date,user,reply_to,body
p1,2024-03-04T09:00:00+00:00,giulia_rossi,,La bolletta di marzo è sbagliata
r1,2024-03-04T09:10:00+00:00,Luce Chiara,p1,Ci scriva in privato
p2,2024-03-05T09:00:00+00:00,giulia_rossi,,Bolletta ancora sbagliata
p3,2024-03-06T09:00:00+00:00,marco_b,,Ciao
"""


def _store(tmp_path: Path) -> Path:
    src = tmp_path / "export.csv"
    src.write_text(EXPORT, encoding="utf-8")
    mapping = mapping_from_pairs(["message_id=id", "created_at=date", "author_id=user", "parent_id=reply_to", "text=body", "platform=facebook"])
    bm.ingest(src, store=tmp_path / "s", mapping=mapping, brands=["Luce Chiara"], detect_language=False)
    return tmp_path / "s"


def _section(html: str) -> str:
    part = html[html.index('<section id="listening">'):html.index('<section id="coverage">')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_topics_users_and_keywords_appear_with_figures(tmp_path):
    html = bm.report.html(_store(tmp_path), min_requests=1, keywords=("bolletta",), lang="en")
    text = _section(html)
    # 3 requests: p1 and p2 mention "bolletta" (billing), p3 does not (other). p1 is answered in 10 min;
    # p2 and p3 are younger than the 72 h open window at the end of the data (6 Mar 09:00): open, not missed.
    assert "Topics and routing" in text
    assert " Billing &amp; payments Billing 2 66.7% 100% 10m " in text  # the taxonomy's label and the team's name
    assert " Other Community 1 33.3% — — " in text
    # giulia_rossi wrote 2 requests: the only customer with more than one, masked; 1 answered of 1 that counts.
    assert " gi…si facebook 2 2 100% " in text and "giulia_rossi" not in html.split('<section id="listening">')[1].split("</section>")[0]
    # Keyword volume per month, accents and case folded: "La bolletta", "Bolletta".
    assert " Keyword volumes " in text and " March 2024 2 " in text
    # No language stored at ingest: the report detects the 3 requests' languages itself (issue 10: lazily).
    assert " Languages " in text and " Italian 3 100% 100% 10m " in text


def test_no_section_without_supporting_data(tmp_path):
    src = tmp_path / "export.csv"
    # "ok": no topic, no language (too few letters; languages are detected when the report needs them).
    src.write_text("id,date,user,reply_to,body\np3,2024-03-06T09:00:00+00:00,marco_b,,ok\n", encoding="utf-8")
    mapping = mapping_from_pairs(["message_id=id", "created_at=date", "author_id=user", "parent_id=reply_to", "text=body", "platform=facebook"])
    bm.ingest(src, store=tmp_path / "s", mapping=mapping, brands=["Luce Chiara"], detect_language=False)
    html = bm.report.html(tmp_path / "s", min_requests=1)
    assert 'id="listening"' not in html and 'href="#listening"' not in html


def test_mask():
    assert mask("rossi_giu0") == "ro…u0"
    assert mask("1000000000000028") == "10…28"
    assert mask("bob") == "b…"
    assert mask(None) == "—"


def test_listening_in_italian_names_topics_teams_languages_and_months(tmp_path):
    text = _section(bm.report.html(_store(tmp_path), min_requests=1, keywords=("bolletta",), lang="it"))
    assert " Fatture e pagamenti Amministrazione 2 66,7% 100% 10m " in text and " Altro Community 1 33,3% — — " in text
    assert " Italiano 3 100% 100% 10m " in text  # CLDR's name, not the code
    assert " marzo 2024 2 " in text
