"""Monitoring: data sets (a country or group and a year, approved as a whole) and observations.

An observation is one value of an indicator for an area, a year and a sex. A revision is a
new row with the next ``revision`` number, never an overwrite: the current value is the
highest revision, and every earlier one stays. Observations belong to the data set of their
area and year, which is entered, submitted and approved as DHIS2 approves a data set for an
organisation unit and a period (:mod:`socialcover.monitor.datasets`).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socialcover.store.models.base import Audited, Base, Reviewed

__all__ = ["DataSet", "Observation"]


class DataSet(Reviewed, Audited, Base):
    """The values of one area (a country or a group) for one year, approved together."""

    __tablename__ = "monitor_data_sets"
    __table_args__ = (UniqueConstraint("area", "year"),)
    __public_status__ = "approved"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)


class Observation(Audited, Base):
    """One revision of an indicator's value for an area, a year and a sex."""

    __tablename__ = "monitor_observations"
    # seen by the public only through an approved data set
    __public_through__ = ("data_set_id", DataSet)
    __table_args__ = (
        UniqueConstraint("indicator", "area", "year", "sex", "revision"),
        Index("ix_monitor_observations_area_year", "area", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    data_set_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_data_sets.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(80))
    area: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    se: Mapped[float | None] = mapped_column(Float)
    lower: Mapped[float | None] = mapped_column(Float)
    upper: Mapped[float | None] = mapped_column(Float)
    nature: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text)
    vintage: Mapped[str] = mapped_column(String(100))
    footnotes: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_by: Mapped[str] = mapped_column(String(320))
