"""The national strategy of an engagement: objectives, measures, logframe.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _audited() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "engagement_strategies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("vision", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        *_audited(),
        sa.CheckConstraint(
            "end_year >= start_year", name=op.f("ck_engagement_strategies_strategy_years")
        ),
        _fk("engagement_strategies", "engagement_id", "engagements", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_strategies")),
        sa.UniqueConstraint("engagement_id", name=op.f("uq_engagement_strategies_engagement_id")),
    )
    op.create_table(
        "strategy_objectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_audited(),
        _fk("strategy_objectives", "strategy_id", "engagement_strategies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_objectives")),
    )
    op.create_table(
        "strategy_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("responsible", sa.String(length=300), nullable=False),
        sa.Column("responsible_organisation_id", sa.Integer(), nullable=True),
        sa.Column("recommendation_ids", sa.JSON(), nullable=False),
        *_audited(),
        sa.CheckConstraint(
            "end_year >= start_year", name=op.f("ck_strategy_measures_measure_years")
        ),
        _fk("strategy_measures", "strategy_id", "engagement_strategies", "CASCADE"),
        _fk("strategy_measures", "objective_id", "strategy_objectives", "SET NULL"),
        _fk("strategy_measures", "responsible_organisation_id", "organisations", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_measures")),
    )
    op.create_table(
        "strategy_logframe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("baseline_observation_id", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("means_of_verification", sa.Text(), nullable=False),
        *_audited(),
        _fk("strategy_logframe", "strategy_id", "engagement_strategies", "CASCADE"),
        _fk("strategy_logframe", "objective_id", "strategy_objectives", "SET NULL"),
        _fk("strategy_logframe", "baseline_observation_id", "monitor_observations", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_logframe")),
        sa.UniqueConstraint(
            "strategy_id", "indicator", "sex", name=op.f("uq_strategy_logframe_strategy_id")
        ),
    )
    for table in ("strategy_objectives", "strategy_measures", "strategy_logframe"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_strategy_id"), ["strategy_id"])


def downgrade() -> None:
    for table in (
        "strategy_logframe",
        "strategy_measures",
        "strategy_objectives",
        "engagement_strategies",
    ):
        op.drop_table(table)
