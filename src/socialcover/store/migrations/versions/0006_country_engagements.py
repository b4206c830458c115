"""Country engagements: team, partners, stages, events, matrix, positions, endorsements, CODI.

Revision ID: 0006
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0008"  # after the events (0005) and the saved costing scenarios (0008)
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_engagements_period_order")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_engagements_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_engagements_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint(
            "country_iso3", "period_start", name=op.f("uq_engagements_country_iso3")
        ),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagements_country_iso3"), ["country_iso3"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagements_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_engagements_status"), ["status"], unique=False)

    op.create_table(
        "codi_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_codi_assessments_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codi_assessments")),
        sa.UniqueConstraint(
            "engagement_id", "assessed_on", name=op.f("uq_codi_assessments_engagement_id")
        ),
    )
    with op.batch_alter_table("codi_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_codi_assessments_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "engagement_endorsements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("constituent", sa.String(length=30), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("endorsed_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=500), nullable=False),
        sa.Column("recommendation_ids", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_endorsements_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagement_endorsements_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_endorsements")),
        sa.UniqueConstraint(
            "engagement_id",
            "organisation_id",
            name=op.f("uq_engagement_endorsements_engagement_id"),
        ),
    )
    with op.batch_alter_table("engagement_endorsements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_endorsements_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "engagement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_events_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_engagement_events_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_engagement_events_event_id")),
    )
    with op.batch_alter_table("engagement_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_events_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "engagement_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("constituent", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_members_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagement_members_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_engagement_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_members")),
        sa.UniqueConstraint(
            "engagement_id", "user_id", name=op.f("uq_engagement_members_engagement_id")
        ),
    )
    with op.batch_alter_table("engagement_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_members_engagement_id"), ["engagement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_members_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "engagement_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("constituent", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_partners_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagement_partners_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_partners")),
        sa.UniqueConstraint(
            "engagement_id", "organisation_id", name=op.f("uq_engagement_partners_engagement_id")
        ),
    )
    with op.batch_alter_table("engagement_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_partners_engagement_id"), ["engagement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_partners_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "engagement_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_stages_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_stages")),
        sa.UniqueConstraint(
            "engagement_id", "stage", name=op.f("uq_engagement_stages_engagement_id")
        ),
    )
    with op.batch_alter_table("engagement_stages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_stages_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "assessment_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("guarantee", sa.String(length=30), nullable=False),
        sa.Column("population_group", sa.String(length=100), nullable=False),
        sa.Column("existing_schemes", sa.Text(), nullable=False),
        sa.Column("legal_coverage", sa.Text(), nullable=False),
        sa.Column("coverage_observation_id", sa.Integer(), nullable=True),
        sa.Column("effective_coverage", sa.Text(), nullable=False),
        sa.Column("policy_gaps", sa.Text(), nullable=False),
        sa.Column("implementation_issues", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coverage_observation_id"],
            ["monitor_observations.id"],
            name=op.f("fk_assessment_cells_coverage_observation_id_monitor_observations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_assessment_cells_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_cells")),
        sa.UniqueConstraint(
            "engagement_id",
            "guarantee",
            "population_group",
            name=op.f("uq_assessment_cells_engagement_id"),
        ),
    )
    with op.batch_alter_table("assessment_cells", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_cells_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "codi_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=30), nullable=False),
        sa.Column("key_area", sa.String(length=100), nullable=False),
        sa.Column("criterion", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 4", name=op.f("ck_codi_scores_four_point_scale")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["codi_assessments.id"],
            name=op.f("fk_codi_scores_assessment_id_codi_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codi_scores")),
        sa.UniqueConstraint(
            "assessment_id", "key_area", "criterion", name=op.f("uq_codi_scores_assessment_id")
        ),
    )
    with op.batch_alter_table("codi_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_codi_scores_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "engagement_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["engagement_stages.id"],
            name=op.f("fk_engagement_milestones_stage_id_engagement_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_milestones")),
    )
    with op.batch_alter_table("engagement_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_milestones_stage_id"), ["stage_id"], unique=False
        )

    op.create_table(
        "engagement_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("scenario_version", sa.Integer(), nullable=True),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_id"],
            ["assessment_cells.id"],
            name=op.f("fk_engagement_recommendations_cell_id_assessment_cells"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_recommendations_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["costing_scenarios.id"],
            name=op.f("fk_engagement_recommendations_scenario_id_costing_scenarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_recommendations")),
    )
    with op.batch_alter_table("engagement_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_recommendations_cell_id"), ["cell_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_recommendations_engagement_id"),
            ["engagement_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_recommendations_scenario_id"), ["scenario_id"], unique=False
        )

    op.create_table(
        "engagement_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("constituent", sa.String(length=30), nullable=False),
        sa.Column("stance", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_engagement_positions_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagement_positions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["engagement_recommendations.id"],
            name=op.f("fk_engagement_positions_recommendation_id_engagement_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_positions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_positions")),
        sa.UniqueConstraint(
            "recommendation_id",
            "organisation_id",
            name=op.f("uq_engagement_positions_recommendation_id"),
        ),
    )
    with op.batch_alter_table("engagement_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_positions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_positions_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("engagement_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_positions_recommendation_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_positions_organisation_id"))

    op.drop_table("engagement_positions")
    with op.batch_alter_table("engagement_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_recommendations_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_recommendations_engagement_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_recommendations_cell_id"))

    op.drop_table("engagement_recommendations")
    with op.batch_alter_table("engagement_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_milestones_stage_id"))

    op.drop_table("engagement_milestones")
    with op.batch_alter_table("codi_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_codi_scores_assessment_id"))

    op.drop_table("codi_scores")
    with op.batch_alter_table("assessment_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_cells_engagement_id"))

    op.drop_table("assessment_cells")
    with op.batch_alter_table("engagement_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_stages_engagement_id"))

    op.drop_table("engagement_stages")
    with op.batch_alter_table("engagement_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_partners_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_partners_engagement_id"))

    op.drop_table("engagement_partners")
    with op.batch_alter_table("engagement_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_members_engagement_id"))

    op.drop_table("engagement_members")
    with op.batch_alter_table("engagement_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_events_engagement_id"))

    op.drop_table("engagement_events")
    with op.batch_alter_table("engagement_endorsements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_endorsements_engagement_id"))

    op.drop_table("engagement_endorsements")
    with op.batch_alter_table("codi_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_codi_assessments_engagement_id"))

    op.drop_table("codi_assessments")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagements_status"))
        batch_op.drop_index(batch_op.f("ix_engagements_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_engagements_country_iso3"))

    op.drop_table("engagements")
