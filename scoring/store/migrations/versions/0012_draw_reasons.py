"""draws: the reason a draw replaced an earlier one of its kind

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.drop_column("reason")
