"""A large registration workbook for the benchmark (and a smaller one for its test).

Built from the same generated festival as the import benchmark (``largefile.build``): its
units and events become an empty festival file, its athletes and entries the rows and marks
of a registration workbook — 5,000 athletes of 100 units, 60 event columns by default.
Names are made unique within a unit (the generator repeats names), and every athlete gets a
birth year, so the workbook is one a unit could really send.
"""
from __future__ import annotations

import io

from openpyxl import Workbook

from benchmarks.largefile import FAMILY, GIVEN, build

HEAD = ["Mã đơn vị", "Họ và tên", "Giới tính", "Năm sinh"]


def festival_and_workbook(**kw) -> tuple[dict, bytes]:
    """(festival file with units and events only, registration workbook bytes)."""
    data = build(**kw)
    per_unit: dict[str, int] = {}
    people = {}
    for athlete in data["athletes"]:
        k = per_unit.get(athlete["unit"], 0)
        per_unit[athlete["unit"]] = k + 1
        middle = "Văn" if athlete["gender"] == "M" else "Thị"
        name = f"{FAMILY[k % len(FAMILY)]} {middle} {GIVEN[(k // len(FAMILY)) % len(GIVEN)]}"
        if k >= len(FAMILY) * len(GIVEN):
            name += " " + GIVEN[(k // (len(FAMILY) * len(GIVEN))) % len(GIVEN)]
        people[athlete["ref"]] = (athlete["unit"], name, "Nam" if athlete["gender"] == "M" else "Nữ", 1965 + k % 35)
    marks: dict[str, dict[str, str]] = {}
    for event in data["events"]:
        singles = event["discipline"].endswith("_singles")
        for entry in event["entries"]:
            for ref in entry["athletes"]:
                marks.setdefault(ref, {})[event["code"]] = "x" if singles else "1"
    codes = [e["code"] for e in data["events"]]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đăng ký")
    ws.append(HEAD + codes)
    for ref, (unit, name, gender, year) in people.items():
        row_marks = marks.get(ref, {})
        ws.append([unit, name, gender, year] + [row_marks.get(code) for code in codes])
    out = io.BytesIO()
    wb.save(out)

    festival = {"format": data["format"], "festival": data["festival"], "units": data["units"], "athletes": [],
                "events": [{k: v for k, v in e.items() if k not in ("entries", "stages")} | {"entries": [], "stages": []}
                           for e in data["events"]]}
    return festival, out.getvalue()


def entry_count(**kw) -> int:
    data = build(**kw)
    return sum(len(e["entries"]) for e in data["events"])
