"""Monitoring: data sets approved by area and year, and observations kept as revisions.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_data_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_monitor_data_sets_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_monitor_data_sets_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_data_sets")),
        sa.UniqueConstraint("area", "year", name=op.f("uq_monitor_data_sets_area")),
    )
    with op.batch_alter_table("monitor_data_sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_data_sets_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitor_data_sets_status"), ["status"], unique=False)

    op.create_table(
        "monitor_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_set_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=80), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("se", sa.Float(), nullable=True),
        sa.Column("lower", sa.Float(), nullable=True),
        sa.Column("upper", sa.Float(), nullable=True),
        sa.Column("nature", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("vintage", sa.String(length=100), nullable=False),
        sa.Column("footnotes", sa.Text(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=320), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_set_id"],
            ["monitor_data_sets.id"],
            name=op.f("fk_monitor_observations_data_set_id_monitor_data_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_monitor_observations_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_observations")),
        sa.UniqueConstraint(
            "indicator",
            "area",
            "year",
            "sex",
            "revision",
            name=op.f("uq_monitor_observations_indicator"),
        ),
    )
    with op.batch_alter_table("monitor_observations", schema=None) as batch_op:
        batch_op.create_index("ix_monitor_observations_area_year", ["area", "year"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_monitor_observations_data_set_id"), ["data_set_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("monitor_observations")
    op.drop_table("monitor_data_sets")
