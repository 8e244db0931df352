"""Certificates as records: what is due, what is issued, revocation and re-issue, settings, and
the plain data the renderer (:mod:`sports.certificates`) draws.

What is due (RULES.md §5): one certificate per athlete of every medalled entry (both players of
a pair), one per unit for a team medal, one per unit for an overall prize (giải toàn đoàn) once
every event that has been drawn has its final (a gold medal). Medals and prizes come from the
recorded results through :mod:`sports.services.rankings` and :func:`reports.medal_report`;
nothing is computed again here.

The hook (why no trigger in the result desk): :func:`sync_certificates` compares what is due
with what is issued and makes the register agree. It runs when the organiser opens the
certificate pages, before any certificate PDF is rendered (web and command line) and before the
register is exported, so a printed or downloaded certificate is never older than the results
and names it shows. A due certificate is matched to the issued one of the same *slot* (the
athlete in that entry of that event, the team, the unit's overall prize): the same content keeps
its register number and code; a different medal, name, partner or unit name revokes it with the
reason and issues a replacement with the next number; a slot no longer due is revoked. Register
numbers only go up (revoked numbers stay in the register), so a number is never reused.

Services flush, never commit.
"""
from __future__ import annotations

import hashlib
import io
import secrets
import string
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from sports.certificates import CertificatePage, Design, OwnFont
from sports.domain import medals as medal_rules
from sports.domain.disciplines import SPORTS, event_label
from sports.domain.text import date_line, nfc
from sports.extensions import db
from sports.importers.exports import BOX, TITLE, header_row, put, to_bytes
from sports.models import Certificate, CertificateSettings, Entry, EntryAthlete, Event, Festival, Unit
from sports.models._base import utcnow
from sports.pdf import fonts
from sports.services import audit, rankings, reports
from sports.services.errors import Problems

CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01IO")
CODE_LENGTH = 12
DEFAULT_TITLE = "GIẤY CHỨNG NHẬN"
PRIZE_AWARDS = {1: "prize1", 2: "prize2", 3: "prize3"}
PRIZE_LABELS = {"prize1": "GIẢI NHẤT TOÀN ĐOÀN", "prize2": "GIẢI NHÌ TOÀN ĐOÀN", "prize3": "GIẢI BA TOÀN ĐOÀN"}
KIND_LABELS = {"athlete": "Vận động viên", "team": "Đội", "overall": "Toàn đoàn"}
MAX_FONT = 15 * 1024 * 1024
MAX_IMAGE = 3 * 1024 * 1024
MAX_PIXELS = 6000
IMAGE_FORMATS = {"PNG", "JPEG"}
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true")


# ----------------------------------------------------------------------------- settings

def settings_of(festival: Festival) -> CertificateSettings:
    """The festival's certificate settings row (created, with defaults, the first time)."""
    row = db.session.scalar(select(CertificateSettings).where(CertificateSettings.festival_id == festival.id))
    if row is None:
        row = CertificateSettings(festival_id=festival.id, intro="", closing="", place="", register_pattern="",
                                  base_url="", labels="", font_name="", notes="")
        db.session.add(row)
        db.session.flush()
    return row


def default_intro(festival: Festival) -> str:
    return "Ban Tổ chức chứng nhận"


def default_closing(festival: Festival) -> str:
    name = nfc(festival.name)
    return f"tại {name[0].lower() + name[1:]}" if name else ""


def default_pattern(festival: Festival) -> str:
    return "{n:03d}/" + (festival.cert_register_suffix or "GCN-BTC")


