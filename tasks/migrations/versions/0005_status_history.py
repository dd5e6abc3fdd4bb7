"""Each applicant's statuses over time, kept append-only: what the agency hands over when a
person asks what it holds about them (`mentoring person`), and what `forget` erases.

Revision ID: 0005
Revises: 0004
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("applicant_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_status_history_applicant_id", "status_history", ["applicant_id"])


def downgrade() -> None:
    op.drop_table("status_history")
