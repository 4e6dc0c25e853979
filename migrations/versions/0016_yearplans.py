"""year plans (goals, budget lines) per area and year, neighbourhood-team evaluations

Revision ID: 0016_yearplans
Revises: 0015_vacancies_feeds
Create Date: 2026-12-04 17:18:00.667997

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_yearplans'
down_revision = '0015_vacancies_feeds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('went_well', sa.Text(), nullable=False),
    sa.Column('went_less', sa.Text(), nullable=False),
    sa.Column('agreements', sa.Text(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_team_evaluation_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_team_evaluation_author_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_evaluation'))
    )
    with op.batch_alter_table('team_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_evaluation_area_id'), ['area_id'], unique=False)

    op.create_table('year_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_year_plan_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_year_plan_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_plan')),
    sa.UniqueConstraint('area_id', 'year', name=op.f('uq_year_plan_area_id_year'))
    )
    with op.batch_alter_table('year_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_year_plan_area_id'), ['area_id'], unique=False)

    op.create_table('year_plan_budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=120), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('spent_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_year_plan_budget_line_amount_not_negative')),
    sa.CheckConstraint('spent_cents >= 0', name=op.f('ck_year_plan_budget_line_spent_not_negative')),
    sa.ForeignKeyConstraint(['plan_id'], ['year_plan.id'], name=op.f('fk_year_plan_budget_line_plan_id_year_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_plan_budget_line')),
    sa.UniqueConstraint('plan_id', 'line', name=op.f('uq_year_plan_budget_line_plan_id_line'))
    )
    op.create_table('year_plan_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('target', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['year_plan.id'], name=op.f('fk_year_plan_goal_plan_id_year_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_plan_goal')),
    sa.UniqueConstraint('plan_id', 'indicator', name=op.f('uq_year_plan_goal_plan_id_indicator'))
    )


def downgrade():
    op.drop_table('year_plan_goal')
    op.drop_table('year_plan_budget_line')
    with op.batch_alter_table('year_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_year_plan_area_id'))

    op.drop_table('year_plan')
    with op.batch_alter_table('team_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_evaluation_area_id'))

    op.drop_table('team_evaluation')
