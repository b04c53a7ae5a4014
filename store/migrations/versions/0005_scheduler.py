"""scheduler: digest claims (lease, attempts, error), slot invitations, indexes for due work

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("error", sa.String(length=64), nullable=True))
    op.create_table(
        "slot_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("invited", "hosted", "declined", "expired", name="invitestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["member.id"], name=op.f("fk_slot_invite_expert_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_session.id"],
            name=op.f("fk_slot_invite_session_id_learning_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_slot_invite_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_invite")),
        sa.UniqueConstraint("topic_id", "expert_id", name=op.f("uq_slot_invite_topic_id_expert_id")),
    )
    op.create_index("ix_slot_invite_team_id_status", "slot_invite", ["team_id", "status"], unique=False)
    op.create_index("ix_learning_session_starts_at", "learning_session", ["starts_at"], unique=False)
    op.create_index("ix_match_status_created_at", "match", ["status", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_match_status_created_at", table_name="match")
    op.drop_index("ix_learning_session_starts_at", table_name="learning_session")
    op.drop_index("ix_slot_invite_team_id_status", table_name="slot_invite")
    op.drop_table("slot_invite")
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.drop_column("error")
        batch_op.drop_column("attempts")
        batch_op.drop_column("claimed_at")
