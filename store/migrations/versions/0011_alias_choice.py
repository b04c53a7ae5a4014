"""alias_choice: what each person said their words mean, so a "did you mean" click teaches them at once

Revision ID: 0011
Revises: 0010

A click on "did you mean…?" records the clicker's choice. It becomes the workspace's alias (topic_alias) only
when uncontested: two people chose the same topic for the words and nobody chose another.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alias_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_alias_choice_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_alias_choice_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias_choice")),
        sa.UniqueConstraint("team_id", "alias", "member_id", name=op.f("uq_alias_choice_team_id_alias_member_id")),
    )


def downgrade() -> None:
    op.drop_table("alias_choice")
