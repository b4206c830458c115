"""Each broken rules file gives an error with its code, file, line and a fix.

The folder ``bad_rules/`` holds one broken file per mistake; its first line says what the
error must contain: ``# expect: CODE | line N | words in the message | words in the hint``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.microsim import RuleError, load_rules

BAD = Path(__file__).parent / "bad_rules"
FILES = sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bad_rule_file_error_points_at_line_and_fix(path: Path) -> None:
    header = path.read_text().splitlines()[0].removeprefix("# expect:")
    code, line, message_words, hint_words = (part.strip() for part in header.split("|"))
    with pytest.raises(RuleError) as info:
        load_rules(path)
    err = info.value
    assert err.code == code, err.message
    assert err.where.file == str(path)
    assert err.where.line == int(line.removeprefix("line ")), err.message
    assert err.where.column > 0
    assert message_words in err.message
    assert hint_words in err.hint
    assert str(err).startswith(f"{path}:{err.where.line}:")


def test_there_is_a_broken_file_for_each_required_error() -> None:
    names = {p.stem for p in FILES}
    assert {"unknown_variable", "syntax_error", "circular", "unit_mismatch"} <= names
