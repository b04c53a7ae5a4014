"""Meeting times that fit both people, reschedule and cancel, and kudos that endorse a topic

Revision ID: 0010
Revises: 0009

- member.working_hours: the days and hours someone set in App Home ("mon-fri 09:00-17:00"); empty = that default.
- member.status_expires_at: when their Slack status (a vacation, say) runs out, as users.info reports it.
- match.proposed_*: the time the expert (or, to reschedule, either person) picked and the other is asked to
  confirm, its length, and the other free times offered with it (epoch seconds, comma-separated).
- learning_session.sequence / cancelled_at / cancel_reason: a calendar invitation's SEQUENCE grows with every
  change, and a cancelled session keeps why.
- kudos.topic_id: a thank-you given for a session on a topic endorses the expert for that topic.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_hours", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("status_expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("proposed_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("proposed_options", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_match_proposed_by_id_member", "member", ["proposed_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=200), nullable=True))
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topic_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_kudos_topic_id_topic", "topic", ["topic_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_kudos_team_id_topic_id_receiver_id", ["team_id", "topic_id", "receiver_id"])


def downgrade() -> None:
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index("ix_kudos_team_id_topic_id_receiver_id")
        batch_op.drop_constraint("fk_kudos_topic_id_topic", type_="foreignkey")
        batch_op.drop_column("topic_id")
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("sequence")
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_constraint("fk_match_proposed_by_id_member", type_="foreignkey")
        batch_op.drop_column("proposed_by_id")
        batch_op.drop_column("proposed_options")
        batch_op.drop_column("proposed_minutes")
        batch_op.drop_column("proposed_at")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("status_expires_at")
        batch_op.drop_column("working_hours")
