"""insights: sign-ins under way, the dashboard's extra admins, and an index for the window of asks

Revision ID: 0012
Revises: 0011

Sign in with Slack keeps each state and nonce in the database, used once, so any replica can take the callback.
The dashboard counts needs declared in a window: (team_id, created_at) reads only those.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insights_login",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_insights_login")),
    )
    op.create_index(op.f("ix_insights_login_created_at"), "insights_login", ["created_at"])
    op.create_table(
        "insights_admin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_admin")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_insights_admin_team_id_user_id")),
    )
    op.create_index("ix_need_team_id_created_at", "need", ["team_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_need_team_id_created_at", table_name="need")
    op.drop_table("insights_admin")
    op.drop_index(op.f("ix_insights_login_created_at"), table_name="insights_login")
    op.drop_table("insights_login")
