"""Training: courses, the sessions (events) that deliver them, participants' assessments;
networks: the expertise and languages of organisations and their contacts.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_STAMPS = (
    ("version", sa.Integer()),
    ("created_at", sa.DateTime(timezone=True)),
    ("updated_at", sa.DateTime(timezone=True)),
)


def _stamps() -> list[sa.Column[object]]:
    return [sa.Column(name, kind, nullable=False) for name, kind in _STAMPS]


def upgrade() -> None:
    op.create_table(
        "training_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("trainers", sa.JSON(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_training_courses_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
    )
    with op.batch_alter_table("training_courses") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_courses_created_by_id"), ["created_by_id"], unique=False
        )
    op.create_table(
        "training_course_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_course_sessions_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_training_course_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course_sessions")),
        sa.UniqueConstraint("event_id", name=op.f("uq_training_course_sessions_event_id")),
    )
    with op.batch_alter_table("training_course_sessions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_course_sessions_course_id"), ["course_id"], unique=False
        )
    op.create_table(
        "training_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("pre_score", sa.Float(), nullable=True),
        sa.Column("post_score", sa.Float(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_assessments_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participants.id"],
            name=op.f("fk_training_assessments_participant_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assessments")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_training_assessments_participant_id")),
    )
    with op.batch_alter_table("training_assessments") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_assessments_course_id"), ["course_id"], unique=False
        )

    for table in ("organisations", "contacts"):
        with op.batch_alter_table(table) as batch_op:
            for column in ("expertise", "languages"):
                batch_op.add_column(
                    sa.Column(column, sa.JSON(), server_default="[]", nullable=False)
                )


def downgrade() -> None:
    for table in ("organisations", "contacts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("languages")
            batch_op.drop_column("expertise")
    op.drop_table("training_assessments")
    op.drop_table("training_course_sessions")
    op.drop_table("training_courses")
