"""nominations: an optional English name and post for each candidate (English pages show them)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.add_column(sa.Column("name_en", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("post_en", sa.String(length=128), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("nominations") as batch:
        batch.drop_column("post_en")
        batch.drop_column("name_en")
