"""certificates: what each certificate is for (its slot, place, partner, unit), revocation with
its replacement, the festival's certificate settings (wording, place, register pattern, QR
address, own font, logo and background) and the ceremony desk's "handed out" ticks

Revision ID: 0007_certificates
Revises: 0006_emulation_table
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_certificates'
down_revision = '0006_emulation_table'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slot', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('place', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('partner', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('unit_name', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificate_slot'), ['slot'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificate_replaced_by_id_certificate'), 'certificate',
                                    ['replaced_by_id'], ['id'], ondelete='SET NULL')

    op.create_table('certificate_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('festival_id', sa.Integer(), nullable=False),
    sa.Column('intro', sa.String(length=300), nullable=False),
    sa.Column('closing', sa.String(length=300), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('register_pattern', sa.String(length=60), nullable=False),
    sa.Column('base_url', sa.String(length=300), nullable=False),
    sa.Column('labels', sa.String(length=10), nullable=False),
    sa.Column('font_name', sa.String(length=200), nullable=False),
    sa.Column('font_regular', sa.LargeBinary(), nullable=True),
    sa.Column('font_bold', sa.LargeBinary(), nullable=True),
    sa.Column('font_italic', sa.LargeBinary(), nullable=True),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('background', sa.LargeBinary(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['festival_id'], ['festival.id'], name=op.f('fk_certificate_settings_festival_id_festival'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_settings')),
    sa.UniqueConstraint('festival_id', name=op.f('uq_certificate_settings_festival_id'))
    )

    op.create_table('award_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.Integer(), nullable=False),
    sa.Column('handed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_award_handover_entry_id_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_award_handover_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_handover')),
    sa.UniqueConstraint('event_id', 'entry_id', name=op.f('uq_award_handover_event_id_entry_id'))
    )
    with op.batch_alter_table('award_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_handover_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_handover_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('award_handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_handover_event_id'))
        batch_op.drop_index(batch_op.f('ix_award_handover_entry_id'))
    op.drop_table('award_handover')
    op.drop_table('certificate_settings')

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificate_replaced_by_id_certificate'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificate_slot'))
        batch_op.drop_column('replaced_by_id')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('unit_name')
        batch_op.drop_column('partner')
        batch_op.drop_column('place')
        batch_op.drop_column('slot')
