"""placings revision: a festival counter raised only when some event's final placings change,
and each event's placings fingerprint, so that the medal table (and the pages that show it)
stays cached through results that move no placing

Revision ID: 0009_placings_revision
Revises: 0008_hardening
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_placings_revision'
down_revision = '0008_hardening'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placings_revision', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placings_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('placings_key')

    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.drop_column('placings_revision')
