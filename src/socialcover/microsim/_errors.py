"""Errors of the microsimulation engine.

Every error about a rules, reform or situation file says where (``file:line:column``), what (with
the offending text) and how to fix it::

    SocialcoverError
    +-- InputError (ValueError)
        +-- RuleError                 a rules/reform/situation file is wrong (with location)
        +-- MicrosimDataError         the population lacks a column the rules need
"""

from __future__ import annotations

from dataclasses import dataclass

from socialcover.errors import InputError

__all__ = ["Location", "MicrosimDataError", "RuleError"]


@dataclass(frozen=True)
class Location:
    """A place in a rules file: 1-based line and column (0 when unknown)."""

    file: str = "<rules>"
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


class RuleError(InputError):
    """A rules, reform or situation file is wrong; the message starts with ``file:line:col``."""

    default_code = "microsim.rule-invalid"

    def __init__(
        self,
        message: str,
        *,
        where: Location | None = None,
        code: str | None = None,
        hint: str = "",
    ) -> None:
        self.where = where or Location()
        super().__init__(
            f"{self.where}: {message}",
            code=code,
            hint=hint,
            file=self.where.file,
            line=self.where.line,
            column=self.where.column,
        )


class MicrosimDataError(InputError):
    """The population given to a simulation lacks a column or holds missing values."""

    default_code = "microsim.data-invalid"
