"""quiz console: a question's number and an undo's voided seq in the quiz log

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("voids", sa.Integer(), nullable=True))
        # a record is voided once: two undos racing for the same record, one wins
        batch_op.create_unique_constraint("uq_quiz_answers_round_id_voids", ["round_id", "voids"])


def downgrade() -> None:
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_quiz_answers_round_id_voids", type_="unique")
        batch_op.drop_column("voids")
        batch_op.drop_column("number")
