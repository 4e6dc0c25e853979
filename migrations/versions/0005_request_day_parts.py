"""request day parts: on which day parts help is welcome

``help_request.day_parts`` holds day-part codes such as ``tue_morning`` (the same codes as
volunteer availability); empty or NULL means any day part is fine.

Revision ID: 0005_request_day_parts
Revises: 0004_sweep_indexes
Create Date: 2026-11-23 12:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_request_day_parts'
down_revision = '0004_sweep_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('help_request', sa.Column('day_parts', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('help_request') as batch_op:
        batch_op.drop_column('day_parts')
