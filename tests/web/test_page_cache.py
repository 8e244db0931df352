"""The public pages' cache: ETag and 304, cached bytes for visitors, fresh pages for users."""
import pytest
from flask import abort, flash
from flask_login import current_user
from sqlalchemy import select

from sports import create_app
from sports.extensions import db as _db
from sports.models import Festival
from sports.services import derived
from sports.web.public.cache import PAGES, cached_page, festival_revision
from tests.conftest import login

RENDERS: list[str] = []


@pytest.fixture(scope="module")
def page_app(app):
    """A second app on the same database, with tiny views of its own behind the decorator."""
    other = create_app({k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")})

    @other.route("/t/<slug>/")
    @cached_page
    def page(slug):
        festival = _db.session.scalar(select(Festival).where(Festival.slug == slug)) or abort(404)
        RENDERS.append(slug)
        who = current_user.username if current_user.is_authenticated else "khách"
        return f"<p>{festival.name} r{festival.revision} {who} #{len(RENDERS)}</p>"

    @other.route("/t/<slug>/fails")
    @cached_page
    def fails(slug):
        RENDERS.append(slug)
        abort(404)

    @other.route("/t/<slug>/flash")
    @cached_page
    def flashes(slug):
        RENDERS.append(slug)
        flash("Đã lưu.")
        return "flashed"

    yield other
    with other.app_context():
        _db.engine.dispose()


@pytest.fixture
def visitor(page_app, db):
    PAGES.clear()
    RENDERS.clear()
    festival = Festival(slug="vidu", name="Hội thao ví dụ")
    db.session.add(festival)
    db.session.commit()
    return page_app.test_client()


def _bump(db):
    festival = db.session.scalar(select(Festival).where(Festival.slug == "vidu"))
    festival.bump()
    db.session.commit()


def test_an_unchanged_page_is_served_from_the_cache_and_answers_304(visitor, db):
    first = visitor.get("/t/vidu/")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = visitor.get("/t/vidu/")
    assert again.get_data() == first.get_data() and len(RENDERS) == 1
    assert again.headers["ETag"] == etag and again.mimetype == "text/html"
    not_modified = visitor.get("/t/vidu/", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b"" and len(RENDERS) == 1
    # Another query string is another page.
    assert visitor.get("/t/vidu/?ngay=2").headers["ETag"] != etag and len(RENDERS) == 2


def test_a_write_changes_the_etag_and_the_page(visitor, db):
    first = visitor.get("/t/vidu/")
    _bump(db)
    second = visitor.get("/t/vidu/", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert "r0" in first.get_data(as_text=True) and "r1" in second.get_data(as_text=True)
    assert len(RENDERS) == 2


def test_errors_and_personal_pages_are_not_kept(visitor, db):
    for _ in range(2):
        assert visitor.get("/t/vidu/fails").status_code == 404
    assert len(RENDERS) == 2 and "ETag" not in visitor.get("/t/vidu/fails").headers
    for _ in range(2):
        assert visitor.get("/t/vidu/flash").status_code == 200
    assert len(RENDERS) == 5
    # An unknown festival goes to the view (its 404), and nothing is kept.
    assert visitor.get("/t/khong-co/").status_code == 404
    assert visitor.get("/t/khong-co/").status_code == 404
    assert len(PAGES) == 0


def test_a_logged_in_user_gets_a_fresh_page_with_its_own_etag(visitor, db, make_user):
    anonymous = visitor.get("/t/vidu/")
    make_user("btc")
    assert login(visitor, "btc", "mat-khau-123").status_code == 302
    mine = visitor.get("/t/vidu/", headers={"If-None-Match": anonymous.headers["ETag"]})
    assert mine.status_code == 200 and "btc" in mine.get_data(as_text=True)
    again = visitor.get("/t/vidu/")
    assert RENDERS.count("vidu") == 3 and again.get_data() != mine.get_data()  # rendered each time
    assert visitor.get("/t/vidu/", headers={"If-None-Match": mine.headers["ETag"]}).status_code == 304


def test_festival_revision_is_one_query(visitor, db):
    from tests.web.test_query_counts import count_queries

    derived.clear()
    _bump(db)
    festival_id = db.session.scalar(select(Festival.id).where(Festival.slug == "vidu"))
    db.session.remove()
    with count_queries(db.engine) as statements:
        assert festival_revision("vidu") == (festival_id, 1)
        assert festival_revision("khong-co") is None
    assert len(statements) == 2
