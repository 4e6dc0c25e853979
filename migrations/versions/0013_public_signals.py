"""worries reported without an account: how the reporter may be reached (optional)

A signal without an account has no reporter_id (already nullable); what the reporter typed
to be reached goes in reporter_contact. The throttle per IP reuses throttle_hit.

Revision ID: 0013_public_signals
Revises: 0012_worker_day
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_public_signals'
down_revision = '0012_worker_day'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporter_contact', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('reporter_contact')
