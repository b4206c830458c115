"""A folder of broken scenario files, each with the words its error must contain.

The first line of a YAML file (``# expect: code | words | ...``), or a ``.expect`` file beside a
JSON one, says the error code and the words that the message and hint must contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.costing import load_scenario
from socialcover.errors import SocialcoverError

FOLDER = Path(__file__).parent / "bad_scenarios"
FILES = sorted(p for p in FOLDER.iterdir() if p.suffix in (".yaml", ".json"))


def expectation(path: Path) -> list[str]:
    if path.suffix == ".json":
        line = path.with_suffix(".expect").read_text(encoding="utf-8").strip()
    else:
        line = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:")
    return [w.strip() for w in line.split("|")]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_broken_file_gives_the_expected_error(path: Path) -> None:
    code, *words = expectation(path)
    with pytest.raises(SocialcoverError) as info:
        load_scenario(path)
    err = info.value
    assert err.code == code
    text = f"{err.message} {err.hint}"
    for w in words:
        assert w in text, f"{w!r} not in {text!r}"


def test_the_folder_covers_every_kind() -> None:
    assert len(FILES) >= 9
