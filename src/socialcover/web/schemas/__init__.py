"""The shapes of the API's JSON successes, one module per area, for ``response_model=``.

FastAPI documents a route that returns a plain dict as ``{"type": "object"}``: a client learns
nothing and schemathesis's response check has nothing to check. These models say what each
route returns. They mirror the domain's ``*_as_dict`` functions: a record's editable fields are
taken from its input model (:func:`record_model`: the same names and types, without the input's
limits, since an answer reports what is stored), to which the record's own fields are added.
Every model allows fields beyond those it names (``extra="allow"``), so that a field added to a
domain's dict reaches clients before its model names it; the names it does state are checked.
``tests/web/test_openapi_contract.py`` fails on any JSON success of ``/api/v1`` without a shape.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    create_model,
    model_serializer,
)

__all__ = [
    "Created",
    "ErrorBody",
    "ErrorDetail",
    "Out",
    "Paged",
    "StatusOut",
    "frame_model",
    "record_model",
]


class ErrorDetail(BaseModel):
    """What went wrong (``message``, with the bad value), and how to put it right (``hint``)."""

    code: str
    message: str
    hint: str
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    """The one error document of the API."""

    error: ErrorDetail


class Out(BaseModel):
    """Base of the answers: the fields named are checked, others are passed on as they are.

    A field the domain left out of its dict stays out of the answer (a team's ``members`` for a
    reader), rather than coming back as its default: the answer says what the domain said.
    """

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _as_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        given = set(self.model_fields_set) | set(self.__pydantic_extra__ or {})
        names = {
            info.serialization_alias or info.alias or key: key
            for key, info in type(self).model_fields.items()
        }
        return {k: v for k, v in data.items() if names.get(k, k) in given}


class Created(Out):
    """A record just created: its id."""

    id: int


class StatusOut(Out):
    """A record moved in its review: its id and new status."""

    id: int
    status: str


class Paged(Out):
    """Paging of a list: the page, its size, the total and links to the neighbours."""

    page: int | None = Field(default=None, ge=1)
    per_page: int | None = Field(default=None, ge=1)
    total: int | None = Field(default=None, ge=0)
    next: str | None = None
    previous: str | None = None


def _loose(annotation: Any) -> Any:
    """``annotation`` with every nested model as an open object (an answer reports, not checks)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return dict[str, Any]
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _loose(args[0])
    if origin is Literal or not args:
        return annotation
    loose = tuple(_loose(a) for a in args)
    if origin in (Union, types.UnionType):
        return typing.Union[loose]  # noqa: UP007 (built from a tuple)
    if origin is tuple:
        return tuple[loose]  # type: ignore[valid-type]
    return origin[loose]


def record_model(name: str, schema: type[BaseModel], doc: str, **fields: Any) -> type[Out]:
    """An answer model: the fields of the input model ``schema``, then ``name=(type, default)``.

    A field the input requires is required in the answer; one with a default may be null.

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> class NoteInput(BaseModel):
    ...     text: str = Field(min_length=3)
    ...     tags: list[str] = []
    >>> NoteOut = record_model("NoteOut", NoteInput, "A note.", id=(int, ...))
    >>> NoteOut(id=1, text="ok", tags=None).text  # no input limits on an answer
    'ok'
    >>> sorted(NoteOut.model_json_schema()["required"])
    ['id', 'text']
    """
    spec: dict[str, Any] = {}
    for key, info in schema.model_fields.items():
        loose = _loose(info.annotation)
        spec[key] = (loose, ...) if info.is_required() else (loose | None, None)
    spec.update(fields)
    model = create_model(name, __base__=Out, __doc__=doc, **spec)
    return model


def frame_model(name: str, columns: dict[str, Any], doc: str, **fields: Any) -> type[Out]:
    """An answer model for one row of a domain table, from its Polars ``columns`` (name: dtype).

    Every column but ``id`` may be null, as a table cell may; ``fields`` are added after them.

    Examples
    --------
    >>> import polars as pl
    >>> columns = {"id": pl.Int64(), "on": pl.Date(), "tags": pl.List(pl.String())}
    >>> Row = frame_model("Row", columns, "A row.")
    >>> Row(id=1, on="2030-01-01", tags=None).on
    datetime.date(2030, 1, 1)
    """
    spec: dict[str, Any] = {}
    for key, dtype in columns.items():
        kind = _python_type(dtype)
        spec[key] = (kind, ...) if key == "id" else (kind | None, None)
    spec.update(fields)
    return create_model(name, __base__=Out, __doc__=doc, **spec)


def _python_type(dtype: Any) -> Any:
    import datetime as dt

    import polars as pl

    if dtype.is_integer():
        return int
    if dtype.is_float():
        return float
    if isinstance(dtype, pl.Boolean):
        return bool
    if isinstance(dtype, pl.Datetime):
        return dt.datetime
    if isinstance(dtype, pl.Date):
        return dt.date
    if isinstance(dtype, pl.List):
        return list[_python_type(dtype.inner)]  # type: ignore[misc]
    if isinstance(dtype, pl.String):
        return str
    return Any
