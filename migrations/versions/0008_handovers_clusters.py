"""handover of general activities with still-running checks

Collective solutions need no table of their own: the weekly cluster digest remembers what it
mailed in sweep_record.

Revision ID: 0008_handovers_clusters
Revises: 0007_associations
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_handovers_clusters'
down_revision = '0007_associations'
branch_labels = None
depends_on = None

PENDING = "handed_over_at IS NULL AND status != 'stopped'"
UNASKED = "asked_at IS NULL"
UNANSWERED = "asked_at IS NOT NULL AND answered_at IS NULL AND alerted_at IS NULL"


def upgrade():
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('transition_ends_on', sa.Date(), nullable=False),
    sa.Column('has_volunteers', sa.Boolean(), nullable=False),
    sa.Column('has_coordinator', sa.Boolean(), nullable=False),
    sa.Column('has_money', sa.Boolean(), nullable=False),
    sa.Column('has_venue', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('handed_over_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_handover_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_handover_association_id_association'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_handover_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover'))
    )
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_association_id'), ['association_id'], unique=False)
    op.create_index('ix_handover_pending_ends_on', 'handover', ['transition_ends_on', 'id'],
                    unique=False, sqlite_where=sa.text(PENDING),
                    postgresql_where=sa.text(PENDING))

    op.create_table('handover_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('alerted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_handover_check_answered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handover_id'], ['handover.id'], name=op.f('fk_handover_check_handover_id_handover'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_check')),
    sa.UniqueConstraint('handover_id', 'due_on', name=op.f('uq_handover_check_handover_id_due_on'))
    )
    op.create_index('ix_handover_check_unasked_due_on', 'handover_check', ['due_on', 'id'],
                    unique=False, sqlite_where=sa.text(UNASKED),
                    postgresql_where=sa.text(UNASKED))
    op.create_index('ix_handover_check_unanswered_asked_at', 'handover_check', ['asked_at', 'id'],
                    unique=False, sqlite_where=sa.text(UNANSWERED),
                    postgresql_where=sa.text(UNANSWERED))


def downgrade():
    op.drop_index('ix_handover_check_unanswered_asked_at', table_name='handover_check')
    op.drop_index('ix_handover_check_unasked_due_on', table_name='handover_check')
    op.drop_table('handover_check')
    op.drop_index('ix_handover_pending_ends_on', table_name='handover')
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_association_id'))
        batch_op.drop_index(batch_op.f('ix_handover_activity_id'))
    op.drop_table('handover')
