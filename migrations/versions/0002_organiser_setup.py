"""organiser setup: current festival, entry rules, withdrawals, age bands, combined teams,
staged uploads, and audit rows that outlive their festival

Revision ID: 0002_organiser_setup
Revises: 0001_initial
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_organiser_setup'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('max_events_per_athlete', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_entries_per_unit', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('needs_confirmation', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('birth_year_max', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('combined_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))

    # Audit rows outlive what they describe: no cascade from the festival any more.
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_entry_festival_id_festival', type_='foreignkey')

    op.create_table('staged_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('festival_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staged_upload_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_staged_upload_token'))
    )
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staged_upload_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staged_upload_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staged_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staged_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_staged_upload_created_at'))
    op.drop_table('staged_upload')

    # Rows whose festival is gone cannot take the foreign key back.
    op.execute("DELETE FROM audit_entry WHERE festival_id IS NOT NULL "
               "AND festival_id NOT IN (SELECT id FROM festival)")
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_audit_entry_festival_id_festival', 'festival',
                                    ['festival_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('combined_allowed')
        batch_op.drop_column('birth_year_max')
        batch_op.drop_column('birth_year_min')

    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.drop_column('withdrawn')

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('withdrawn')

    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.drop_column('needs_confirmation')
        batch_op.drop_column('max_entries_per_unit')
        batch_op.drop_column('max_events_per_athlete')
        batch_op.drop_column('is_current')
