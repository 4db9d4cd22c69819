"""The README's hostile matrix states what ``tests/hostile/test_hostile_*.py`` holds (issue 12, acceptance).

Counted as pytest collects them (each parametrized case once), so the table cannot drift from the tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_readme_counts_the_hostile_matrix_per_file_and_in_total() -> None:
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "hostile").glob("test_hostile_*.py"))],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    actual = Counter(Path(line.split("::")[0]).name for line in collected.splitlines() if "::" in line)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Hostile inputs and faults"):]
    section = section[: section.index("\n## ", 1)]
    stated = {name: int(n) for name, n in re.findall(r"^\| [^|]+ \| `(test_hostile_\w+\.py)` \| (\d+) \|", section, re.MULTILINE)}
    assert stated == dict(actual)
    (total,) = re.findall(r"`tests/hostile/test_hostile_\*\.py`: (\d+) cases", section)
    assert int(total) == sum(actual.values())
