"""the life of a request in one home (support.lifecycle); close and evaluation endpoints

``evaluation.goals_attained`` / ``goals_total``: how many goals of the support plan were
attained, of how many evaluated, as the evaluation (web page or API) records them.

Revision ID: 0006_request_lifecycle
Revises: 0005_request_day_parts
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_request_lifecycle'
down_revision = '0005_request_day_parts'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('evaluation', sa.Column('goals_attained', sa.Integer(), nullable=True))
    op.add_column('evaluation', sa.Column('goals_total', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('evaluation') as batch_op:
        batch_op.drop_column('goals_total')
        batch_op.drop_column('goals_attained')
