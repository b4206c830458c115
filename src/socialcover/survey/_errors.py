"""Errors of the survey engine.

::

    SocialcoverError
    +-- InputError (ValueError)
    |   +-- DesignError                 the design cannot be used as declared
    |       +-- LonelyPsuError          a stratum with one PSU under lonely_psu="fail"
    |       +-- NestingError            a PSU found in two strata without nest=True
    |       +-- WeightError             missing, zero or negative weights
    |       +-- ColumnCaseError         two columns differ only by case (DuckDB folds case)
    |   +-- EstimateError               a variable cannot be estimated (missing values, bad level)
    +-- NotFoundError (KeyError)
    |   +-- UnknownColumnError          a column named in the design or a call is not in the data
    +-- BackendError (RuntimeError)     the back-end failed (Spark out of memory, driver lost)

Back-end errors (DuckDB binder errors, Spark analysis errors) are translated at the boundary
into these classes, so a caller never has to catch a library's exception.
"""

from __future__ import annotations

from socialcover.errors import InputError, NotFoundError, SocialcoverError

__all__ = [
    "BackendError",
    "ColumnCaseError",
    "DesignError",
    "EstimateError",
    "LonelyPsuError",
    "NestingError",
    "UnknownColumnError",
    "WeightError",
]


class DesignError(InputError):
    """The survey design cannot be used as declared."""

    default_code = "survey.design-invalid"


class LonelyPsuError(DesignError):
    """A stratum holds a single PSU and ``lonely_psu="fail"``."""

    default_code = "survey.lonely-psu"


class NestingError(DesignError):
    """A PSU id appears in more than one stratum and ``nest=False``."""

    default_code = "survey.psu-not-nested"


class WeightError(DesignError):
    """Weights are missing, zero or negative."""

    default_code = "survey.bad-weight"


class ColumnCaseError(DesignError):
    """Two columns differ only by letter case, which DuckDB cannot tell apart."""

    default_code = "survey.column-case-collision"


class EstimateError(InputError):
    """A variable cannot be estimated as asked (missing values, a non-binary proportion)."""

    default_code = "survey.estimate-invalid"


class UnknownColumnError(NotFoundError):
    """A column named in the design or in an estimator call is not in the data."""

    default_code = "survey.unknown-column"


class BackendError(SocialcoverError, RuntimeError):
    """The back-end failed while running a query (out of memory, a lost driver or executor)."""

    default_code = "survey.backend-error"
