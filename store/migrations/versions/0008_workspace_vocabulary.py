"""workspace.vocabulary: which shipped vocabulary its topics were last put under their one name with

Revision ID: 0008
Revises: 0007

Topics saved before a vocabulary release (a typo, "amazon web services" before AWS) are moved to the topic
they name today, once per workspace and release; the version says whether that was done.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vocabulary", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("vocabulary")
