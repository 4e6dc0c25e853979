"""indexes for the pages people use all day

The worklist reads an area's requests in one status, oldest first, and counts them:
(area_id, status, created_at, id) serves the filter, the order and the count.

Revision ID: 0014_page_indexes
Revises: 0013_public_signals
Create Date: 2026-12-04 16:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_page_indexes'
down_revision = '0013_public_signals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_help_request_area_id_status_created_at', 'help_request',
                    ['area_id', 'status', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_help_request_area_id_status_created_at', table_name='help_request')
