"""The public verification page of a certificate, ``/verify/<code>`` (the address in its QR
code): who received what and when, or that the code is unknown, or revoked and by which
certificate it was replaced. No login; it shows what the register holds, nothing else."""
from __future__ import annotations

from flask import Blueprint, render_template

from sports.extensions import db
from sports.models import Certificate, Festival
from sports.services import certificates as service

bp = Blueprint("verify", __name__)


@bp.route("/verify/<code>")
def verify(code: str):
    cert = service.by_code(code)
    if cert is None:
        return render_template("verify.html", cert=None, code=code[:40]), 404
    festival = db.session.get(Festival, cert.festival_id)
    pattern = service.pattern_of(festival)
    replacement = db.session.get(Certificate, cert.replaced_by_id) if cert.replaced_by_id else None
    db.session.commit()     # the settings row, made on first use
    return render_template("verify.html", cert=cert, code=cert.code, festival=festival,
                           number=pattern.format(n=cert.register_no), replacement=replacement,
                           replacement_number=pattern.format(n=replacement.register_no) if replacement else "",
                           day=service.cert_date(festival))
