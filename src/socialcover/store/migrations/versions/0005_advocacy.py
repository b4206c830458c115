"""Advocacy: events (agenda, organisers, participants, materials);
press releases;
joint statements (partners, signatures);
monthly publication download counts.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=60), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=True),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("registration_open", sa.Boolean(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
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
            name=op.f("fk_events_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_events_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_country_iso3"), ["country_iso3"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)

    op.create_table(
        "press_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("embargo_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("frozen_figures", sa.JSON(), nullable=True),
        sa.Column("data_version", sa.String(length=200), nullable=True),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
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
            name=op.f("fk_press_releases_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_press_releases_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_releases")),
    )
    with op.batch_alter_table("press_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_press_releases_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_press_releases_embargo_until"), ["embargo_until"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_press_releases_status"), ["status"], unique=False)

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
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
            name=op.f("fk_statements_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_statements_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statements_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_statements_status"), ["status"], unique=False)

    op.create_table(
        "event_organisers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_organisers_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_organisers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_organisers")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_organisers_event_id")),
    )
    with op.batch_alter_table("event_organisers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_organisers_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_event_organisers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("sex", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("organisation_name", sa.String(length=300), nullable=False),
        sa.Column("constituent", sa.String(length=30), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_event_participants_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participants")),
        sa.UniqueConstraint("event_id", "email", name=op.f("uq_event_participants_event_id")),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_participants_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_participants_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_participants_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "event_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_sessions")),
    )
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_sessions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "publication_downloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_publication_downloads_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_downloads")),
        sa.UniqueConstraint(
            "publication_id",
            "month",
            "country_iso3",
            name=op.f("uq_publication_downloads_publication_id"),
        ),
    )
    with op.batch_alter_table("publication_downloads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_downloads_publication_id"), ["publication_id"], unique=False
        )

    op.create_table(
        "statement_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_statement_partners_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_partners_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_partners")),
        sa.UniqueConstraint(
            "statement_id", "organisation_id", name=op.f("uq_statement_partners_statement_id")
        ),
    )
    with op.batch_alter_table("statement_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_partners_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_statement_partners_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "statement_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("signed_by_title", sa.String(length=200), nullable=False),
        sa.Column("signed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_statement_signatures_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_user_id"],
            ["users.id"],
            name=op.f("fk_statement_signatures_signed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_signatures_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_signatures")),
        sa.UniqueConstraint(
            "statement_id", "organisation_id", name=op.f("uq_statement_signatures_statement_id")
        ),
    )
    with op.batch_alter_table("statement_signatures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_signatures_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_statement_signatures_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "event_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_materials_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["event_sessions.id"],
            name=op.f("fk_event_materials_session_id_event_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_materials")),
    )
    with op.batch_alter_table("event_materials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_materials_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_materials_event_id"))

    op.drop_table("event_materials")
    with op.batch_alter_table("statement_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_signatures_statement_id"))
        batch_op.drop_index(batch_op.f("ix_statement_signatures_organisation_id"))

    op.drop_table("statement_signatures")
    with op.batch_alter_table("statement_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_partners_statement_id"))
        batch_op.drop_index(batch_op.f("ix_statement_partners_organisation_id"))

    op.drop_table("statement_partners")
    with op.batch_alter_table("publication_downloads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_downloads_publication_id"))

    op.drop_table("publication_downloads")
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_sessions_event_id"))

    op.drop_table("event_sessions")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_event_participants_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_participants_email"))

    op.drop_table("event_participants")
    with op.batch_alter_table("event_organisers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_organisers_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_organisers_event_id"))

    op.drop_table("event_organisers")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_status"))
        batch_op.drop_index(batch_op.f("ix_statements_created_by_id"))

    op.drop_table("statements")
    with op.batch_alter_table("press_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_press_releases_status"))
        batch_op.drop_index(batch_op.f("ix_press_releases_embargo_until"))
        batch_op.drop_index(batch_op.f("ix_press_releases_created_by_id"))

    op.drop_table("press_releases")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_kind"))
        batch_op.drop_index(batch_op.f("ix_events_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_events_country_iso3"))

    op.drop_table("events")
