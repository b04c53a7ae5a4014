"""insights at a large company: indexes for the dashboard's counts

Revision ID: 0013
Revises: 0012

With 100,000 members and 1,000,000 kudos the page took 6.7 s. Weekly kudos and endorsements are counted from
(team_id, created_at, topic_id) without reading the table; "took part" looks up one kudos per giver in the window
(giver_id, created_at); new teachers and first-time learners take each member's first offer or need from
(team_id, member_id, created_at). Learners waiting, per topic and by how long they wait, come from two indexes on the
open needs alone.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_kudos_team_id_created_at_topic_id", "kudos", ["team_id", "created_at", "topic_id"]),
    ("ix_kudos_giver_id_created_at", "kudos", ["giver_id", "created_at"]),
    ("ix_offer_team_id_member_id_created_at", "offer", ["team_id", "member_id", "created_at"]),
    ("ix_need_team_id_member_id_created_at", "need", ["team_id", "member_id", "created_at"]),
    ("ix_need_team_id_status_topic_id_member_id", "need", ["team_id", "status", "topic_id", "member_id"]),
    ("ix_need_team_id_status_created_at_member_id", "need", ["team_id", "status", "created_at", "member_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
