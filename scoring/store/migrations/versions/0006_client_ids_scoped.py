"""client ids are unique per sheet (and per quiz round), not across the whole database

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:20:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sheet_versions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sheet_versions_client_id", type_="unique")
        batch_op.create_unique_constraint("uq_sheet_versions_sheet_id_client_id", ["sheet_id", "client_id"])
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_quiz_answers_client_id", type_="unique")
        batch_op.create_unique_constraint("uq_quiz_answers_round_id_client_id", ["round_id", "client_id"])


def downgrade() -> None:
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_quiz_answers_round_id_client_id", type_="unique")
        batch_op.create_unique_constraint("uq_quiz_answers_client_id", ["client_id"])
    with op.batch_alter_table("sheet_versions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sheet_versions_sheet_id_client_id", type_="unique")
        batch_op.create_unique_constraint("uq_sheet_versions_client_id", ["client_id"])