def pattern_of(festival: Festival, row: CertificateSettings | None = None) -> str:
    row = row if row is not None else settings_of(festival)
    return row.register_pattern or default_pattern(festival)


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot make register numbers, or None."""
    if "{n" not in pattern:
        return "Mẫu số vào sổ phải có {n} (số thứ tự), ví dụ {n:03d}/GCN-BTC."
    try:
        first, second = pattern.format(n=1), pattern.format(n=2)
    except (KeyError, IndexError, ValueError):
        return "Mẫu số vào sổ chỉ dùng {n} hoặc {n:03d} (số thứ tự có 3 chữ số), ví dụ {n:03d}/GCN-BTC."
    if first == second:
        return "Mẫu số vào sổ phải đổi theo số thứ tự."
    return None


def register_label(festival: Festival, number: int, pattern: str | None = None) -> str:
    return (pattern or pattern_of(festival)).format(n=number)


def cert_date(festival: Festival) -> date | None:
    return festival.cert_date or festival.end_date


def cert_place(festival: Festival, row: CertificateSettings | None = None) -> str:
    row = row if row is not None else settings_of(festival)
    return nfc(row.place or festival.place or "")


def labels_style(festival: Festival, row: CertificateSettings | None = None) -> str:
    row = row if row is not None else settings_of(festival)
    style = row.labels or festival.medal_labels
    return style if style in medal_rules.MEDAL_LABELS else "medals"


@dataclass
class SettingsInput:
    title: str = ""
    issuer: str = ""
    intro: str = ""
    closing: str = ""
    signer_title: str = ""
    signer_name: str = ""
    cert_date: date | None = None
    place: str = ""
    labels: str = ""
    register_pattern: str = ""
    base_url: str = ""
    font_regular: bytes | None = None
    font_bold: bytes | None = None
    font_italic: bytes | None = None
    font_name: str = ""
    logo: bytes | None = None
    background: bytes | None = None
    remove_font: bool = False
    remove_logo: bool = False
    remove_background: bool = False


def font_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be a certificate font, or None: not TrueType, or a Vietnamese letter missing."""
    if len(data) > MAX_FONT:
        return "Tệp phông chữ lớn hơn 15 MB."
    if data[:4] not in TRUETYPE_MAGIC:
        return "Tệp này không phải phông chữ TrueType (.ttf). Hãy chọn tệp .ttf, ví dụ times.ttf."
    with tempfile.NamedTemporaryFile(suffix=".ttf") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            missing = fonts.covers_vietnamese(tmp.name)
        except Exception:  # reportlab refuses the file: broken or not a font it can embed
            return "Không đọc được tệp phông chữ TrueType này (tệp hỏng hoặc không nhúng được vào PDF)."
    if missing:
        shown = " ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        return (f"Phông chữ thiếu {len(missing)} chữ cái tiếng Việt: {shown}. "
                "Giấy chứng nhận sẽ bị mất chữ; hãy chọn phông có đủ chữ tiếng Việt (ví dụ Times New Roman).")
    return None


def image_problem(data: bytes) -> str | None:
    if len(data) > MAX_IMAGE:
        return "Ảnh lớn hơn 3 MB."
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind, size = img.format, img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "Tệp này không phải ảnh PNG hoặc JPEG."
    if kind not in IMAGE_FORMATS:
        return "Chỉ nhận ảnh PNG hoặc JPEG."
    if max(size) > MAX_PIXELS:
        return f"Ảnh quá lớn ({size[0]}×{size[1]} điểm ảnh); tối đa {MAX_PIXELS} điểm ảnh mỗi chiều."
    return None


def save_settings(festival: Festival, data: SettingsInput) -> CertificateSettings:
    """Check and store the certificate settings; FieldErrors names each bad field."""
    problems = Problems()
    pattern = nfc(data.register_pattern)
    if pattern and (why := pattern_problem(pattern)):
        problems.add("register_pattern", why)
    base = data.base_url.strip()
    if base and not base.startswith(("http://", "https://")):
        problems.add("base_url", "Địa chỉ công khai phải bắt đầu bằng http:// hoặc https://.")
    if data.labels and data.labels not in medal_rules.MEDAL_LABELS:
        problems.add("labels", "Tên giải không hợp lệ.")
    for name in ("font_regular", "font_bold", "font_italic"):
        raw = getattr(data, name)
        if raw is not None and (why := font_problem(raw)):
            problems.add(name, why)
    for name in ("logo", "background"):
        raw = getattr(data, name)
        if raw is not None and (why := image_problem(raw)):
            problems.add(name, why)
    row = settings_of(festival)
    if (data.font_bold or data.font_italic) and not (data.font_regular or (row.font_regular and not data.remove_font)):
        problems.add("font_regular", "Hãy tải lên kiểu chữ thường (Regular) trước kiểu đậm, nghiêng.")
    problems.raise_if_any()

    before = settings_snapshot(festival, row)
    festival.cert_title = nfc(data.title) or DEFAULT_TITLE
    festival.cert_issuer = "\n".join(nfc(line) for line in data.issuer.splitlines() if nfc(line))
    festival.cert_signer_title = "\n".join(nfc(line) for line in data.signer_title.splitlines() if nfc(line))
    festival.cert_signer_name = nfc(data.signer_name)
    festival.cert_date = data.cert_date
    row.intro, row.closing, row.place = nfc(data.intro), nfc(data.closing), nfc(data.place)
    row.labels, row.register_pattern, row.base_url = data.labels, pattern, base.rstrip("/")
    if data.remove_font:
        row.font_regular = row.font_bold = row.font_italic = None
        row.font_name = ""
    if data.font_regular is not None:
        row.font_regular, row.font_bold, row.font_italic = data.font_regular, None, None
        row.font_name = nfc(data.font_name)[:200]
    if data.font_bold is not None:
        row.font_bold = data.font_bold
    if data.font_italic is not None:
        row.font_italic = data.font_italic
    if data.remove_logo:
        row.logo = None
    if data.logo is not None:
        row.logo = data.logo
    if data.remove_background:
        row.background = None
    if data.background is not None:
        row.background = data.background
    db.session.flush()
    audit.record("certificates.settings", festival, before=before, after=settings_snapshot(festival, row),
                 festival_id=festival.id)
    festival.bump()
    return row


