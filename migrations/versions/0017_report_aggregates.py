"""reporting: every extension of support kept; snapshots of the indicator tables

Revision ID: 0017_report_aggregates
Revises: 0016_yearplans
Create Date: 2026-12-04 20:40:00

`arrangement_extension` keeps each extension (a later evaluation overwrote the evaluation
row, so the reports could only count extensions not yet ended); the existing extensions are
copied from the evaluations that still say so. `report_snapshot` holds the protected
indicator table of a region and a year, as the `report_snapshots` sweep computed it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_report_aggregates'
down_revision = '0016_yearplans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('arrangement_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('arrangement_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=True),
    sa.Column('extended_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_arrangement_extension_arrangement_id_arrangement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_arrangement_extension_worker_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangement_extension'))
    )
    with op.batch_alter_table('arrangement_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrangement_extension_arrangement_id'), ['arrangement_id'], unique=False)
    op.execute(
        "INSERT INTO arrangement_extension (arrangement_id, worker_id, reason, weeks, extended_at) "
        "SELECT arrangement_id, worker_id, COALESCE(extension_reason, ''), NULL, done_at "
        "FROM evaluation WHERE continuation = 'extension'")

    op.create_table('report_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('root_area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rules', sa.String(length=200), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['root_area_id'], ['area.id'], name=op.f('fk_report_snapshot_root_area_id_area'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshot')),
    sa.UniqueConstraint('root_area_id', 'year', 'rules', name=op.f('uq_report_snapshot_root_area_id_year_rules'))
    )


def downgrade():
    op.drop_table('report_snapshot')
    with op.batch_alter_table('arrangement_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrangement_extension_arrangement_id'))
    op.drop_table('arrangement_extension')
