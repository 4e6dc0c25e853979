"""user name index: the administrator's user list pages by keyset on (name, id)

The list is sorted by name, then id, and pages on from the last user shown. With an index
on (name, id) the database reads one page from where the previous one ended instead of
sorting every account for each page.

Revision ID: 0026_user_name_index
Revises: 0025_data_generation
Create Date: 2026-12-07 03:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_user_name_index'
down_revision = '0025_data_generation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_name_id', 'user', ['name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_user_name_id', table_name='user')
