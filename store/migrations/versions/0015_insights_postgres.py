"""insights on PostgreSQL: the follow-up's kudos indexed on their own

Revision ID: 0015
Revises: 0014

"It helped" looks for the learner's kudos from a session's follow-up (message_ts 'session-<id>'). Without an index
of their own, PostgreSQL hashed all 1,000,000 kudos for it (1.3 s); the partial index holds only those.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

FOLLOW_UP = sa.text("message_ts LIKE 'session-%'")


def upgrade() -> None:
    op.create_index(
        "ix_kudos_team_id_giver_id_follow_up",
        "kudos",
        ["team_id", "giver_id", "message_ts"],
        sqlite_where=FOLLOW_UP,
        postgresql_where=FOLLOW_UP,
    )


def downgrade() -> None:
    op.drop_index("ix_kudos_team_id_giver_id_follow_up", table_name="kudos")
