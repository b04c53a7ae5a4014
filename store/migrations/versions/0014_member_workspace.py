"""Enterprise Grid: each member's own workspace, so the dashboard's per-workspace filter filters

Revision ID: 0014
Revises: 0013

An org-wide install keeps one member per person under the org's id. The workspace a person belongs to comes with
users.info (`team_id`) and with every payload (`user.team_id`); it is kept on the member so the insights can count
one workspace of the org. NULL until first seen: such a member counts in the org's view only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_member_team_id_workspace_id", ["team_id", "workspace_id"])


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_team_id_workspace_id")
        batch_op.drop_column("workspace_id")
