"""reporting: export records (rule set, k, method, version, hash) and indicator indexes

Year plans and team evaluations come in their own revision (0016).

Revision ID: 0009_reporting
Revises: 0008_handovers_clusters
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_reporting'
down_revision = '0008_handovers_clusters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('rules', sa.String(length=200), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_report_export_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_report_export_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_export'))
    )
    with op.batch_alter_table('report_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_export_area_id'), ['area_id'], unique=False)
    # The indicator queries: one area tree, one period.
    op.create_index('ix_help_request_area_id_created_at', 'help_request',
                    ['area_id', 'created_at', 'solved_by', 'status'], unique=False)
    op.create_index('ix_signal_area_id_created_at', 'signal', ['area_id', 'created_at'],
                    unique=False)
    op.create_index('ix_volunteer_profile_created_at', 'volunteer_profile', ['created_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_volunteer_profile_created_at', table_name='volunteer_profile')
    op.drop_index('ix_signal_area_id_created_at', table_name='signal')
    op.drop_index('ix_help_request_area_id_created_at', table_name='help_request')
    with op.batch_alter_table('report_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_export_area_id'))
    op.drop_table('report_export')
