"""The public home page."""
from sports.models import Festival


def test_home_without_festival(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Chưa có hội thao nào" in page.get_data(as_text=True)


def test_home_shows_the_demo_festival_and_its_events(client, runner):
    runner.invoke(args=["demo"])
    page = client.get("/").get_data(as_text=True)
    assert "Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023" in page
    for label in ("Bóng chuyền", "Bóng bàn", "Cầu lông", "Bóng chuyền nữ", "Cầu lông – Đôi nam nữ"):
        assert label in page
    assert "11 đơn vị · 12 nội dung thi đấu" in page
    assert '<html lang="vi">' in page


def test_user_text_is_escaped(client, db):
    db.session.add(Festival(slug="x", name="<script>alert(1)</script>"))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_unknown_festival_is_a_vietnamese_404(client):
    response = client.get("/f/khong-co")
    assert response.status_code == 404 and "Không tìm thấy trang." in response.get_data(as_text=True)


def test_api_lists_festivals(client, runner):
    runner.invoke(args=["demo"])
    data = client.get("/api/v1/festivals").get_json()
    assert data == [{"slug": "lamdong-2023", "name": "Hội thao Khối thi đua số 1 ngành Y tế Lâm Đồng năm 2023",
                     "start_date": "2023-11-25", "end_date": "2023-12-01"}]


def test_home_shows_the_medal_table_and_sports_in_event_order(client, runner):
    runner.invoke(args=["demo"])
    page = client.get("/").get_data(as_text=True)
    assert "Bảng tổng sắp huy chương" in page
    assert page.index("Bóng chuyền nữ") < page.index("Bóng bàn – Đơn nam") < page.index("Cầu lông – Đơn nam")
    # Women's volleyball is complete in the demo: its winner has a gold in the table.
    api = client.get("/api/v1/festivals/lamdong-2023/medals").get_json()
    top = api["rows"][0]
    assert top["gold"] >= 1 and f"<td>{top['unit']['code']}" not in page
