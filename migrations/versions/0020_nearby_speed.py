"""nearby speed: the volunteer's nearby list from the index alone

The nearby list counts the open requests of the volunteer's categories in the bounding box
per place and urgency, leaves out their own requests and pages newest first. The old index
(status, category, lat, lon) found the rows but every one of them was then read from the
table for its urgency, owner and creation time (~2,000 at 100k requests); with those columns
in the index the count and the page order read the index only. It replaces the old index
(the same leading columns, so every query that used it still can).

Revision ID: 0020_nearby_speed
Revises: 0019_page_speed
Create Date: 2026-12-05 09:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_nearby_speed'
down_revision = '0019_page_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_help_request_nearby', 'help_request',
                    ['status', 'category', 'lat', 'lon', 'urgency', 'owner_id', 'created_at'],
                    unique=False)
    op.drop_index('ix_help_request_status_category_lat_lon', table_name='help_request')


def downgrade():
    op.create_index('ix_help_request_status_category_lat_lon', 'help_request',
                    ['status', 'category', 'lat', 'lon'], unique=False)
    op.drop_index('ix_help_request_nearby', table_name='help_request')
