"""data generation: one counter that every committed write raises (the page cache)

A web worker keeps a drawn page under the counter's value and serves it again only while
the counter has not moved (marketplace/page_cache). One row, id 1, starting at 0.

Revision ID: 0025_data_generation
Revises: 0024_answers_for_residents
Create Date: 2026-12-07 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_data_generation'
down_revision = '0024_answers_for_residents'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_generation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('n', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'n': 0}])


def downgrade():
    op.drop_table('data_generation')
