"""erasure of a person (GDPR art. 17) and retention of every table with personal data

``user.erased_at``: when the person was erased (on request or by retention); the row stays
as a tombstone without name, e-mail or password, so the reports keep their counts.

Revision ID: 0010_privacy
Revises: 0009_reporting
Create Date: 2026-12-04 16:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_privacy'
down_revision = '0009_reporting'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user', sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('erased_at')
