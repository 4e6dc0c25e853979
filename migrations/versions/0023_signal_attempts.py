"""signal attempts: a worker logs each try to reach the person a signal is about

A visit, a call, a letter through the door or a word through someone the person knows, on a
day, reached or not, with a short note for colleagues. `signal.first_attempt_on` holds the
day of the first one: it meets the respond-by date (reports, escalation). Every earlier
signal has no attempts, so the column stays empty for it.

Revision ID: 0023_signal_attempts
Revises: 0022_reciprocity_offers
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_signal_attempts'
down_revision = '0022_reciprocity_offers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signal_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('attempted_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['signal.id'], name=op.f('fk_signal_attempt_signal_id_signal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_signal_attempt_worker_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_attempt'))
    )
    with op.batch_alter_table('signal_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_attempt_signal_id'), ['signal_id'], unique=False)
    op.add_column('signal', sa.Column('first_attempt_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('first_attempt_on')
    with op.batch_alter_table('signal_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_attempt_signal_id'))
    op.drop_table('signal_attempt')
