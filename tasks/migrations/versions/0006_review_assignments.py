"""The reviewer panel's assignment, per stage: which reviewer owes a review of which applicant
(`mentoring assign`), kept so that new applicants are added around it.

Revision ID: 0006
Revises: 0005
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_assignments",
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("applicant_id", sa.String(64), primary_key=True),
        sa.Column("reviewer_id", sa.String(64), primary_key=True),
        sa.Column("run_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_assignments")
