"""The examples in docs/survey.md run, and every survey error code is documented."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "survey.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "survey"


def test_doc_examples_run() -> None:
    text = DOC.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    ns: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), ns)
    gap = ns["gap"]
    assert gap.to_dicts()[0]["estimate"] is not None  # type: ignore[attr-defined]


def test_every_error_code_is_documented() -> None:
    text = DOC.read_text()
    codes = set()
    for path in SRC.rglob("*.py"):
        if "io" in path.relative_to(SRC).parts:  # survey.io belongs to its own docs
            continue
        codes |= set(re.findall(r'code="(survey\.[a-z-]+)"', path.read_text()))
        codes |= set(re.findall(r'default_code = "(survey\.[a-z-]+)"', path.read_text()))
    missing = sorted(c for c in codes if c not in text)
    assert not missing, f"undocumented error codes: {missing}"
