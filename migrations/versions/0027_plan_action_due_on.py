"""plan action due date: by when an action in the support plan should be done

``plan_action.due_on`` (optional). An action not done by then is on the worker's
"Vandaag opvolgen", like a follow-up date of a case note.

Revision ID: 0027_plan_action_due_on
Revises: 0026_user_name_index
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_plan_action_due_on'
down_revision = '0026_user_name_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_action') as batch:
        batch.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan_action') as batch:
        batch.drop_column('due_on')
