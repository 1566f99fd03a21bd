"""panel_seats: whether the seat marks sheets (a chief seated as referee keeps the desk only)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("panel_seats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marks", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("panel_seats", schema=None) as batch_op:
        batch_op.drop_column("marks")
