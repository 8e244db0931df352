"""WTForms fields whose refusals are Vietnamese sentences (WTForms ships no Vietnamese)."""
from __future__ import annotations

import datetime

from wtforms import DateField, Field, IntegerField
from wtforms.widgets import TextInput


def small_int(raw: str | None, digits: int = 9) -> int | None:
    """A non-negative integer typed with ASCII digits ("12"), else None.

    ``str.isdigit`` alone accepts "²" or "١", which ``int`` then refuses; every hand-parsed
    number of a form or query string goes through here.
    """
    raw = (raw or "").strip()
    return int(raw) if raw and len(raw) <= digits and raw.isascii() and raw.isdigit() else None


class OptionalInteger(IntegerField):
    """An integer, or None when left empty; a clear message for anything else."""

    def __init__(self, label=None, validators=None, minimum: int | None = None, maximum: int | None = None, **kw):
        kw.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kw)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip()
        if small_int(raw.removeprefix("-")) is None:
            raise ValueError(f"“{raw[:20]}” không phải là một số nguyên.")
        value = int(raw)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"Phải từ {self.minimum} trở lên.")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"Phải từ {self.maximum} trở xuống.")
        self.data = value


FIRST_YEAR, LAST_YEAR = 2000, 2100


class VietDate(DateField):
    """A date from the browser's date input (YYYY-MM-DD) or typed as DD/MM/YYYY."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                # A festival's day: a typo like 2204 or 0024 is refused here, before it
                # reaches a schedule computed in minutes from the festival's start.
                raise ValueError(f"Năm {day.year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.")
            self.data = day
            return
        raise ValueError(f"“{raw[:20]}” không phải là ngày hợp lệ (ngày/tháng/năm, ví dụ 25/11/2024).")


class IntegerList(Field):
    """Comma-separated non-negative integers, e.g. points per place "7, 5, 4, 3, 2, 1"."""

    widget = TextInput()

    def _value(self) -> str:
        return ", ".join(str(v) for v in self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        if not valuelist:
            return
        parts = [p.strip() for p in valuelist[0].replace(";", ",").split(",")]
        parts = [p for p in parts if p]
        if len(parts) > 16:
            raise ValueError("Nhập tối đa 16 số.")
        for p in parts:
            if small_int(p, 6) is None:
                raise ValueError(f"“{p[:20]}” không phải là số nguyên không âm; các số cách nhau bằng dấu phẩy.")
            self.data.append(int(p))


class VietTime(Field):
    """A time of day typed as 07:30 (or 7h30, 7:30)."""

    widget = TextInput()

    def _value(self) -> str:
        return self.data.strftime("%H:%M") if self.data else (self.raw_data[0] if self.raw_data else "")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip().lower().replace("h", ":").rstrip(":")
        try:
            hours, _, minutes = raw.partition(":")
            self.data = datetime.time(int(hours), int(minutes or 0))
        except (ValueError, OverflowError):
            raise ValueError(f"“{valuelist[0][:10]}” không phải là giờ hợp lệ (ví dụ 07:30).") from None
