"""Issue 12 item 14: stores and inputs that cannot be used each get their own line naming the path.

A read-only store, a full disk, a ``.lock`` that is a directory, a dangling or looping store symlink,
UTF-16 and UTF-32 exports, and ``--map platform=`` naming no platform. Real processes, exact messages.
Synthetic data only (the hostile fixtures: fictional brand AcmeTel).
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_hostile_store import BENCHMARK, ENV

OK = Path(__file__).parents[1] / "fixtures" / "hostile" / "twcs_ok.csv"
FB = Path(__file__).parents[1] / "fixtures" / "facebook"


def run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, *BENCHMARK, *args], env=ENV, capture_output=True, text=True)


def only_line(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    s = tmp_path / "st"
    assert run("ingest", str(OK), "--store", str(s)).returncode == 0
    return s


# ---- the store -------------------------------------------------------------------------------------


def _read_only(store: Path) -> tuple[tuple[str, ...], str]:
    """A command prefix under which ``store`` cannot be written, and the reason the OS gives."""
    if os.geteuid() != 0:  # permissions bind an ordinary user
        for p in (store / ".lock", store / "ingests", store):
            p.chmod(0o444 if p.is_file() else 0o555)
        return (), "permission denied"
    unshare = shutil.which("unshare")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    prefix = (unshare, "-m", "sh", "-c", script, "sh", str(store)) if unshare else ()
    if not unshare or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("root, and no private read-only mount here: a read-only store cannot be made")
    return prefix, "read-only file system"  # root ignores permissions: a read-only mount in a private namespace


def test_ingest_into_a_read_only_store_names_it_and_reading_still_works(store: Path, tmp_path: Path) -> None:
    prefix, reason = _read_only(store)
    more = tmp_path / "more.csv"
    more.write_text(OK.read_text(encoding="utf-8").replace("\n1,", "\n11,").replace("\n2,", "\n12,"), encoding="utf-8")
    line = only_line(run("ingest", str(more), "--store", str(store), prefix=prefix))
    assert line == f"error: {store / '.lock'}: cannot be written ({reason}); the store is read-only: ingest into a store you can write to"
    ranked = run("rank", "--store", str(store), "--format", "csv", "--min-requests", "1", prefix=prefix)
    assert ranked.returncode == 0, ranked.stderr
    assert "AcmeTel" in ranked.stdout


def test_lock_that_is_a_directory_is_named(store: Path) -> None:
    (store / ".lock").unlink()
    (store / ".lock").mkdir()
    line = only_line(run("ingest", str(OK), "--store", str(store)))
    assert line == f"error: {store / '.lock'}: is a directory, not the store's lock file; remove it (no ingest keeps anything in it)"


@pytest.mark.parametrize("command", [["ingest", str(OK)], ["rank"], ["check"]])
def test_dangling_store_symlink_is_named(tmp_path: Path, command: list[str]) -> None:
    link = tmp_path / "st"
    link.symlink_to(tmp_path / "gone")
    line = only_line(run(*command, "--store", str(link)))
    expected = f"error: {link}: a symbolic link to {tmp_path / 'gone'}, which does not exist (a dangling link); create {tmp_path / 'gone'} or choose another store directory"
    assert line == expected + ("; nothing to check" if command == ["check"] else "")
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("command", [["ingest", str(OK)], ["rank"], ["check"]])
def test_looping_store_symlink_is_named(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    line = only_line(run(*command, "--store", str(tmp_path / "a")))
    expected = f"error: {tmp_path / 'a'}: a symbolic link that loops (to {tmp_path / 'b'}, which leads back to it); fix the link or choose another store directory"
    assert line == expected + ("; nothing to check" if command == ["check"] else "")


# ---- inputs ----------------------------------------------------------------------------------------

WIDE = [  # (encoding written, BOM written, how it is named, the --encoding that reads it)
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32", "utf-32"),
    ("utf-16-le", b"", "UTF-16 little-endian", "utf-16-le"),
    ("utf-16-be", b"", "UTF-16 big-endian", "utf-16-be"),
    ("utf-32-be", b"", "UTF-32 big-endian", "utf-32-be"),
]


@pytest.mark.parametrize(("encoding", "bom", "named", "fix"), WIDE)
def test_utf16_and_utf32_exports_get_the_encoding_that_reads_them(tmp_path: Path, encoding: str, bom: bytes, named: str, fix: str) -> None:
    export = tmp_path / "wide.csv"
    export.write_bytes(bom + OK.read_text(encoding="utf-8").encode(encoding))
    for fmt in ("auto", "twcs"):
        line = only_line(run("ingest", str(export), "--format", fmt, "--store", str(tmp_path / "st")))
        assert line == f"error: {export}: {named} text, not utf-8: pass --encoding {fix} (or save the file as UTF-8)"
    assert not (tmp_path / "st").exists()
    fixed = run("ingest", str(export), "--encoding", fix, "--store", str(tmp_path / "st"))
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stderr.splitlines()[-2].split("│")[2:7] == [" twcs   ", "    2 ", "      2 ", "          0 ", "        0 "]


def test_utf16_json_export_asks_for_utf8(tmp_path: Path) -> None:
    source = next(p for p in sorted(FB.glob("*.json")))
    export = tmp_path / "wide.json"
    export.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    line = only_line(run("ingest", str(export), "--store", str(tmp_path / "st")))
    assert line == f"error: {export}: UTF-16 text, not UTF-8: JSON exports are read as UTF-8; save the file as UTF-8"


def test_unknown_platform_in_a_mapping_lists_the_known_ones(tmp_path: Path) -> None:
    mapping = ["--map", "message_id=tweet_id", "--map", "created_at=created_at", "--map", "author_id=author_id", "--brand", "AcmeTel"]
    line = only_line(run("ingest", str(OK), "--format", "csv", *mapping, "--map", "platform=myspace", "--store", str(tmp_path / "st")), code=2)
    assert line == f"error: {OK}: platform 'myspace' is neither a known platform (facebook, twitter, instagram, other) nor a column of the file"
    assert not (tmp_path / "st").exists()


@pytest.mark.parametrize("fmt", [[], ["--format", "twcs"]])
def test_a_mapping_the_format_would_ignore_is_refused(tmp_path: Path, fmt: list[str]) -> None:
    """--map on a file read as TWCS (detected or named) would be silently dropped: refused, saying how to use it."""
    mapping = ["--map", "message_id=tweet_id", "--map", "created_at=created_at", "--map", "author_id=author_id"]
    line = only_line(run("ingest", str(OK), *fmt, *mapping, "--store", str(tmp_path / "st")), code=2)
    assert line == (
        f"error: {OK}: a twcs export: --map/--mapping apply to the generic csv format only; "
        "leave them out, or pass --format csv to read the file with your mapping"
    )
    assert not (tmp_path / "st").exists()


FULL_DISK = """
mount -t tmpfs -o size=2m tmpfs "$1" || exit 99
shift
"$@" ingest "$SMALL" --store "$STORE" > /dev/null 2>&1 || exit 98
"$@" ingest "$BIG" --store "$STORE" > /dev/null 2> "$ERR"
echo "exit $?"
ls -A "$STORE/ingests" | sed 's/=.*/=/'
"""


def test_full_disk_names_the_store_and_the_file_and_keeps_the_store(tmp_path: Path) -> None:
    """A 2 MB file system (tmpfs in a private mount namespace, so root only) fills up while a 50 MB file is stored."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("a small file system needs root and a private mount namespace")
    from test_hostile_store import write_twcs

    disk, err = tmp_path / "disk", tmp_path / "stderr.txt"
    disk.mkdir()
    env = {**ENV, "SMALL": str(OK), "BIG": str(write_twcs(tmp_path / "big.csv", 600_000)), "STORE": str(disk / "st"), "ERR": str(err)}
    done = subprocess.run([unshare, "-m", "sh", "-c", FULL_DISK, "sh", str(disk), *BENCHMARK], env=env, capture_output=True, text=True)
    assert done.stdout.splitlines() == ["exit 1", "ingest="], done.stderr  # the first ingest, whole; no staging left
    assert err.read_text(encoding="utf-8").splitlines() == [
        f"error: {disk / 'st'}: no space left on the device while storing {tmp_path / 'big.csv'}; nothing of it was committed: "
        "free some space and ingest it again"
    ]