def settings_snapshot(festival: Festival, row: CertificateSettings) -> dict:
    return {"title": festival.cert_title, "issuer": festival.cert_issuer, "intro": row.intro, "closing": row.closing,
            "signer_title": festival.cert_signer_title, "signer_name": festival.cert_signer_name,
            "date": festival.cert_date.isoformat() if festival.cert_date else None, "place": row.place,
            "labels": row.labels, "register_pattern": row.register_pattern, "base_url": row.base_url,
            "font": row.font_name if row.font_regular else "", "logo": row.logo is not None,
            "background": row.background is not None}


# ------------------------------------------------------------------------ what is due

@dataclass(frozen=True)
class Due:
    slot: str
    kind: str                   # athlete | team | overall
    award: str                  # gold|silver|bronze|prize1|prize2|prize3
    place: int
    recipient: str
    partner: str
    unit_name: str
    achievement: str
    event_id: int | None = None
    entry_id: int | None = None
    athlete_id: int | None = None
    unit_id: int | None = None

    def content(self) -> tuple:
        return (self.award, self.recipient, self.partner, self.unit_name, self.achievement)


def _content(cert: Certificate) -> tuple:
    return (cert.award, cert.recipient, cert.partner, cert.unit_name, cert.achievement)


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def achievement_text(event: Event, medal: str, style: str) -> str:
    """"HUY CHƯƠNG VÀNG – Đơn nam – Môn Cầu lông" (a team event: "… – Môn Bóng chuyền nam")."""
    label = medal_rules.medal_label(medal, style).upper()
    sport = SPORTS.get(event.sport, event.sport)
    name = nfc(event.name) or event_label(event.sport, event.discipline)
    if event.is_team:
        return f"{label} – Môn {name}"
    for prefix in (f"{sport} – ", f"{sport} - ", f"{sport} "):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    return f"{label} – {name} – Môn {sport}"


def team_recipient(event: Event, entry: Entry) -> str:
    """"Đội bóng chuyền nam" (RULES.md §5); the unit is on its own line."""
    return "Đội " + _first_lower(event_label(event.sport, event.discipline))


def _events(festival: Festival) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.festival_id == festival.id).order_by(Event.position, Event.id)
        .options(selectinload(Event.entries).selectinload(Entry.members).selectinload(EntryAthlete.athlete),
                 selectinload(Event.entries).selectinload(Entry.unit))))


def due(festival: Festival) -> list[Due]:
    """Every certificate the results call for, in register order: events in their order, each
    by place then entry, the players of an entry in their order; the overall prizes last."""
    style = labels_style(festival)
    out: list[Due] = []
    every_final = True
    drawn_any = False
    for event in _events(festival):
        placings = rankings.event_placings(event)
        if event.stages or event.placings_recorded:
            drawn_any = True
            if not any(p.place == 1 for p in placings):
                every_final = False
        entries = {e.id: e for e in event.entries}
        for p in sorted(placings, key=lambda p: (p.place, entries[int(p.entry)].position, int(p.entry))):
            medal = medal_rules.medal_for_place(p.place)
            entry = entries.get(int(p.entry))
            if medal is None or entry is None:
                continue
            unit = nfc(entry.unit.name)
            text = achievement_text(event, medal, style)
            if event.is_team:
                out.append(Due(f"t:{event.id}:{entry.id}", "team", medal, p.place, team_recipient(event, entry), "",
                               unit, text, event.id, entry.id, None, entry.unit_id))
                continue
            players = entry.athletes
            for athlete in players:
                partner = " – ".join(nfc(a.name) for a in players if a.id != athlete.id)
                out.append(Due(f"a:{event.id}:{entry.id}:{athlete.id}", "athlete", medal, p.place, nfc(athlete.name),
                               partner, nfc(athlete.unit.name) if athlete.unit else unit, text, event.id, entry.id,
                               athlete.id, athlete.unit_id))
    if drawn_any and every_final:
        units = {u.code: u for u in festival.units}
        lines = [line for line in reports.medal_report(festival).rows if line.prize]
        for line in sorted(lines, key=lambda l: (l.rank, l.unit_code)):
            unit = units.get(line.unit_code)
            prize = {"Nhất": 1, "Nhì": 2, "Ba": 3}[line.prize]
            if unit is not None:
                out.append(Due(f"o:{unit.id}", "overall", PRIZE_AWARDS[prize], prize, nfc(unit.name), "", "",
                               PRIZE_LABELS[PRIZE_AWARDS[prize]], None, None, None, unit.id))
    return out


