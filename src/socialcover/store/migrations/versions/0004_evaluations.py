"""Evaluations: the register, their recommendations, and the schedule of regular evaluations.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _audited() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject_type", sa.String(length=30), nullable=False),
        sa.Column("subject_ref", sa.String(length=300), nullable=False),
        sa.Column("evaluation_type", sa.String(length=20), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("evaluators", sa.JSON(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("report", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        *_audited(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_evaluations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_evaluations_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluations_country_iso3"), ["country_iso3"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluations_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evaluations_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_evaluations_subject", ["subject_type", "subject_ref"], unique=False
        )

    op.create_table(
        "evaluation_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        *_audited(),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_recommendations_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_recommendations")),
    )
    with op.batch_alter_table("evaluation_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_recommendations_evaluation_id"),
            ["evaluation_id"],
            unique=False,
        )

    op.create_table(
        "evaluation_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=30), nullable=False),
        sa.Column("subject_ref", sa.String(length=300), nullable=False),
        sa.Column("evaluation_type", sa.String(length=20), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_audited(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_schedule")),
    )
    with op.batch_alter_table("evaluation_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_schedule_planned_on"), ["planned_on"], unique=False
        )


def downgrade() -> None:
    op.drop_table("evaluation_schedule")
    op.drop_table("evaluation_recommendations")
    op.drop_table("evaluations")
