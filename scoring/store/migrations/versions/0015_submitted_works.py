"""works: the call for entries, units' works (append-only versions, files by hash), eligibility,
the experts' pool, their conflicts, review assignments and shortlists (issue 13 part 2)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("work_key", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_review_conflicts_competition_id_competitions")
        ),
        sa.ForeignKeyConstraint(["judge_id"], ["judges.id"], name=op.f("fk_review_conflicts_judge_id_judges")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_conflicts")),
        sa.UniqueConstraint("judge_id", "work_key", name=op.f("uq_review_conflicts_judge_id_work_key")),
    )
    op.create_table(
        "review_experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_review_experts_competition_id_competitions")
        ),
        sa.ForeignKeyConstraint(["judge_id"], ["judges.id"], name=op.f("fk_review_experts_judge_id_judges")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_experts")),
        sa.UniqueConstraint("judge_id", name=op.f("uq_review_experts_judge_id")),
    )
    op.create_table(
        "review_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["judge_id"], ["judges.id"], name=op.f("fk_review_assignments_judge_id_judges")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_review_assignments_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignments")),
        sa.UniqueConstraint(
            "round_id", "judge_id", "entry_key", name=op.f("uq_review_assignments_round_id_judge_id_entry_key")
        ),
    )
    op.create_table(
        "work_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=255), nullable=False),
        sa.Column("title_en", sa.String(length=255), nullable=False),
        sa.Column("notes_zh", sa.Text(), nullable=False),
        sa.Column("notes_en", sa.Text(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attachment_max_bytes", sa.Integer(), nullable=False),
        sa.Column("attachments_max", sa.Integer(), nullable=False),
        sa.Column("reviews_per_work", sa.Integer(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_work_calls_competition_id_competitions")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=op.f("fk_work_calls_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_calls")),
        sa.UniqueConstraint("competition_id", name=op.f("uq_work_calls_competition_id")),
    )
    op.create_table(
        "work_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["work_calls.id"], name=op.f("fk_work_files_call_id_work_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_files")),
        sa.UniqueConstraint("call_id", "sha256", name=op.f("uq_work_files_call_id_sha256")),
    )
    op.create_table(
        "work_shortlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("next_round_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("made_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["work_calls.id"], name=op.f("fk_work_shortlists_call_id_work_calls")),
        sa.ForeignKeyConstraint(["next_round_id"], ["rounds.id"], name=op.f("fk_work_shortlists_next_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_shortlists")),
    )
    op.create_table(
        "works",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["work_calls.id"], name=op.f("fk_works_call_id_work_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_works")),
        sa.UniqueConstraint("call_id", "key", name=op.f("uq_works_call_id_key")),
    )
    op.create_table(
        "work_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], name=op.f("fk_work_decisions_work_id_works")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_decisions")),
    )
    op.create_table(
        "work_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("video_links", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], name=op.f("fk_work_versions_work_id_works")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_versions")),
        sa.UniqueConstraint("work_id", "client_id", name=op.f("uq_work_versions_work_id_client_id")),
        sa.UniqueConstraint("work_id", "version", name=op.f("uq_work_versions_work_id_version")),
    )


def downgrade() -> None:
    op.drop_table("work_versions")
    op.drop_table("work_decisions")
    op.drop_table("works")
    op.drop_table("work_shortlists")
    op.drop_table("work_files")
    op.drop_table("work_calls")
    op.drop_table("review_assignments")
    op.drop_table("review_experts")
    op.drop_table("review_conflicts")