# ------------------------------------------------------------------------- the register

@dataclass(frozen=True)
class SyncReport:
    issued: tuple[int, ...]         # register numbers of the certificates issued now
    revoked: tuple[int, ...]

    @property
    def changed(self) -> bool:
        return bool(self.issued or self.revoked)


def _current(festival: Festival) -> dict[str, Certificate]:
    rows = db.session.scalars(select(Certificate).where(Certificate.festival_id == festival.id,
                                                        Certificate.status == "issued"))
    return {c.slot: c for c in rows}


def _plan(festival: Festival) -> tuple[list[Due], dict[str, Certificate], list[Due], list[Certificate]]:
    wanted = due(festival)
    current = _current(festival)
    to_issue = [d for d in wanted if d.slot not in current or _content(current[d.slot]) != d.content()]
    wanted_slots = {d.slot for d in wanted}
    to_drop = [c for slot, c in current.items() if slot not in wanted_slots]
    return wanted, current, to_issue, to_drop


def _reason(old: Certificate, new: Due) -> str:
    parts = []
    if old.award != new.award or old.achievement != new.achievement:
        parts.append(f"kết quả thay đổi: {old.achievement} → {new.achievement}")
    if old.recipient != new.recipient or old.partner != new.partner:
        before = old.recipient + (f" (cùng {old.partner})" if old.partner else "")
        after = new.recipient + (f" (cùng {new.partner})" if new.partner else "")
        parts.append(f"sửa tên: {before} → {after}")
    if old.unit_name != new.unit_name:
        parts.append(f"sửa tên đơn vị: {old.unit_name} → {new.unit_name}")
    text = "; ".join(parts) or "nội dung thay đổi"
    return (text[0].upper() + text[1:])[:300]


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def sync_certificates(festival: Festival, actor=None) -> SyncReport:
    """Make the register agree with the results (see the module's docstring)."""
    _, _, to_issue, to_drop = _plan(festival)
    if not to_issue and not to_drop:
        return SyncReport((), ())
    festival.bump()             # locks the festival row: one writer of its register at a time
    _, current, to_issue, to_drop = _plan(festival)     # again, under the lock
    number = db.session.scalar(select(func.coalesce(func.max(Certificate.register_no), 0))
                               .where(Certificate.festival_id == festival.id)) or 0
    now = utcnow()
    issued: list[int] = []
    revoked: list[int] = []
    for d in to_issue:
        number += 1
        cert = Certificate(festival_id=festival.id, register_no=number, code=new_code(), kind=d.kind,
                           event_id=d.event_id, entry_id=d.entry_id, athlete_id=d.athlete_id, unit_id=d.unit_id,
                           award=d.award, recipient=d.recipient, achievement=d.achievement, status="issued",
                           issued_at=now, revoked_reason="", slot=d.slot, place=d.place, partner=d.partner,
                           unit_name=d.unit_name)
        db.session.add(cert)
        db.session.flush()
        issued.append(number)
        old = current.get(d.slot)
        if old is not None:
            old.status, old.revoked_at, old.replaced_by_id = "revoked", now, cert.id
            old.revoked_reason = _reason(old, d)
            revoked.append(old.register_no)
    for old in to_drop:
        old.status, old.revoked_at = "revoked", now
        old.revoked_reason = f"Không còn trong kết quả: {old.achievement}"[:300]
        revoked.append(old.register_no)
    db.session.flush()
    audit.record("certificates.sync", festival, after={"issued": issued, "revoked": sorted(revoked)},
                 reason="Cấp và thu hồi giấy chứng nhận theo kết quả, tên hiện tại", festival_id=festival.id,
                 actor=actor)
    return SyncReport(tuple(issued), tuple(sorted(revoked)))


