"""Networks: a person may belong to no organisation (``contacts.organisation_id`` nullable,
``contacts.country_iso3``), and people's memberships of organisations and networks.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("country_iso3", sa.String(length=3), nullable=True))
        batch_op.create_index(batch_op.f("ix_contacts_country_iso3"), ["country_iso3"])
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_memberships_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_memberships_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint(
            "contact_id",
            "organisation_id",
            "role",
            name=op.f("uq_memberships_contact_id"),
        ),
    )
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_contact_id"), ["contact_id"])
        batch_op.create_index(batch_op.f("ix_memberships_organisation_id"), ["organisation_id"])


def downgrade() -> None:
    op.drop_table("memberships")
    op.execute("DELETE FROM contacts WHERE organisation_id IS NULL")
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_country_iso3"))
        batch_op.drop_column("country_iso3")
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
