"""online drills: question banks, papers, attempts with seeds, answers (append-only), finalist selections

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "online_banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_online_banks_competition_id_competitions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_banks")),
        sa.UniqueConstraint("competition_id", "version", name=op.f("uq_online_banks_competition_id_version")),
    )
    op.create_table(
        "online_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("title_zh", sa.String(length=255), nullable=False),
        sa.Column("title_en", sa.String(length=255), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("pass_mark", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.String(length=8), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_limit_seconds", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bank_id"], ["online_banks.id"], name=op.f("fk_online_papers_bank_id_online_banks")),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_online_papers_competition_id_competitions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_papers")),
        sa.UniqueConstraint("competition_id", "key", name=op.f("uq_online_papers_competition_id_key")),
    )
    op.create_table(
        "online_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("contestant_key", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["online_papers.id"], name=op.f("fk_online_attempts_paper_id_online_papers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_attempts")),
        sa.UniqueConstraint(
            "paper_id", "contestant_key", "client_id", name=op.f("uq_online_attempts_paper_id_contestant_key_client_id")
        ),
        sa.UniqueConstraint(
            "paper_id", "contestant_key", "number", name=op.f("uq_online_attempts_paper_id_contestant_key_number")
        ),
    )
    op.create_table(
        "online_selections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("finalists", sa.JSON(), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["online_papers.id"], name=op.f("fk_online_selections_paper_id_online_papers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_selections")),
    )
    op.create_table(
        "online_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["online_attempts.id"], name=op.f("fk_online_answers_attempt_id_online_attempts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_answers")),
        sa.UniqueConstraint("attempt_id", "client_id", name=op.f("uq_online_answers_attempt_id_client_id")),
    )


def downgrade() -> None:
    op.drop_table("online_answers")
    op.drop_table("online_selections")
    op.drop_table("online_attempts")
    op.drop_table("online_papers")
    op.drop_table("online_banks")