def register(festival: Festival, *, event: Event | None = None, unit: Unit | None = None,
             issued_only: bool = False) -> list[Certificate]:
    """The register in number order, optionally one event's or one unit's certificates."""
    stmt = select(Certificate).where(Certificate.festival_id == festival.id)
    if event is not None:
        stmt = stmt.where(Certificate.event_id == event.id)
    if unit is not None:
        stmt = stmt.where(Certificate.unit_id == unit.id)
    if issued_only:
        stmt = stmt.where(Certificate.status == "issued")
    return list(db.session.scalars(stmt.order_by(Certificate.register_no)))


def by_number(festival: Festival, number: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.festival_id == festival.id,
                                                       Certificate.register_no == number))


def by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 40:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


# ------------------------------------------------------------------------ rendering data

def _font_files(row: CertificateSettings) -> OwnFont | None:
    if not row.font_regular:
        return None
    folder = Path(tempfile.gettempdir()) / "hoithao-cert-fonts"
    folder.mkdir(exist_ok=True)

    def saved(data: bytes | None) -> Path | None:
        if not data:
            return None
        path = folder / f"{hashlib.sha256(data).hexdigest()}.ttf"
        if not path.exists():
            path.write_bytes(data)
        return path

    return OwnFont(saved(row.font_regular), saved(row.font_bold), saved(row.font_italic))


def design(festival: Festival) -> Design:
    row = db.session.scalar(select(CertificateSettings).where(CertificateSettings.festival_id == festival.id)
                            .options(undefer("*"))) or settings_of(festival)
    issuer = tuple(line for line in (festival.cert_issuer or "").splitlines() if line.strip())
    if not issuer:
        issuer = tuple(x for x in (nfc(festival.organiser or "").upper(), "BAN TỔ CHỨC") if x)
    day = cert_date(festival)
    signer = tuple(line for line in (festival.cert_signer_title or "").splitlines() if line.strip())
    return Design(
        issuer=issuer, title=festival.cert_title or DEFAULT_TITLE,
        intro=row.intro or default_intro(festival), closing=row.closing or default_closing(festival),
        date_line=date_line(cert_place(festival, row), day) if day else "",
        signer_title=signer, signer_name=festival.cert_signer_name or "",
        logo=row.logo, background=row.background, font=_font_files(row),
        document_title=f"Giấy chứng nhận – {nfc(festival.name)}")


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{code}"


def page_of(festival: Festival, cert: Certificate, base_url: str, pattern: str) -> CertificatePage:
    return CertificatePage(recipient=cert.recipient, achievement=cert.achievement,
                           register_no=pattern.format(n=cert.register_no), verify_url=verify_url(base_url, cert.code),
                           unit=cert.unit_name, partner=cert.partner, revoked=cert.status != "issued")


def base_url_of(festival: Festival, fallback: str) -> str:
    row = settings_of(festival)
    return row.base_url or fallback.rstrip("/")


def pages(festival: Festival, certificates: list[Certificate], base_url: str):
    """The renderer's pages, made one at a time as it asks for them."""
    pattern = pattern_of(festival)
    for cert in certificates:
        yield page_of(festival, cert, base_url, pattern)


# ----------------------------------------------------------------------------- Excel

STATUS_WORDS = {"issued": "Còn hiệu lực", "revoked": "Đã thu hồi"}


def register_workbook(festival: Festival, base_url: str) -> bytes:
    """The certificate register (sổ cấp giấy chứng nhận) as Excel: every number ever issued."""
    certs = register(festival)
    pattern = pattern_of(festival)
    numbers = {c.id: pattern.format(n=c.register_no) for c in certs}
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ cấp GCN"
    put(ws, 1, 1, "SỔ CẤP GIẤY CHỨNG NHẬN", font=TITLE)
    put(ws, 2, 1, nfc(festival.name))
    headers = ["Số vào sổ", "Người/đơn vị nhận", "Cùng", "Đơn vị", "Thành tích", "Loại", "Ngày cấp", "Tình trạng",
               "Lý do thu hồi", "Thay bằng số", "Mã kiểm tra", "Địa chỉ kiểm tra"]
    header_row(ws, 4, headers, [14, 30, 24, 36, 48, 13, 12, 14, 48, 14, 16, 50])
    for n, c in enumerate(certs, start=5):
        values = [numbers[c.id], c.recipient, c.partner, c.unit_name, c.achievement, KIND_LABELS.get(c.kind, c.kind),
                  c.issued_at.strftime("%d/%m/%Y") if c.issued_at else "", STATUS_WORDS.get(c.status, c.status),
                  c.revoked_reason, numbers.get(c.replaced_by_id, ""), c.code, verify_url(base_url, c.code)]
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, border=BOX)
    ws.freeze_panes = "A5"
    return to_bytes(wb)

