"""robustness: throttles and the like (placeholder until filled)

Revision ID: 0018_robustness
Revises: 0017_report_aggregates
Create Date: 2026-12-04 20:40:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0018_robustness'
down_revision = '0017_report_aggregates'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
