"""Login cards (one-time passwords with a QR code of the login address), the password change
that follows, and API tokens for scorer devices from the organiser pages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sports.models import ApiToken, AuditEntry, Festival, User
from sports.services.accounts import ONE_TIME_ALPHABET, create_user, one_time_password, user_for_token
from tests.conftest import csrf_token, login

CARDS = "/admin/festivals/hoi-thao-a/referees/cards"
TOKENS = "/admin/festivals/hoi-thao-a/tokens"
PASSWORD_RE = re.compile(r'<dd class="mono password">([a-z0-9-]+)</dd>')


@pytest.fixture
def setup(db):
    """Festival A with referees tt1, tt2; festival B with tt3; tt4 limited to no festival."""
    db.session.add_all([Festival(slug="hoi-thao-a", name="Hội thao Khối A năm 2024"),
                        Festival(slug="hoi-thao-b", name="Hội thao Khối B")])
    users = {}
    for name, full, festivals in [("tt1", "Nguyễn Văn Bình", ["hoi-thao-a"]), ("tt2", "Trần Thị Lan", ["hoi-thao-a"]),
                                  ("tt3", "Lê Văn Cường", ["hoi-thao-b"]), ("tt4", "Phạm Thu", [])]:
        user, _ = create_user(name, "referee", "mat-khau-cu-1", full_name=full)
        user.scopes = {"festivals": festivals} if festivals else {}
        users[name] = user
    db.session.commit()
    return {k: u.id for k, u in users.items()}


@pytest.fixture
def organiser(client, make_user, setup):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    return client


def _token(client, url):
    return csrf_token(client.get(url).get_data(as_text=True))


def _print_cards(client, ids):
    return client.post(CARDS, data={"csrf_token": _token(client, CARDS), "users": [str(i) for i in ids]})


# --------------------------------------------------------------------------- login cards

def test_one_time_passwords_are_readable():
    seen = {one_time_password() for _ in range(200)}
    assert len(seen) == 200
    for pw in seen:
        assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", pw)
        assert not set(pw.replace("-", "")) - set(ONE_TIME_ALPHABET)
    assert not set("01ilo") & set(ONE_TIME_ALPHABET)


def test_cards_page_lists_only_this_festivals_referees(organiser):
    html = organiser.get(CARDS).get_data(as_text=True)
    assert "Nguyễn Văn Bình" in html and "Trần Thị Lan" in html
    assert "Lê Văn Cường" not in html and "Phạm Thu" not in html
    assert re.search(r'href="/admin/festivals/hoi-thao-a/referees/cards" aria-current="page">'
                     r'Thẻ đăng nhập (&|&amp;) mã API</a>', html)  # the sub-nav link


def test_printing_cards_resets_passwords_and_shows_them_once(organiser, setup, db):
    response = _print_cards(organiser, [setup["tt1"], setup["tt2"]])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    passwords = PASSWORD_RE.findall(html)
    assert len(passwords) == 2 and passwords[0] != passwords[1]
    assert html.count('class="login-card"') == 2
    assert html.count("Hội thao Khối A năm 2024") >= 2
    assert "Nguyễn Văn Bình" in html and ">tt1<" in html and ">tt2<" in html
    assert "http://localhost/login" in html  # the login address, external
    assert html.count("<svg") == 2 and "<path" in html  # the QR code, inline
    db.session.expire_all()
    tt1, tt2 = db.session.get(User, setup["tt1"]), db.session.get(User, setup["tt2"])
    assert tt1.must_change_password and tt2.must_change_password
    assert tt1.check_password(passwords[0]) and not tt1.check_password("mat-khau-cu-1")
    assert passwords[0] not in tt1.password_hash
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_reset")))
    assert sorted(e.object_id for e in entries) == sorted([tt1.id, tt2.id])
    for e in entries:
        assert all(p not in repr((e.before, e.after, e.reason)) for p in passwords)
        assert e.actor == "btc"
    # the list page shows no password again
    again = organiser.get(CARDS).get_data(as_text=True)
    assert not PASSWORD_RE.search(again) and passwords[0] not in again


def test_cards_refuse_a_referee_of_another_festival(organiser, setup, db):
    for other in (setup["tt3"], setup["tt4"], 999999):
        response = _print_cards(organiser, [setup["tt1"], other])
        assert response.status_code == 422
        assert "Không phải tài khoản trọng tài của hội thao này" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not any(u.must_change_password for u in db.session.scalars(select(User)))
    assert db.session.get(User, setup["tt1"]).check_password("mat-khau-cu-1")


def test_cards_need_a_selection(organiser):
    response = organiser.post(CARDS, data={"csrf_token": _token(organiser, CARDS)})
    assert response.status_code == 422
    assert "Chọn ít nhất một trọng tài." in response.get_data(as_text=True)


def test_cards_respect_the_organisers_festival_scope(client, setup, db, make_user):
    user = make_user("btc-b", "organiser", "mat-khau-123")
    user.scopes = {"festivals": ["hoi-thao-b"]}
    db.session.commit()
    login(client, "btc-b", "mat-khau-123")
    assert client.get(CARDS).status_code == 403
    token = csrf_token(client.get("/admin/festivals/hoi-thao-b/referees/cards").get_data(as_text=True))
    assert client.post(CARDS, data={"csrf_token": token, "users": [str(setup["tt1"])]}).status_code == 403
    db.session.expire_all()
    assert not db.session.get(User, setup["tt1"]).must_change_password


# ------------------------------------------------------------- one-time password, then own

def test_referee_with_a_card_must_choose_a_password_first(organiser, client, setup, db):
    password = PASSWORD_RE.findall(_print_cards(organiser, [setup["tt1"]]).get_data(as_text=True))[0]
    organiser.post("/logout", data={"csrf_token": _token(organiser, "/")})
    response = login(client, "tt1", password)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/password")
    page = client.get("/account/password")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "mật khẩu một lần" in html.lower() and "Đổi mật khẩu" in html
    for url in ("/", "/admin/", "/login"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and "/account/password" in blocked.headers["Location"], url
    assert client.get("/static/css/app.css").status_code == 200
    token = csrf_token(html)

    def change(current, new, repeat):
        return client.post("/account/password", data={"csrf_token": token, "current": current, "new": new,
                                                      "repeat": repeat})

    too_short = change(password, "ngan", "ngan")
    assert too_short.status_code == 422 and "ít nhất 8 ký tự" in too_short.get_data(as_text=True)
    same = change(password, password, password)
    assert same.status_code == 422 and "phải khác mật khẩu hiện tại" in same.get_data(as_text=True)
    mismatch = change(password, "mat-khau-moi-1", "mat-khau-moi-2")
    assert mismatch.status_code == 422 and "không giống nhau" in mismatch.get_data(as_text=True)
    wrong = change("sai-mat-khau", "mat-khau-moi-1", "mat-khau-moi-1")
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, setup["tt1"]).must_change_password

    done = change(password, "mat-khau-moi-1", "mat-khau-moi-1")
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    db.session.expire_all()
    tt1 = db.session.get(User, setup["tt1"])
    assert not tt1.must_change_password and tt1.check_password("mat-khau-moi-1")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_change")).one()
    assert entry.object_id == tt1.id and "mat-khau-moi-1" not in repr((entry.before, entry.after))


def test_logout_still_works_for_a_referee_holding_a_one_time_password(organiser, client, setup):
    password = PASSWORD_RE.findall(_print_cards(organiser, [setup["tt2"]]).get_data(as_text=True))[0]
    organiser.post("/logout", data={"csrf_token": _token(organiser, "/")})
    login(client, "tt2", password)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 200  # logged out: nothing to redirect


def test_any_user_may_change_their_password(client, make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    assert client.get("/admin/").status_code == 200  # not forced
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    response = client.post("/account/password?next=/admin/", data={
        "csrf_token": token, "current": "mat-khau-123", "new": "mat-khau-456", "repeat": "mat-khau-456"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "btc")).check_password("mat-khau-456")


def test_password_page_needs_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# ---------------------------------------------------------------------------- API tokens

def _issue(client, user_id, name):
    return client.post(TOKENS, data={"csrf_token": _token(client, TOKENS), "user": str(user_id), "name": name})


def test_issue_a_token_shown_once_and_listed_by_prefix(organiser, setup, db):
    response = _issue(organiser, setup["tt1"], "Máy ghi điểm sân 2")
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r'<code class="token" id="new-token">(ht_[A-Za-z0-9_-]+)</code>', html).group(1)
    assert "chỉ hiển thị một lần" in html
    row = db.session.scalars(select(ApiToken)).one()
    assert row.name == "Máy ghi điểm sân 2" and row.user_id == setup["tt1"]
    assert row.token_hash != token and token not in row.token_hash
    assert user_for_token(token).id == setup["tt1"]
    db.session.commit()
    listing = organiser.get(TOKENS).get_data(as_text=True)
    assert token not in listing
    assert f"{row.prefix}…" in listing and "Máy ghi điểm sân 2" in listing and "Nguyễn Văn Bình (tt1)" in listing
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token.create")).one()
    assert entry.after == {"prefix": row.prefix, "name": "Máy ghi điểm sân 2"} and token not in repr(entry.after)


def test_token_needs_a_device_name_and_a_referee_of_the_festival(organiser, setup, db):
    missing = _issue(organiser, setup["tt1"], "")
    assert missing.status_code == 422 and "Nhập tên thiết bị" in missing.get_data(as_text=True)
    for other in (setup["tt3"], setup["tt4"], 424242):
        refused = _issue(organiser, other, "Máy X")
        assert refused.status_code == 422
        assert "Chỉ cấp được mã cho tài khoản trọng tài của hội thao này." in refused.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoke_a_token(organiser, setup, db):
    html = _issue(organiser, setup["tt1"], "Máy sân 1").get_data(as_text=True)
    token = re.search(r'id="new-token">([^<]+)<', html).group(1)
    row_id = db.session.scalars(select(ApiToken.id)).one()
    url = f"{TOKENS}/{row_id}/revoke"
    assert organiser.post(url).status_code == 400  # no CSRF token
    response = organiser.post(url, data={"csrf_token": _token(organiser, TOKENS)}, follow_redirects=True)
    assert response.status_code == 200 and "Đã thu hồi mã API" in response.get_data(as_text=True)
    assert "đã thu hồi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ApiToken, row_id).revoked and user_for_token(token) is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token.revoke")).one()
    assert entry.after["revoked"] is True and entry.actor == "btc"


def test_a_token_of_another_festival_cannot_be_revoked_here(organiser, setup, db):
    from sports.services.accounts import issue_token

    issue_token("tt3", "cli", "Máy khối B")
    db.session.commit()
    row_id = db.session.scalars(select(ApiToken.id)).one()
    assert "Máy khối B" not in organiser.get(TOKENS).get_data(as_text=True)
    response = organiser.post(f"{TOKENS}/{row_id}/revoke", data={"csrf_token": _token(organiser, TOKENS)})
    assert response.status_code == 404
    db.session.expire_all()
    assert not db.session.get(ApiToken, row_id).revoked


def test_cli_token_still_works(runner, setup, db):
    result = runner.invoke(args=["user", "token", "tt1"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("ht_") and user_for_token(token).username == "tt1"


# ------------------------------------------------------------------------------ QR code

def _format_bits(m, first: bool) -> int:
    """The 15 format bits (ISO/IEC 18004 §7.9), bit i as the standard places it; m[row][col]."""
    n = len(m)
    if first:
        cells = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    else:
        cells = [(8, n - 1 - i) for i in range(8)] + [(n - 15 + i, 8) for i in range(8, 15)]
    return sum(1 << i for i, (r, c) in enumerate(cells) if m[r][c])


def _bch_ok(bits: int) -> bool:
    value = bits ^ 0b101010000010010
    data, rem = value >> 10, value >> 10
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0b10100110111)
    return value == (data << 10 | rem)


@pytest.mark.parametrize("url, version", [("http://192.168.1.10:5000/login", 3),
                                          ("http://localhost/login", 2),
                                          ("https://hoithao.example.vn/login?next=/referee/", 4)])
def test_qr_matrix_has_the_structure_of_a_qr_code(url, version):
    from sports.web.qr import qr_matrix

    m = qr_matrix(url)
    n = len(m)
    assert n == 17 + 4 * version and all(len(row) == n for row in m)
    finder = ["#######", "#.....#", "#.###.#", "#.###.#", "#.###.#", "#.....#", "#######"]
    for top, left in [(0, 0), (0, n - 7), (n - 7, 0)]:
        drawn = ["".join("#" if m[top + r][left + c] else "." for c in range(7)) for r in range(7)]
        assert drawn == finder, (top, left)
    # the light separators around the three finders
    assert not any(m[7][c] or m[c][7] or m[7][n - 1 - c] or m[c][n - 8] or m[n - 8][c] or m[n - 1 - c][7]
                   for c in range(8))
    # timing patterns between the finders alternate, dark first
    assert [m[6][c] for c in range(8, n - 8)] == [c % 2 == 0 for c in range(8, n - 8)]
    assert [m[r][6] for r in range(8, n - 8)] == [r % 2 == 0 for r in range(8, n - 8)]
    assert m[n - 8][8]  # the dark module
    # format information: both copies equal, a valid BCH code word, error correction level M
    first, second = _format_bits(m, True), _format_bits(m, False)
    assert first == second and _bch_ok(first)
    assert ((first ^ 0b101010000010010) >> 13) == 0b00  # M


def test_qr_svg_is_deterministic_and_draws_every_dark_module_once():
    from sports.web.qr import QUIET_ZONE, qr_matrix, qr_svg

    url = "http://192.168.1.10:5000/login"
    svg = qr_svg(url)
    assert svg == qr_svg(url) and svg != qr_svg(url + "?x")
    n = len(qr_matrix(url)) + 2 * QUIET_ZONE
    assert f'viewBox="0 0 {n} {n}"' in svg and 'role="img"' in svg
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg)
    drawn = {(int(y) - QUIET_ZONE, int(x) - QUIET_ZONE + i) for x, y, w in runs for i in range(int(w))}
    dark = {(r, c) for r, row in enumerate(qr_matrix(url)) for c, v in enumerate(row) if v}
    assert drawn == dark and sum(int(w) for _, _, w in runs) == len(dark)
    assert qr_svg('http://x/"><script>').count("<script>") == 0  # the label is escaped
