"""offer index (team, topic, id): /learn reads a topic's teachers in id order from a random start

Revision ID: 0007
Revises: 0006

SQLite keeps the rowid in every index, so there the old index already served; PostgreSQL needs the id in it to
stop after the first rows instead of sorting all of a popular topic's teachers.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_team_id_topic_id_id", "offer", ["team_id", "topic_id", "id"])
    op.drop_index("ix_offer_team_id_topic_id", table_name="offer")


def downgrade() -> None:
    op.create_index("ix_offer_team_id_topic_id", "offer", ["team_id", "topic_id"])
    op.drop_index("ix_offer_team_id_topic_id_id", table_name="offer")
