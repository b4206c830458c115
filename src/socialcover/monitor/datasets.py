"""Approval as DHIS2 does it: a data set (an area and a year) is entered, submitted, approved.

Observations belong to the data set of their area and year. Contributors enter values in
their own data sets and submit them; reviewers approve a submitted data set, un-approve an
approved one back to submitted, or return a submitted one to entered (both with a comment
saying why). Only approved data sets are public, and only their values feed aggregates and
reports; values change only while their data set is entered. DHIS2 approves and unapproves
"per data set, period, organisation unit and attribute option combo" (DHIS2 Web API guide,
"Data approval", as committed to its docs in December 2013:
https://www.mail-archive.com/dhis2-devs@lists.launchpad.net/msg25482.html); here a data set is
the values of one area and one year.

Everything here is the store's one reviewed-record workflow, :data:`DATA_SETS`: who sees a data
set, who moves it, the states each step starts from, the required comments and the audit row
of each step (``data_set.submit``, ``data_set.approve``, ``data_set.unapprove``,
``data_set.return``) are :class:`socialcover.store.Workflow`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.store import Step, Workflow
from socialcover.store.models import DataSet

__all__ = [
    "APPROVED",
    "DATA_SETS",
    "DATA_SET_STEPS",
    "ENTERED",
    "SUBMITTED",
    "DataSetInput",
    "approve_data_set",
    "list_data_sets",
    "submit_data_set",
    "unapprove_data_set",
]

ENTERED = "entered"
"""A data set whose values are being entered (or corrected after being returned)."""
SUBMITTED = "submitted"
"""A data set its contributor says is complete, waiting for a reviewer."""
APPROVED = "approved"
"""A data set a reviewer approved: public, and read by aggregates and reports."""

DATA_SET_STEPS: Mapping[str, Step] = {
    "submit": Step(sources=(ENTERED,), target=SUBMITTED),
    "approve": Step(sources=(SUBMITTED,), target=APPROVED, by_reviewer=True, signs=True),
    "unapprove": Step(
        sources=(APPROVED,), target=SUBMITTED, by_reviewer=True, comment_required=True, signs=True
    ),
    "return": Step(
        sources=(SUBMITTED,), target=ENTERED, by_reviewer=True, comment_required=True, signs=True
    ),
}
"""The steps of a data set: its contributor submits; a reviewer approves, un-approves (back to
submitted) or returns it to entered, the last two with a comment."""


class DataSetInput(BaseModel):
    """The fields of a data set: the area (ISO3 country or group code) and the year."""

    area: str = Field(min_length=1, max_length=60)
    year: int = Field(ge=1900, le=2100)


DATA_SETS: Workflow[DataSet] = Workflow(
    DataSet,
    "data set",
    DataSetInput,
    read="monitor.read_approved",
    draft="monitor.enter",
    edit_any="monitor.edit_any",
    review="monitor.approve",
    delete="monitor.delete",
    read_drafts="monitor.read_unapproved",
    steps=DATA_SET_STEPS,
    owner_edits=(ENTERED,),
    initial=ENTERED,
    public=APPROVED,
    actions="data_set",
)
"""The workflow of data sets (see the module docstring)."""


def submit_data_set(session: Session, actor: Any, data_set_id: int) -> DataSet:
    """Submit an entered data set for approval (its contributor, or an editor).

    Raises
    ------
    socialcover.store.PermissionDeniedError
        Not the contributor who entered it, nor a role with ``monitor.edit_any``.
    socialcover.store.ConflictError
        It is not entered (``store.bad-transition``).
    """
    return DATA_SETS.move(session, actor, data_set_id, "submit")


def approve_data_set(session: Session, actor: Any, data_set_id: int, comment: str = "") -> DataSet:
    """Approve a submitted data set (needs ``monitor.approve``): its values become public.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The role may not approve.
    socialcover.store.ConflictError
        It is not submitted (``store.bad-transition``).
    """
    return DATA_SETS.move(session, actor, data_set_id, "approve", comment)


def unapprove_data_set(
    session: Session,
    actor: Any,
    data_set_id: int,
    comment: str,
    *,
    back_to: Literal["submitted", "entered"] = "submitted",
) -> DataSet:
    """Take an approved data set off the public figures, saying why (needs ``monitor.approve``).

    Parameters
    ----------
    session, actor
        The transaction and the reviewer.
    data_set_id
        The approved data set.
    comment
        Why; required, kept on the data set and in the audit rows.
    back_to
        ``"submitted"`` (approve again after a second look) or ``"entered"`` (its contributor
        corrects values): un-approves, then returns it, two audited steps.

    Raises
    ------
    socialcover.store.ValidationError
        No comment (``store.comment-required``).
    socialcover.store.ConflictError
        It is not approved (``store.bad-transition``).
    """
    data_set = DATA_SETS.move(session, actor, data_set_id, "unapprove", comment)
    if back_to == ENTERED:
        data_set = DATA_SETS.move(session, actor, data_set_id, "return", comment)
    return data_set


def list_data_sets(
    session: Session,
    actor: Any,
    *,
    area: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> pl.DataFrame:
    """The data sets ``actor`` may see: approved ones, their own, or all for reviewers.

    Returns
    -------
    polars.DataFrame
        id, area, year, status, version, created_by_id, reviewed_by_id, review_comment,
        approved_at; sorted by area and year.
    """
    query = select(DataSet).order_by(DataSet.area, DataSet.year)
    visible = DATA_SETS.visible_clause(actor)
    if visible is not None:
        query = query.where(visible)
    if area is not None:
        query = query.where(DataSet.area == area)
    if year is not None:
        query = query.where(DataSet.year == year)
    if status is not None:
        query = query.where(DataSet.status == status)
    rows = [
        {
            "id": d.id,
            "area": d.area,
            "year": d.year,
            "status": d.status,
            "version": d.version,
            "created_by_id": d.created_by_id,
            "reviewed_by_id": d.reviewed_by_id,
            "review_comment": d.review_comment,
            "approved_at": d.published_at,
        }
        for d in session.scalars(query)
    ]
    schema: dict[str, pl.DataType] = {
        "id": pl.Int64(),
        "area": pl.String(),
        "year": pl.Int32(),
        "status": pl.String(),
        "version": pl.Int64(),
        "created_by_id": pl.Int64(),
        "reviewed_by_id": pl.Int64(),
        "review_comment": pl.String(),
        "approved_at": pl.Datetime("us", "UTC"),
    }
    return pl.DataFrame(rows, schema=schema)
