"""associations, members, activities, occurrences, sign-ups with waiting list, attendance

An activity is a series (one-off or recurring); occurrences are unique per planned start so
generating again never duplicates; one active sign-up per person and activity (a partial
unique index: cancelled sign-ups may repeat).

Revision ID: 0007_associations
Revises: 0006_request_lifecycle
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_associations'
down_revision = '0006_request_lifecycle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('association',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('pc4', sa.String(length=4), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_association_area_id_area'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association'))
    )
    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_association_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_association_pc4'), ['pc4'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('pc4', sa.String(length=4), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('recurrence', sa.String(length=10), nullable=False),
    sa.Column('repeat_until', sa.Date(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('accessible', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('signup_seq', sa.Integer(), nullable=False),
    sa.Column('planned_until', sa.Date(), nullable=True),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_activity_capacity_positive')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_activity_area_id_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_activity_association_id_association'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category'], ['category.code'], name=op.f('fk_activity_category_category'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_activity_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_association_id'), ['association_id'], unique=False)
        batch_op.create_index('ix_activity_status_lat_lon', ['status', 'lat', 'lon'], unique=False)
        batch_op.create_index('ix_activity_active_planned_until', ['planned_until', 'id'], unique=False, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('association_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_association_member_added_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_association_member_association_id_association'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_association_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association_member')),
    sa.UniqueConstraint('association_id', 'user_id', name=op.f('uq_association_member_association_id_user_id'))
    )
    with op.batch_alter_table('association_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_association_member_user_id'), ['user_id'], unique=False)

    op.create_table('occurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('planned_start', sa.DateTime(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('moved_from', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_occurrence_activity_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occurrence')),
    sa.UniqueConstraint('activity_id', 'planned_start', name=op.f('uq_occurrence_activity_id_planned_start'))
    )
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.create_index('ix_occurrence_unreminded_starts_at', ['starts_at', 'id'], unique=False, sqlite_where=sa.text("status = 'scheduled' AND reminded_at IS NULL"), postgresql_where=sa.text("status = 'scheduled' AND reminded_at IS NULL"))

    op.create_table('signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('signed_up_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('promoted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_signup_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_up_by_id'], ['user.id'], name=op.f('fk_signup_signed_up_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signup_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signup'))
    )
    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.create_index('ix_signup_activity_id_status_position', ['activity_id', 'status', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_signup_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_signup_active_person', ['activity_id', 'user_id'], unique=True, sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurrence_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['occurrence_id'], ['occurrence.id'], name=op.f('fk_attendance_occurrence_id_occurrence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_attendance_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attendance_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('occurrence_id', 'user_id', name=op.f('uq_attendance_occurrence_id_user_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_user_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.drop_index('uq_signup_active_person', sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))
        batch_op.drop_index(batch_op.f('ix_signup_user_id'))
        batch_op.drop_index('ix_signup_activity_id_status_position')

    op.drop_table('signup')
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.drop_index('ix_occurrence_unreminded_starts_at', sqlite_where=sa.text("status = 'scheduled' AND reminded_at IS NULL"), postgresql_where=sa.text("status = 'scheduled' AND reminded_at IS NULL"))

    op.drop_table('occurrence')
    with op.batch_alter_table('association_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_association_member_user_id'))

    op.drop_table('association_member')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_active_planned_until', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index('ix_activity_status_lat_lon')
        batch_op.drop_index(batch_op.f('ix_activity_association_id'))
        batch_op.drop_index(batch_op.f('ix_activity_area_id'))

    op.drop_table('activity')
    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_association_pc4'))
        batch_op.drop_index(batch_op.f('ix_association_area_id'))

    op.drop_table('association')
