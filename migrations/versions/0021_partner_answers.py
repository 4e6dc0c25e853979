"""partner answers: a partner contact answers a referral to their organisation

The contact moves a referral on (accepted, in care, completed, or declined) and may add a
short note for the worker. Both columns are empty for every earlier referral.

Revision ID: 0021_partner_answers
Revises: 0020_nearby_speed
Create Date: 2026-12-06 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_partner_answers'
down_revision = '0020_nearby_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('referral', sa.Column('partner_answered_at', sa.DateTime(), nullable=True))
    op.add_column('referral', sa.Column('partner_note', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('referral') as batch:
        batch.drop_column('partner_note')
        batch.drop_column('partner_answered_at')
