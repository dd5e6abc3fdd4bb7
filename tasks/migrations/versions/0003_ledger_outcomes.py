"""The e-mail ledger says what each letter told its recipient (`outcome`: invited, a rejected
video, not shortlisted, ...) and the video deadline it gave (`deadline`), so that nobody is told
the same outcome twice and the videos stage honours each applicant's own deadline.

Revision ID: 0003
Revises: 0002
Created: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("email_log") as table:
        table.add_column(sa.Column("outcome", sa.String(64)))
        table.add_column(sa.Column("deadline", sa.Date))


def downgrade() -> None:
    with op.batch_alter_table("email_log") as table:
        table.drop_column("deadline")
        table.drop_column("outcome")
