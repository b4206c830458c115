"""The error tree: codes, hints, builtin compatibility and the one JSON shape."""

from __future__ import annotations

import pytest

from socialcover.errors import (
    DataNotInstalledError,
    DataPackError,
    InputError,
    NotFoundError,
    SocialcoverError,
)


def test_not_found_is_a_key_error_with_a_plain_message() -> None:
    err = NotFoundError("No country 'KNE'.", code="data.unknown-country", hint="Did you mean KEN?")
    assert isinstance(err, KeyError)
    # KeyError would print "'No country ...'" with quotes; ours reads as a sentence.
    assert str(err) == "No country 'KNE'. Did you mean KEN?"


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [(InputError, ValueError), (DataPackError, ValueError), (DataNotInstalledError, LookupError)],
)
def test_domain_errors_inherit_the_fitting_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, SocialcoverError)
    assert issubclass(cls, builtin)


def test_to_dict_is_the_one_error_shape() -> None:
    err = InputError("Weight is -1 in row 3.", code="survey.bad-weight", hint="Fix it.", row=3)
    assert err.to_dict() == {
        "code": "survey.bad-weight",
        "message": "Weight is -1 in row 3.",
        "hint": "Fix it.",
        "context": {"row": 3},
    }


def test_default_codes() -> None:
    assert DataPackError("x").code == "data.pack-invalid"
    assert NotFoundError("x").code == "not-found"
