"""Practices: the title and summary in the other languages (``translations``).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    op.execute("UPDATE practices SET translations = '{}'")
    with op.batch_alter_table("practices") as batch:
        batch.alter_column("translations", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("translations")
