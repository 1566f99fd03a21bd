"""live boards: each competition's seq and its numbered changes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 10:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_heads",
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_live_heads_competition_id_competitions")
        ),
        sa.PrimaryKeyConstraint("competition_id", name=op.f("pk_live_heads")),
    )
    op.create_table(
        "live_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("entries", sa.JSON(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_live_changes_competition_id_competitions")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_live_changes_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_changes")),
        sa.UniqueConstraint("competition_id", "seq", name=op.f("uq_live_changes_competition_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("live_changes")
    op.drop_table("live_heads")
