"""Practice claims (key facts with their source and verification) and bibliographic fields of
publications (editors, series and number, DOI, ISBN, language editions).

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("claim_key", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event_year", sa.Integer(), nullable=True),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verified_by", sa.String(length=200), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_against", sa.Text(), nullable=False),
        sa.Column("dispute_source", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_claims_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["users.id"],
            name=op.f("fk_practice_claims_verified_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_claims")),
        sa.UniqueConstraint(
            "practice_id", "claim_key", name=op.f("uq_practice_claims_practice_id")
        ),
    )
    with op.batch_alter_table("practice_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_claims_practice_id"), ["practice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practice_claims_status"), ["status"], unique=False)

    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("editors", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("series", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("series_number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("doi", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("isbn", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("editions", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("publications", schema=None) as batch_op:
        for column in ("editions", "isbn", "doi", "series_number", "series", "editors"):
            batch_op.drop_column(column)
    with op.batch_alter_table("practice_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_claims_status"))
        batch_op.drop_index(batch_op.f("ix_practice_claims_practice_id"))
    op.drop_table("practice_claims")
