"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("iso_year", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_run")),
        sa.UniqueConstraint("team_id", "iso_year", "iso_week", name=op.f("uq_digest_run_team_id_iso_year_iso_week")),
    )
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_event")),
    )
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_event_received_at"), ["received_at"], unique=False)

    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic")),
        sa.UniqueConstraint("team_id", "name", name=op.f("uq_topic_team_id_name")),
    )
    op.create_table(
        "workspace",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("learning_channel", sa.String(length=32), nullable=True),
        sa.Column("digest_weekday", sa.Integer(), nullable=True),
        sa.Column("digest_time", sa.String(length=5), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("kudos_emoji", sa.String(length=200), nullable=True),
        sa.Column("kudos_daily_limit", sa.Integer(), nullable=True),
        sa.Column("kudos_pair_weekly_limit", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_workspace")),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("status_emoji", sa.String(length=100), nullable=True),
        sa.Column("status_text", sa.String(length=200), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("kudos_dm", sa.Boolean(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_member_team_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_member_team_id_user_id")),
    )
    op.create_table(
        "topic_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_topic_alias_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_alias")),
        sa.UniqueConstraint("team_id", "alias", name=op.f("uq_topic_alias_team_id_alias")),
    )
    op.create_table(
        "kudos",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=True),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        sa.Column("giver_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["member.id"], name=op.f("fk_kudos_giver_id_member"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"], ["member.id"], name=op.f("fk_kudos_receiver_id_member"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kudos")),
        sa.UniqueConstraint(
            "team_id",
            "giver_id",
            "channel_id",
            "message_ts",
            "emoji",
            name=op.f("uq_kudos_team_id_giver_id_channel_id_message_ts_emoji"),
        ),
    )
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index("ix_kudos_giver_id_giver_day", ["giver_id", "giver_day"], unique=False)
        batch_op.create_index("ix_kudos_team_id_created_at", ["team_id", "created_at"], unique=False)
        batch_op.create_index("ix_kudos_team_id_receiver_id", ["team_id", "receiver_id"], unique=False)

    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("raw_text", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "matched", "closed", "cancelled", name="needstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_need_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], name=op.f("fk_need_topic_id_topic"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index("ix_need_team_id_topic_id_status", ["team_id", "topic_id", "status"], unique=False)
        batch_op.create_index("ix_need_member_id_status", ["member_id", "status"], unique=False)
        batch_op.create_index(
            "uq_need_member_id_topic_id_live",
            ["member_id", "topic_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('open', 'matched')"),
            postgresql_where=sa.text("status IN ('open', 'matched')"),
        )

    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum("beginner", "intermediate", "expert", name="level", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_offer_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], name=op.f("fk_offer_topic_id_topic"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
        sa.UniqueConstraint("member_id", "topic_id", name=op.f("uq_offer_member_id_topic_id")),
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index("ix_offer_team_id_topic_id", ["team_id", "topic_id"], unique=False)

    op.create_table(
        "match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed", "accepted", "declined", "expired", "done", name="matchstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("offered_by_expert", sa.Boolean(), nullable=False),
        sa.Column("dm_channel", sa.String(length=32), nullable=True),
        sa.Column("dm_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["member.id"], name=op.f("fk_match_expert_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_match_need_id_need"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match")),
        sa.UniqueConstraint("need_id", "expert_id", name=op.f("uq_match_need_id_expert_id")),
    )
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.create_index("ix_match_team_id_expert_id_status", ["team_id", "expert_id", "status"], unique=False)

    op.create_table(
        "learning_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.Enum("pair", "slot", name="sessionkind", native_enum=False, length=16), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followup_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["member.id"], name=op.f("fk_learning_session_host_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["match_id"], ["match.id"], name=op.f("fk_learning_session_match_id_match"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_learning_session_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_session")),
        sa.UniqueConstraint("match_id", name=op.f("uq_learning_session_match_id")),
    )
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.create_index("ix_learning_session_team_id_starts_at", ["team_id", "starts_at"], unique=False)

    op.create_table(
        "session_participant",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_session_participant_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_session.id"],
            name=op.f("fk_session_participant_session_id_learning_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "member_id", name=op.f("pk_session_participant")),
    )


def downgrade() -> None:
    op.drop_table("session_participant")
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_session_team_id_starts_at")

    op.drop_table("learning_session")
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_index("ix_match_team_id_expert_id_status")

    op.drop_table("match")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index("ix_offer_team_id_topic_id")

    op.drop_table("offer")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_need_member_id_topic_id_live",
            sqlite_where=sa.text("status IN ('open', 'matched')"),
            postgresql_where=sa.text("status IN ('open', 'matched')"),
        )
        batch_op.drop_index("ix_need_team_id_topic_id_status")
        batch_op.drop_index("ix_need_member_id_status")

    op.drop_table("need")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index("ix_kudos_team_id_receiver_id")
        batch_op.drop_index("ix_kudos_team_id_created_at")
        batch_op.drop_index("ix_kudos_giver_id_giver_day")

    op.drop_table("kudos")
    op.drop_table("topic_alias")
    op.drop_table("member")
    op.drop_table("workspace")
    op.drop_table("topic")
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_event_received_at"))

    op.drop_table("processed_event")
    op.drop_table("digest_run")
