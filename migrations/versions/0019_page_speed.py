"""page speed: an index for the worklist's offers waiting for the worker

The worklist lists and counts the proposals a worker must answer (``match.status =
'proposed' AND awaiting = 'worker'``, oldest first). Without an index on those columns the
database walks every request of the area (100k) and looks for its matches; with
(status, awaiting, created_at, id) it reads just the waiting proposals, in order.

Revision ID: 0019_page_speed
Revises: 0018_robustness
Create Date: 2026-12-04 20:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_page_speed'
down_revision = '0018_robustness'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_match_status_awaiting_created_at', 'match',
                    ['status', 'awaiting', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_match_status_awaiting_created_at', table_name='match')
