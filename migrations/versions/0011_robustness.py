"""throttles that hold across workers (password reset) and hostile-input fixes

``throttle_hit``: attempts at a throttled action (the password-reset request), counted in
the database so the limit holds across workers; keys are SHA-256 digests, never an address.

Revision ID: 0011_robustness
Revises: 0010_privacy
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_robustness'
down_revision = '0010_privacy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'throttle_hit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hit')),
    )
    op.create_index('ix_throttle_hit_action_key_at', 'throttle_hit', ['action', 'key', 'at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_throttle_hit_action_key_at', table_name='throttle_hit')
    op.drop_table('throttle_hit')
