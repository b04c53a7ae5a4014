"""Enterprise Grid: an org-wide install is one tenant; its workspaces may each have their own digest

Revision ID: 0009
Revises: 0008

An org-wide install keeps its people, topics, needs and kudos under the org's id (E…), in the same tables a
workspace install uses (team_id holds the tenant's id). A workspace of such an org gets a row of its own with
`enterprise_id` set, for what differs per workspace: the channel and timezone of its digest. The org's row says
whether the org has one digest or one per workspace (`digest_scope`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enterprise_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("digest_scope", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_workspace_enterprise_id", ["enterprise_id"])


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_index("ix_workspace_enterprise_id")
        batch_op.drop_column("digest_scope")
        batch_op.drop_column("enterprise_id")
