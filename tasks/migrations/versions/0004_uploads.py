"""Videos uploaded on the portal are listed with the time the server received them, so that the
videos stage neither trusts a file's modification time nor needs a manifest for them.

Revision ID: 0004
Revises: 0003
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("file", sa.Text, primary_key=True),
        sa.Column("applicant_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("uploads")
