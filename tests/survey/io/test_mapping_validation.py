"""Broken mapping files, each with the words its error message must contain (# expect: ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.errors import InputError
from socialcover.survey.io import Mapping

BAD = Path(__file__).parent / "bad_mappings"
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "eusilc_austria2006.yaml"


def _expected(path: Path) -> list[str]:
    return [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_mapping_says_what_is_wrong(path: Path) -> None:
    expected = _expected(path)
    assert expected, f"{path.name} has no '# expect:' line"
    with pytest.raises(InputError) as info:
        Mapping.from_yaml(path)
    assert info.value.code in ("survey.mapping-invalid", "survey.mapping-yaml")
    for words in expected:
        assert words in info.value.message
    assert info.value.hint


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        Mapping.from_yaml(tmp_path / "nope.yaml")
    assert info.value.code == "survey.mapping-not-found"


def test_the_shipped_example_is_valid() -> None:
    m = Mapping.from_yaml(EXAMPLE)
    assert m.parameters.pensionable_age == 65
    assert m.lonely_psu == "adjust"
    assert set(m.benefits) == {
        "unemployment",
        "old_age",
        "disability",
        "child",
        "social_assistance",
    }
    assert m.benefits["child"].level == "household"
    assert m.benefits["old_age"].contributory and not m.benefits["child"].contributory
    assert m.concepts["poverty_line"].relative_to_median == 0.6
