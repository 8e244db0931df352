"""Command line: flask demo, flask user …, flask festival …, flask registrations …, flask certificates …,
flask backup …
(CONTRACT.md)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from sports.extensions import db
from sports.models.accounts import ROLES
from sports.services.errors import RuleError

user_cli = AppGroup("user", help="Manage user accounts and API tokens.")


def _fail(exc: RuleError) -> None:
    db.session.rollback()
    for message in exc.messages:
        click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


@user_cli.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="admin, organiser or referee")
@click.option("--password", default=None, help="At least 8 characters; generated when omitted.")
@click.option("--full-name", default="", help="Name shown in the UI.")
def user_create(name: str, role: str, password: str | None, full_name: str) -> None:
    """Create a user NAME with a role."""
    from sports.services.accounts import create_user

    try:
        user, password_used = create_user(name, role, password, full_name=full_name)
    except RuleError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"Created user '{user.username}' with role {user.role}.")
    if password is None:
        click.echo(f"Generated password (shown once): {password_used}")


@user_cli.command("token")
@click.argument("name")
@click.option("--name", "device", default="", help='What the token is for, e.g. "Máy ghi điểm sân 2".')
@click.option("--days", type=int, default=None, help="Stop working after this many days.")
def user_token(name: str, device: str, days: int | None) -> None:
    """Print a new API token for user NAME (shown once, stored hashed)."""
    from sports.services.accounts import issue_token

    try:
        token = issue_token(name, name=device, expires_in_days=days)
    except RuleError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(token)


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete the demo festival and load it again.")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no festival yet.")
def demo(reset: bool, if_empty: bool) -> None:
    """Load the demo festival (idempotent)."""
    from sqlalchemy import func, select

    from sports.models import Festival
    from sports.services.demo import DEMO_USERS, demo_exists, load_demo

    if if_empty and db.session.scalar(select(func.count(Festival.id))) > 0:
        if demo_exists():
            _print_logins(DEMO_USERS)
        return
    festival, created = load_demo(reset=reset)
    db.session.commit()
    if created:
        click.echo(f"Loaded demo festival '{festival.slug}': {festival.name}")
    else:
        click.echo(f"Demo festival '{festival.slug}' already loaded (use --reset to reload).")
    _print_logins(DEMO_USERS)


def _print_logins(users) -> None:
    click.echo("Demo logins (change them before real use):")
    for username, role, password, _ in users:
        click.echo(f"  {username:<9} {password:<18} ({role})")


festival_cli = AppGroup("festival", help="Import and export festival files (format hoithao/1).")


@festival_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace a festival with the same slug.")
def festival_import(file: str, replace: bool) -> None:
    """Import FILE; all-or-nothing, every problem reported with its location."""
    from sports.importers.festival_file import ImportProblems, import_file

    try:
        with open(file, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        click.echo(f"Lỗi: không đọc được tệp {file} / Error: cannot read {file}: {exc.strerror}.", err=True)
        raise SystemExit(1) from None
    try:
        festival = import_file(raw, replace=replace, actor="cli")
    except ImportProblems as exc:
        db.session.rollback()
        count = len(exc.problems)
        click.echo(f"{file}: chưa nhập gì, {count} lỗi / nothing was imported; {count} problem(s):", err=True)
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(festival.slug)


@festival_cli.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def festival_export(slug: str, output: str | None) -> None:
    """Write festival SLUG as a festival file."""
    from sqlalchemy import select

    from sports.importers.festival_file import dumps, export
    from sports.models import Festival

    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        click.echo(f"Error: no festival '{slug}'.", err=True)
        raise SystemExit(1)
    text = dumps(export(festival))
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


registrations_cli = AppGroup("registrations", help="Registration workbooks (Excel): template and import.")


def _festival_or_exit(slug: str):
    from sqlalchemy import select

    from sports.models import Festival

    festival = db.session.scalar(select(Festival).where(Festival.slug == slug))
    if festival is None:
        click.echo(f"Lỗi: không có hội thao “{slug}”.", err=True)
        raise SystemExit(1)
    return festival


@registrations_cli.command("template")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The .xlsx file to write.")
@click.option("--filled", is_flag=True, help="Fill in today's registrations (to edit and import again).")
def registrations_template(slug: str, output: str, filled: bool) -> None:
    """Write the registration workbook of festival SLUG."""
    from sports.importers.registration import template

    festival = _festival_or_exit(slug)
    data = template(festival, filled=filled)
    try:
        with open(output, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        click.echo(f"Lỗi: không ghi được {output}: {exc.strerror}.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Đã ghi mẫu đăng ký của “{festival.name}” vào {output}.")


@registrations_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
def registrations_import(slug: str, file: str, dry_run: bool) -> None:
    """Import registration workbook FILE into festival SLUG; all-or-nothing."""
    import os

    from sports.importers.registration import RegistrationProblems, import_workbook

    festival = _festival_or_exit(slug)
    try:
        with open(file, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        click.echo(f"Lỗi: không đọc được {file}: {exc.strerror}.", err=True)
        raise SystemExit(1) from None
    try:
        plan = import_workbook(festival, raw, dry_run=dry_run, actor="cli", filename=os.path.basename(file))
    except RegistrationProblems as exc:
        db.session.rollback()
        click.echo(f"{file}: không nhập gì; {len(exc.problems)} lỗi:", err=True)
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"Đơn vị trong tệp: {', '.join(plan.units)}.")
    click.echo(f"Vận động viên: {plan.new_athletes} mới, {plan.updated_athletes} cập nhật, "
               f"{plan.unchanged_athletes} không đổi.")
    if plan.absent_athletes:
        click.echo(f"{plan.absent_athletes} vận động viên đã có của các đơn vị này không có trong tệp: vẫn được giữ.")
    click.echo(f"Đăng ký: {plan.new_entries} mới, {plan.removed_entries} bỏ, {plan.unchanged_entries} giữ nguyên.")
    click.echo("Chạy thử: chưa ghi gì vào cơ sở dữ liệu." if dry_run else "Đã nhập xong.")


certificates_cli = AppGroup("certificates", help="Award certificates: render them as one PDF.")


@certificates_cli.command("render")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The PDF file to write.")
@click.option("--event", "event_code", default=None, help="Only this event's certificates (its code).")
@click.option("--unit", "unit_code", default=None, help="Only this unit's certificates (its code).")
def certificates_render(slug: str, output: str, event_code: str | None, unit_code: str | None) -> None:
    """Bring the register up to date with the results, then write its certificates to OUTPUT."""
    from sqlalchemy import select

    from sports.certificates import write
    from sports.models import Event, Unit
    from sports.services import certificates as service

    festival = _festival_or_exit(slug)
    event = unit = None
    if event_code:
        event = db.session.scalar(select(Event).where(Event.festival_id == festival.id, Event.code == event_code))
        if event is None:
            click.echo(f"Lỗi: hội thao “{slug}” không có nội dung “{event_code}”.", err=True)
            raise SystemExit(1)
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.festival_id == festival.id, Unit.code == unit_code))
        if unit is None:
            click.echo(f"Lỗi: hội thao “{slug}” không có đơn vị “{unit_code}”.", err=True)
            raise SystemExit(1)
    report = service.sync_certificates(festival, actor="cli")
    db.session.commit()
    if report.changed:
        click.echo(f"Sổ cấp đã cập nhật theo kết quả: cấp {len(report.issued)} giấy, thu hồi {len(report.revoked)} giấy.")
    base = service.base_url_of(festival, "http://127.0.0.1:5000")
    if not service.settings_of(festival).base_url:
        click.echo(f"Chú ý: chưa đặt địa chỉ công khai cho mã QR; dùng {base}.", err=True)
    db.session.commit()
    certs = service.register(festival, event=event, unit=unit, issued_only=True)
    design = service.design(festival)
    with click.progressbar(length=len(certs), label="Giấy chứng nhận") as bar:
        count = write(design, service.pages(festival, certs, base), output, progress=bar.update)
    click.echo(f"Đã ghi {count} giấy chứng nhận vào {output}.")


@click.group("backup", cls=AppGroup, invoke_without_command=True,
             help="Back up the whole database to one file (`flask backup -o FILE`), and restore it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the backup to this file.")
@click.pass_context
def backup_cli(ctx: click.Context, output: str | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if not output:
        click.echo(ctx.get_help())
        raise SystemExit(2)
    ctx.invoke(backup_create, file=output)


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_create(file: str) -> None:
    """Write every table (users, tokens, audit trail included) to FILE, read in one transaction."""
    from sports.services.backup import write_backup

    try:
        summary = write_backup(file)
    except OSError as exc:
        click.echo(f"Lỗi: không ghi được {file}: {exc.strerror or exc} / Error: cannot write {file}.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Đã sao lưu {summary.rows} hàng của {len(summary.counts)} bảng (lược đồ {summary.revision}) "
               f"vào {file} / backed up {summary.rows} rows.")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask: replace everything in the database.")
def backup_restore(file: str, yes: bool) -> None:
    """Replace EVERYTHING in the database by backup FILE; all-or-nothing."""
    from sports.services.backup import BackupError, check_revision, read_backup, restore

    try:
        plan = read_backup(file)
        check_revision(plan)
    except BackupError as exc:
        _fail(exc)
    click.echo(f"Bản sao lưu {file}: lúc {plan.created_at}, lược đồ {plan.revision}, "
               f"{plan.rows} hàng của {len(plan.tables)} bảng.")
    if not yes and not click.confirm(
            "Khôi phục sẽ XOÁ TOÀN BỘ dữ liệu hiện có và thay bằng bản sao lưu / this replaces everything. Tiếp tục?",
            default=False):
        db.session.rollback()
        click.echo("Đã huỷ, không thay đổi gì / cancelled, nothing changed.")
        raise SystemExit(1)
    try:
        counts = restore(plan)
    except BackupError as exc:
        click.echo(f"{file}: không khôi phục gì / nothing was restored:", err=True)
        _fail(exc)
    db.session.commit()
    click.echo(f"Đã khôi phục {sum(counts.values())} hàng của {len(counts)} bảng / restored. "
               f"Khởi động lại ứng dụng / restart the app.")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask: replace everything in the database.")
@with_appcontext
@click.pass_context
def restore_cli(ctx: click.Context, file: str, yes: bool) -> None:
    """Replace EVERYTHING in the database by backup FILE (the same as `flask backup restore`)."""
    ctx.invoke(backup_restore, file=file, yes=yes)


def register(app: Flask) -> None:
    app.cli.add_command(backup_cli)
    app.cli.add_command(restore_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(festival_cli)
    app.cli.add_command(registrations_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo)
