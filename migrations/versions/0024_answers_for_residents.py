"""answers for residents: a worker writes down a check-in answer given by phone

A resident without e-mail (or a volunteer) can tell the area's worker how the support goes;
the worker records it, and the check-in keeps who wrote it down. Both columns are empty for
every earlier answer: those came through the link in the mail.

Revision ID: 0024_answers_for_residents
Revises: 0023_signal_attempts
Create Date: 2026-12-06 21:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_answers_for_residents'
down_revision = '0023_signal_attempts'
branch_labels = None
depends_on = None

COLUMNS = ('resident_answer_by_id', 'volunteer_answer_by_id')


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_check_in_{column}_user'), 'user',
                                        [column], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_constraint(batch_op.f(f'fk_check_in_{column}_user'),
                                     type_='foreignkey')
            batch_op.drop_column(column)
