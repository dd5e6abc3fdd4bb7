"""Every choice field of the record (staff_category, immigrant_background, consent) is stored
as VARCHAR(32), as scoring/record.py declares; two of them were narrower.

Revision ID: 0002
Revises: 0001
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WIDENED = {"immigrant_background": 16, "consent": 8}


def upgrade() -> None:
    with op.batch_alter_table("applicants") as table:
        for column, width in WIDENED.items():
            table.alter_column(column, type_=sa.String(32), existing_type=sa.String(width))


def downgrade() -> None:
    with op.batch_alter_table("applicants") as table:
        for column, width in WIDENED.items():
            table.alter_column(column, type_=sa.String(width), existing_type=sa.String(32))
