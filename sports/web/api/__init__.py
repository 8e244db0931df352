"""JSON API (CONTRACT.md): reads are public, writes need a bearer token."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from sports.extensions import csrf, db
from sports.models import Festival

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # token-authenticated, no cookies involved


@bp.route("/festivals")
def festivals():
    rows = db.session.scalars(select(Festival).order_by(Festival.start_date, Festival.id))
    return jsonify([
        {"slug": f.slug, "name": f.name,
         "start_date": f.start_date.isoformat() if f.start_date else None,
         "end_date": f.end_date.isoformat() if f.end_date else None}
        for f in rows
    ])
