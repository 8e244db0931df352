"""emulation table pages: a table's home festival (so a festival can hold a table per period,
one of them linked), proposal tiers, publication, the signature block, and a note per score

Revision ID: 0006_emulation_table
Revises: 0005_live_revision
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_emulation_table'
down_revision = '0005_live_revision'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('emulation_table', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_festival_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('title_tiers', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('published', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('signer_title', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signer_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_emulation_table_home_festival_id'), ['home_festival_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_emulation_table_home_festival_id_festival'), 'festival',
                                    ['home_festival_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('emulation_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.String(length=500), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('emulation_score', schema=None) as batch_op:
        batch_op.drop_column('note')

    with op.batch_alter_table('emulation_table', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_emulation_table_home_festival_id_festival'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_emulation_table_home_festival_id'))
        batch_op.drop_column('signer_name')
        batch_op.drop_column('signer_title')
        batch_op.drop_column('published')
        batch_op.drop_column('title_tiers')
        batch_op.drop_column('home_festival_id')
