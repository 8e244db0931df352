"""The command line of CONTRACT.md: flask user …, flask demo."""
from sqlalchemy import func, select

from sports.models import ApiToken, Athlete, Entry, Event, Festival, Match, Unit, User
from sports.models.accounts import hash_token


def test_user_create_with_password(runner, db):
    result = runner.invoke(args=["user", "create", "btc", "--role", "organiser", "--password", "mat-khau-123"])
    assert result.exit_code == 0, result.output
    assert "Created user 'btc' with role organiser." in result.output
    user = db.session.scalar(select(User).where(User.username == "btc"))
    assert user.role == "organiser" and user.check_password("mat-khau-123")


def test_user_create_generates_a_password_when_none_given(runner, db):
    result = runner.invoke(args=["user", "create", "tt1", "--role", "referee"])
    assert result.exit_code == 0, result.output
    password = result.output.split("(shown once): ")[1].strip()
    assert db.session.scalar(select(User).where(User.username == "tt1")).check_password(password)


def test_user_create_bad_role_is_a_clear_message(runner, db):
    result = runner.invoke(args=["user", "create", "x", "--role", "boss"])
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_user_create_duplicate_and_short_password(runner, db):
    assert runner.invoke(args=["user", "create", "btc", "--role", "organiser"]).exit_code == 0
    result = runner.invoke(args=["user", "create", "btc", "--role", "admin", "--password", "123"])
    assert result.exit_code == 1
    assert "đã tồn tại" in result.output and "ít nhất 8 ký tự" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert db.session.scalar(select(User.role).where(User.username == "btc")) == "organiser"


def test_user_token_is_printed_once_and_stored_hashed(runner, db):
    runner.invoke(args=["user", "create", "tt1", "--role", "referee"])
    result = runner.invoke(args=["user", "token", "tt1"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("ht_") and len(token) > 30
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash


def test_user_token_with_a_device_name_and_an_expiry(runner, db):
    runner.invoke(args=["user", "create", "tt2", "--role", "referee"])
    result = runner.invoke(args=["user", "token", "tt2", "--name", "Máy ghi điểm sân 2", "--days", "3"])
    assert result.exit_code == 0, result.output
    stored = db.session.scalar(select(ApiToken))
    assert stored.name == "Máy ghi điểm sân 2" and stored.expires_at is not None
    refused = runner.invoke(args=["user", "token", "tt2", "--days", "0"])
    assert refused.exit_code == 1 and "Số ngày hiệu lực phải từ 1 đến" in refused.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_user_token_for_unknown_user(runner, db):
    result = runner.invoke(args=["user", "token", "nobody"])
    assert result.exit_code == 1
    assert "Người dùng 'nobody' không tồn tại." in result.output
    assert "Traceback" not in result.output


def _counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Festival, Unit, Athlete, Event, Entry, Match, User))


def test_demo_loads_once_and_is_idempotent(runner, db):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Loaded demo festival 'lamdong-2023'" in first.output
    assert "btc" in first.output and "trongtai" in first.output
    counts = _counts(db)
    festivals, units, athletes, events, entries, matches, users = counts
    assert (festivals, units, events, users) == (1, 11, 12, 3)
    assert athletes > 200 and entries > 60 and matches > 10
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert _counts(db) == counts


def test_demo_reset_reloads(runner, db):
    runner.invoke(args=["demo"])
    festival = db.session.scalar(select(Festival))
    festival.name = "Đã sửa"
    festival.units[0].name = "Đơn vị đã sửa"
    db.session.commit()
    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Festival.id))) == 1
    assert db.session.scalar(select(Festival.name)).startswith("Hội thao Khối thi đua số 1")
    assert "Đơn vị đã sửa" not in {u.name for u in db.session.scalar(select(Festival)).units}
    assert db.session.scalar(select(func.count(Unit.id))) == 11


def test_demo_if_empty_leaves_other_festivals_alone(runner, db):
    db.session.add(Festival(slug="other", name="Hội thao khác"))
    db.session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(Festival.id))) == 1


def test_demo_content_follows_the_seed_documents(runner, db):
    runner.invoke(args=["demo"])
    festival = db.session.scalar(select(Festival))
    names = {u.name for u in festival.units}
    assert {"Bệnh viện Đa khoa tỉnh Lâm Đồng", "Bệnh viện II Lâm Đồng",
            "Bệnh viện Y học cổ truyền Phạm Ngọc Thạch", "Bệnh viện Y học cổ truyền Bảo Lộc"} <= names
    assert sum(n.startswith("Bệnh viện") for n in names) == 6
    assert sum(n.startswith("Trung tâm") for n in names) == 3
    assert sum(n.startswith("Chi cục") for n in names) == 2
    sports = sorted({(e.sport, e.discipline) for e in festival.events})
    assert len(sports) == 12
    completed = db.session.scalar(select(func.count(Match.id)).where(Match.status == "completed"))
    assert 0 < completed < db.session.scalar(select(func.count(Match.id)))


def test_festival_import_problems_follow_a_bilingual_summary(runner, db, tmp_path):
    path = tmp_path / "loi.json"
    path.write_text('{"format": "hoithao/1", "festival": {"slug": "x"}, "units": [{"code": "A", "mau": 1}]}',
                    encoding="utf-8")
    result = runner.invoke(args=["festival", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}: chưa nhập gì, 3 lỗi / nothing was imported; 3 problem(s):",
        "festival.name: thiếu trường bắt buộc “name”",
        "units[0].name: thiếu trường bắt buộc “name”",
        "units[0].mau: trường “mau” không có trong định dạng hoithao/1; ở đây chỉ dùng: code, name, short_name",
    ]
    assert db.session.scalar(select(func.count(Festival.id))) == 0


def test_festival_import_of_an_unreadable_file(runner, db, tmp_path):
    result = runner.invoke(args=["festival", "import", str(tmp_path / "khong-co.json")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Lỗi: không đọc được tệp {tmp_path / 'khong-co.json'} / Error: cannot read ")
