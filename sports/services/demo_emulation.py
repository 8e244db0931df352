"""The demo festival's score table: the bloc's 2023 table of its 11 units, linked to the festival.

Criteria follow the seed plans (tasks assigned by the Department, the emulation movements,
the bloc's own activities); criterion 3.3 "Tham gia hoạt động văn hóa, thể thao do Khối tổ
chức" is fed by the festival. Scores are deterministic (fixed random seed): most units score
themselves a little higher than the bloc does, so the grid shows differences.
"""
from __future__ import annotations

import random
from decimal import Decimal

from sports.extensions import db
from sports.models import EmulationAdjustment, EmulationCriterion, EmulationScore, EmulationTable, Festival

GROUPS = [
    ("I. Thực hiện nhiệm vụ chuyên môn được giao", [
        ("1.1", "Hoàn thành các chỉ tiêu kế hoạch chuyên môn năm được Sở Y tế giao", 20),
        ("1.2", "Nâng cao chất lượng dịch vụ, hướng tới sự hài lòng của người bệnh", 10),
        ("1.3", "Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của đơn vị", 10),
    ]),
    ("II. Thực hiện các phong trào thi đua", [
        ("2.1", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; Quy tắc ứng xử", 10),
        ("2.2", "Xây dựng cơ sở y tế “Xanh - Sạch - Đẹp - An toàn”, giảm thiểu chất thải nhựa", 10),
        ("2.3", "Phong trào lao động giỏi, lao động sáng tạo; sáng kiến, cải tiến kỹ thuật", 10),
    ]),
    ("III. Công tác khối thi đua", [
        ("3.1", "Thực hiện quy chế dân chủ cơ sở, kỷ luật, kỷ cương hành chính", 10),
        ("3.2", "Gửi báo cáo, hồ sơ thi đua, khen thưởng đầy đủ, đúng hạn", 10),
        ("3.3", "Tham gia hoạt động văn hóa, thể thao do Khối tổ chức", 10),
    ]),
]
LINKED = "3.3"


def build_emulation(festival: Festival) -> EmulationTable:
    rng = random.Random(1123)
    table = EmulationTable(
        festival_id=festival.id, home_festival_id=festival.id, name="", year=2023, period="",
        bonus_cap=Decimal(5), link_criterion=LINKED, participation_points=Decimal(10), min_events=3,
        rank_bonus={"1": 3, "2": 2, "3": 1}, votes=[], titles=["Cờ thi đua", "Bằng khen"], title_tiers=[1, 2],
        published=True, signer_title="TM. KHỐI THI ĐUA SỐ 1\nKHỐI TRƯỞNG", signer_name="Đỗ Hoàng Hải",
    )
    db.session.add(table)
    position = 0
    criteria = []
    for group, items in GROUPS:
        for code, name, top in items:
            criteria.append(EmulationCriterion(table=table, code=code, group=group, name=name,
                                               max_score=Decimal(top), position=position))
            position += 1
    db.session.add_all(criteria)
    db.session.flush()
    for unit in festival.units:
        for c in criteria:
            if c.code == LINKED:
                continue
            top = int(c.max_score)
            own = Decimal(top) - Decimal(rng.choice([0, 0, 0, 1, 1, 2])) / (2 if top == 10 else 1)
            bloc = own - Decimal(rng.choice([0, 0, 0, 0, 1, 1, 2])) / 2
            db.session.add(EmulationScore(criterion=c, unit_id=unit.id, self_score=own, bloc_score=max(bloc, Decimal(0)),
                                          note="" if bloc == own else "Khối trừ theo biên bản kiểm tra"))
    by_code = {u.code: u for u in festival.units}
    db.session.add(EmulationAdjustment(table=table, unit_id=by_code["CDC"].id, kind="bonus", points=Decimal(2),
                                       reason="Đơn vị dẫn đầu phong trào hiến máu tình nguyện năm 2023"))
    db.session.add(EmulationAdjustment(table=table, unit_id=by_code["TTKN"].id, kind="penalty", points=Decimal(1),
                                       reason="Chậm gửi báo cáo thi đua quý III"))
    db.session.flush()
    return table
