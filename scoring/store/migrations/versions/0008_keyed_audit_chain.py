"""the audit chain keyed (HMAC): each record names the key its hash was made with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00

Records already stored keep key_id "" (plain SHA-256): they were written before the chain was
keyed, and the first keyed record after them vouches for them (scoring/store/audit.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.drop_column("key_id")
