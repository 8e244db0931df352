"""Login, logout, roles and the failed-login rate limit."""
from sports.models import AuditEntry, User
from tests.conftest import csrf_token, login


def test_login_page_is_vietnamese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page


def test_password_is_stored_hashed(make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    user = db.session.query(User).filter_by(username="btc").one()
    assert "mat-khau-123" not in user.password_hash
    assert user.check_password("mat-khau-123") and not user.check_password("sai")


def test_organiser_logs_in_and_reaches_admin(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    response = login(client, "btc", "mat-khau-123")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Ban tổ chức" in page


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    wrong = login(client, "btc", "sai-mat-khau")
    unknown = login(client, "khong-co", "sai-mat-khau")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        html = response.get_data(as_text=True)
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
        assert "không tồn tại" not in html


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    response = client.post("/login", data={"username": "btc", "password": "mat-khau-123"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302  # still logged out


def test_failed_logins_are_rate_limited(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    statuses = [login(client, "btc", f"sai-{i}").status_code for i in range(5)]
    assert statuses == [401] * 5
    blocked = login(client, "btc", "mat-khau-123")
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.get_data(as_text=True)


def test_successful_logins_do_not_count_against_the_limit(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    for _ in range(7):
        assert login(client, "btc", "mat-khau-123").status_code == 302
        page = client.get("/")
        client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_logout_needs_post_with_csrf(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    login(client, "btc", "mat-khau-123")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    page = client.get("/").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_referee_may_not_open_admin(client, make_user):
    make_user("tt1", "referee", "mat-khau-123")
    login(client, "tt1", "mat-khau-123")
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "không có quyền" in response.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_next_parameter_only_redirects_locally(client, make_user):
    make_user("btc", "organiser", "mat-khau-123")
    page = client.get("/login?next=https://evil.example/")
    response = client.post("/login?next=https://evil.example/",
                           data={"username": "btc", "password": "mat-khau-123",
                                 "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.headers["Location"].endswith("/admin/")


def test_admin_role_includes_organiser(client, make_user):
    make_user("root", "admin", "mat-khau-123")
    login(client, "root", "mat-khau-123")
    assert client.get("/admin/").status_code == 200


def test_user_creation_is_audited(make_user, db):
    make_user("btc", "organiser", "mat-khau-123")
    entry = db.session.query(AuditEntry).filter_by(action="user.create").one()
    assert entry.after == {"username": "btc", "role": "organiser"}


def test_a_one_time_password_leads_to_the_change_page_and_then_to_next(client, make_user, db):
    user = make_user("tt1", "referee", "mot-lan-123")
    user.must_change_password = True
    db.session.commit()
    page = client.get("/login?next=/referee/")
    response = client.post("/login?next=/referee/", data={
        "username": "tt1", "password": "mot-lan-123", "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password?next=/referee/"
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    done = client.post("/account/password?next=/referee/", data={
        "csrf_token": token, "current": "mot-lan-123", "new": "cua-rieng-toi", "repeat": "cua-rieng-toi"})
    assert done.status_code == 302 and done.headers["Location"] == "/referee/"
    db.session.expire_all()
    assert not db.session.get(User, user.id).must_change_password
    assert client.get("/").status_code == 200  # no longer sent to the change page
