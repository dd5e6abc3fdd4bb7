"""The store as every version before migrations made it (`metadata.create_all`).

A store made then has these tables and no version: it is taken to be at this revision.

Revision ID: 0001
Revises:
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("config_hash", sa.String(64), nullable=False),
        sa.Column("input_hashes", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_table(
        "applicants",
        sa.Column("applicant_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("review_count", sa.Integer),
        sa.Column("disagreement", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("birth_date", sa.Date),
        sa.Column("unit", sa.Text),
        sa.Column("position", sa.Text),
        sa.Column("staff_category", sa.String(32)),
        sa.Column("education", sa.Text),
        sa.Column("gender", sa.Text),
        sa.Column("immigrant_background", sa.String(16)),
        sa.Column("consent", sa.String(8)),
        sa.Column("motivation", sa.Text),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("source_file", sa.Text),
        sa.Column("source_row", sa.Integer),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "video_results",
        sa.Column("applicant_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("video_score", sa.Float),
        sa.Column("video_review_count", sa.Integer),
        sa.Column("final_score", sa.Float),
        sa.Column("media", sa.Text),
        sa.Column("poster", sa.Text),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("file", sa.Text, primary_key=True),
        sa.Column("applicant_id", sa.String(64)),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("problems", sa.Text),
        sa.Column("verdict", sa.Text),
        sa.Column("duration_s", sa.Float),
        sa.Column("media", sa.Text),
        sa.Column("poster", sa.Text),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "match_results",
        sa.Column("applicant_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("leader_id", sa.String(64)),
        sa.Column("leader_rank", sa.Integer),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "ranking_sheets",
        sa.Column("file", sa.Text, primary_key=True),
        sa.Column("leader_id", sa.String(64)),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "packets",
        sa.Column("leader_id", sa.String(64), primary_key=True),
        sa.Column("shortlist_id", sa.String(32), nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("input", sa.String(32), nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("applicant_id", sa.String(64)),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "email_log",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("transport", sa.String(16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("email_log", "quarantine", "packets", "ranking_sheets", "match_results",
                  "submissions", "video_results", "applicants", "runs"):
        op.drop_table(table)
