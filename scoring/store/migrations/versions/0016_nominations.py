"""nominations: calls, units' nominations, experts' ballots, lists, objections and decisions

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nomination_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=255), nullable=False),
        sa.Column("title_en", sa.String(length=255), nullable=False),
        sa.Column("intro_zh", sa.Text(), nullable=False),
        sa.Column("intro_en", sa.Text(), nullable=False),
        sa.Column("min_service_years", sa.Integer(), nullable=False),
        sa.Column("front_line_required", sa.Boolean(), nullable=False),
        sa.Column("unit_quota", sa.Integer(), nullable=True),
        sa.Column("region_quota", sa.Integer(), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("panel", sa.JSON(), nullable=False),
        sa.Column("counting", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"], ["competitions.id"], name=op.f("fk_nomination_calls_competition_id_competitions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination_calls")),
        sa.UniqueConstraint("competition_id", name=op.f("uq_nomination_calls_competition_id")),
    )
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("post", sa.String(length=128), nullable=False),
        sa.Column("years_of_service", sa.Integer(), nullable=False),
        sa.Column("front_line", sa.Boolean(), nullable=False),
        sa.Column("story_zh", sa.Text(), nullable=False),
        sa.Column("story_en", sa.Text(), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.Column("photo_type", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["nomination_calls.id"], name=op.f("fk_nominations_call_id_nomination_calls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nominations")),
        sa.UniqueConstraint("call_id", "unit_key", "client_id", name=op.f("uq_nominations_call_id_unit_key_client_id")),
    )
    op.create_table(
        "deliberation_ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["nomination_calls.id"], name=op.f("fk_deliberation_ballots_call_id_nomination_calls")
        ),
        sa.ForeignKeyConstraint(["judge_id"], ["judges.id"], name=op.f("fk_deliberation_ballots_judge_id_judges")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliberation_ballots")),
    )
    op.create_table(
        "nomination_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.Column("published_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["nomination_calls.id"], name=op.f("fk_nomination_lists_call_id_nomination_calls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination_lists")),
        sa.UniqueConstraint("call_id", "seq", name=op.f("uq_nomination_lists_call_id_seq")),
    )
    op.create_table(
        "nomination_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("contact", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"], ["nomination_lists.id"], name=op.f("fk_nomination_objections_list_id_nomination_lists")
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"], ["nominations.id"], name=op.f("fk_nomination_objections_nomination_id_nominations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination_objections")),
    )
    op.create_table(
        "objection_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["nomination_objections.id"],
            name=op.f("fk_objection_decisions_objection_id_nomination_objections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_decisions")),
        sa.UniqueConstraint("objection_id", name=op.f("uq_objection_decisions_objection_id")),
    )


def downgrade() -> None:
    for table in (
        "objection_decisions",
        "nomination_objections",
        "nomination_lists",
        "deliberation_ballots",
        "nominations",
        "nomination_calls",
    ):
        op.drop_table(table)
