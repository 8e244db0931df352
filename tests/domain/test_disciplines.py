"""Who may make up an entry of each discipline."""
import pytest

from sports.domain.disciplines import DISCIPLINES, event_label


@pytest.mark.parametrize("code, genders, problems", [
    ("men_singles", ["M"], []),
    ("men_singles", ["F"], ["Đơn nam chỉ dành cho nam."]),
    ("men_singles", ["M", "M"], ["Đơn nam cần đúng 1 vận động viên (có 2)."]),
    ("women_doubles", ["F", "F"], []),
    ("women_doubles", ["F", "M"], ["Đôi nữ chỉ dành cho nữ."]),
    ("mixed_doubles", ["F", "M"], []),
    ("mixed_doubles", ["M", "M"], ["Đôi nam nữ gồm một vận động viên nam và một vận động viên nữ."]),
    ("mixed_doubles", ["M"], ["Đôi nam nữ cần đúng 2 vận động viên (có 1)."]),
    ("men_team", ["M"] * 8, []),
    ("women_team", ["F"] * 5 + ["M"], ["Đồng đội nữ chỉ dành cho nữ."]),
])
def test_entry_problems(code, genders, problems):
    assert DISCIPLINES[code].problems(genders) == problems


def test_event_labels():
    assert event_label("volleyball", "men_team") == "Bóng chuyền nam"
    assert event_label("badminton", "mixed_doubles") == "Cầu lông – Đôi nam nữ"
    assert event_label("table_tennis", "unknown") == "Bóng bàn"
