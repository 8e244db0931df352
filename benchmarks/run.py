"""Measure the rules engine and the festival import; write docs/benchmarks.md.

Absolute times on a shared machine are noise, so every figure is set against a baseline
measured in the same run: a naive version of the same job (what the rule costs over
the simplest thing) and a fixed pure-Python calibration loop (how fast this machine is).
Run with `make bench`.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.largefile import build, match_count  # noqa: E402
from benchmarks.registration import festival_and_workbook  # noqa: E402
from benchmarks.schedule import SETTINGS as SCHEDULE_SETTINGS  # noqa: E402
from benchmarks.schedule import run as schedule_rows  # noqa: E402
from sports.domain import draws, medals, scoring, standings  # noqa: E402
from sports.domain.types import DrawEntry, MatchResult, Sport  # noqa: E402


def timed(fn, repeat: int = 7, number: int = 1) -> float:
    """Median seconds per call over `repeat` rounds of `number` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return median(samples)


def calibration() -> None:
    total = 0
    for i in range(200_000):
        total += i * i % 7
    return total


def six_entry_group():
    entries = [f"e{i}" for i in range(6)]
    results = []
    for i, (h, a) in enumerate((h, a) for r in draws.round_robin(entries) for h, a in r):
        # A cycle-heavy group so the tie-breaks have work to do.
        home_wins = (i * 7) % 3 != 0
        sets = ((11, 8), (9, 11), (11, 7), (11, 9)) if home_wins else ((8, 11), (11, 9), (7, 11), (9, 11))
        results.append(MatchResult(h, a, sets, winner=h if home_wins else a))
    return entries, results


def naive_rank(entries, results):
    wins = Counter(r.winner for r in results)
    return sorted(entries, key=lambda e: -wins[e])


def medal_events(data):
    events = []
    for ev in data["events"]:
        unit = {e["ref"]: e["unit"] for e in ev["entries"]}
        ko = ev["stages"][1]
        alive = {}
        for m in ko["matches"]:
            winner = m["home"] if sum(a > b for a, b in m["sets"]) * 2 > len(m["sets"]) else m["away"]
            alive[frozenset((m["home"], m["away"]))] = winner
        places = draws.knockout_places(draws.build_bracket(ko["draw"], alive), "shared")
        events.append(medals.EventResult(ev["code"], tuple(medals.Placing(p, e) for p, e in places), unit))
    return events


def naive_tally(units, events):
    count = Counter()
    for ev in events:
        for p in ev.placings:
            if p.place <= 3:
                count[(ev.entry_units[p.entry], p.place)] += 1
    return sorted(units, key=lambda u: (-count[(u, 1)], -count[(u, 2)], -count[(u, 3)]))


IMPORT_SCRIPT = r"""
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
from sports import create_app
from flask_migrate import upgrade
app = create_app({{"SECRET_KEY": "bench-secret-key-of-the-benchmarks-0123", "SQLALCHEMY_DATABASE_URI": {url!r}}})
raw = open({path!r}, "rb").read()
with app.app_context():
    upgrade()
    from sports.extensions import db
    from sports.importers.festival_file import import_file, parse
    from sports.models import Festival
    from sports.services.rankings import medal_table
    t0 = time.perf_counter(); parse(raw); parse_s = time.perf_counter() - t0
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); import_file(raw, replace=True); db.session.commit()
    import_s = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    db.session.expire_all()
    festival = db.session.query(Festival).filter_by(slug="large").one()
    t0 = time.perf_counter(); stored = medal_table(festival); table_s = time.perf_counter() - t0
    # The same table with nothing stored nor cached: every event loaded and derived.
    from sqlalchemy import update
    from sports.models import Event
    from sports.services import derived
    db.session.execute(update(Event).values(final_placings=None)); db.session.commit()
    derived.clear(); db.session.expire_all()
    festival = db.session.query(Festival).filter_by(slug="large").one()
    t0 = time.perf_counter(); again = medal_table(festival); derive_s = time.perf_counter() - t0
    assert again == stored, "the stored placings and the derived ones give different tables"
    print(json.dumps({{"parse_s": parse_s, "import_s": import_s, "table_s": table_s, "derive_s": derive_s,
                      "rss_before_mb": before / 1024, "rss_peak_mb": peak / 1024}}))
"""


def measure_import(data) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        script = IMPORT_SCRIPT.format(root=str(ROOT), url=url, path=str(path))
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["bytes"] = path.stat().st_size
        return result


REGISTRATION_SCRIPT = r"""
import io, json, resource, statistics, sys, time, tracemalloc
sys.path.insert(0, {root!r})
from openpyxl import load_workbook
from sports import create_app
from flask_migrate import upgrade
app = create_app({{"SECRET_KEY": "bench-secret-key-of-the-benchmarks-0123", "SQLALCHEMY_DATABASE_URI": {url!r}}})
xlsx = open({xlsx!r}, "rb").read()
festival_file = open({festival!r}, "rb").read()


def parse_only():
    # The baseline: openpyxl reading every cell of the same sheet, nothing else.
    wb = load_workbook(io.BytesIO(xlsx), read_only=True, data_only=False)
    n = 0
    for row in wb["Đăng ký"].iter_rows():
        for cell in row:
            if cell.value is not None:
                n += 1
    wb.close()
    return n


def median_of(fn, repeat=3):
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def peak(fn):
    tracemalloc.start(); fn(); top = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
    return top / 1048576


with app.app_context():
    upgrade()
    from sports.extensions import db
    from sports.importers.festival_file import import_file
    from sports.importers.registration import import_workbook, read
    festival = import_file(festival_file); db.session.commit()
    parse_s = median_of(parse_only)
    read_s = median_of(lambda: read(festival, xlsx))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); plan = import_workbook(festival, xlsx); db.session.commit()
    import_s = time.perf_counter() - t0
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); again = import_workbook(festival, xlsx); db.session.commit()
    reimport_s = time.perf_counter() - t0
    assert plan.new_athletes == again.unchanged_athletes and again.new_entries == 0
    print(json.dumps({{"parse_s": parse_s, "read_s": read_s, "import_s": import_s, "reimport_s": reimport_s,
                      "athletes": plan.new_athletes, "entries": plan.new_entries,
                      "parse_peak_mb": peak(parse_only), "read_peak_mb": peak(lambda: read(festival, xlsx)),
                      "rss_before_mb": rss_before / 1024, "rss_peak_mb": rss_peak / 1024}}))
"""


def measure_registration() -> dict:
    festival, xlsx = festival_and_workbook()
    with tempfile.TemporaryDirectory() as tmp:
        xlsx_path, festival_path = Path(tmp) / "dangky.xlsx", Path(tmp) / "festival.json"
        xlsx_path.write_bytes(xlsx)
        festival_path.write_text(json.dumps(festival, ensure_ascii=False), encoding="utf-8")
        url = f"sqlite:///{Path(tmp) / 'registration.sqlite3'}"
        script = REGISTRATION_SCRIPT.format(root=str(ROOT), url=url, xlsx=str(xlsx_path), festival=str(festival_path))
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["bytes"] = len(xlsx)
        result["units"], result["events"] = len(festival["units"]), len(festival["events"])
        return result


def measure_pages() -> dict:
    """benchmarks.pages in its own process (its own app, database file and caches)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run([sys.executable, "-m", "benchmarks.pages"], capture_output=True, text=True, env=env,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ratio_cell(seconds: float | None, bare: float, goal: float) -> str:
    if seconds is None:
        return "—"
    ratio = seconds / bare
    return f"{_fmt(seconds)} = {ratio:,.1f}× {'✓' if ratio <= goal else '✗'}"


def pages_section(pages: dict) -> list[str]:
    from benchmarks.pages import GOAL_AFTER_RESULT, GOAL_UNCHANGED

    bare = pages["bare_s"]

    def table(rows):
        out = ["| page or read API | nothing changed | first view after a result |", "|---|---:|---:|"]
        for r in rows:
            if not r["built"]:
                out.append(f"| `{r['page']}` | not built | not built |")
            elif r.get("status") != 200:
                out.append(f"| `{r['page']}` | HTTP {r['status']} (not measured) | — |")
            else:
                out.append(f"| `{r['page']}` | {_ratio_cell(r['unchanged_s'], bare, GOAL_UNCHANGED)} "
                           f"| {_ratio_cell(r['after_result_s'], bare, GOAL_AFTER_RESULT)} |")
        return out

    def verdict(rows):
        measured = [r for r in rows if r.get("status") == 200]
        ok_u = [r for r in measured if r["unchanged_s"] / bare <= GOAL_UNCHANGED]
        ok_a = [r for r in measured if r["after_result_s"] / bare <= GOAL_AFTER_RESULT]
        missing = [r["page"] for r in rows if not r["built"]]
        met = len(ok_u) == len(ok_a) == len(measured) and not missing
        return (f"Goals {'met' if met else 'not met'}: {len(ok_u)} of {len(measured)} measured pages within "
                f"{GOAL_UNCHANGED:g}× when nothing changed, {len(ok_a)} of {len(measured)} within "
                f"{GOAL_AFTER_RESULT:g}× on the first view after a result"
                + (f"; not built yet: {', '.join(f'`{m}`' for m in missing)}." if missing else "."))

    return [
        "## Public pages and read API at national scale",
        "",
        f"The benchmark festival ({pages['units']} units, {pages['athletes']:,} athletes, {pages['events']} events, "
        f"{pages['matches']:,} matches; the semi-finals and finals still to play) imported into a SQLite file by "
        "the real importer, requested through the Flask test client. Each figure is the median time of a request "
        f"and its ratio to a bare Flask route registered in the same app ({_fmt(bare)} here). The goals of issue 11: "
        f"every public page and read API at most {GOAL_UNCHANGED:g}× the bare route when nothing changed (warm "
        f"caches), and at most {GOAL_AFTER_RESULT:g}× on the first view after one result recorded through "
        "`results.record_result` (that event's derived results cold; for an event's page and API, the event "
        "shown is the one that changed). ✓ meets the goal, ✗ does not.",
        "",
        "As the app serves them today:",
        "",
        *table(pages["rows"]),
        "",
        verdict(pages["rows"]),
        "",
        "The same pages with the whole-page cache (`sports/web/public/cache.py`, `@cached_page`) applied by the "
        "benchmark to every view that takes a festival slug and is not decorated yet — what decorating them "
        "gives:",
        "",
        *table(pages["with_cache"]),
        "",
        verdict(pages["with_cache"]),
        "",
    ]


def main() -> None:
    rows = []
    calib = timed(calibration)

    entries, results = six_entry_group()
    base = timed(lambda: naive_rank(entries, results), number=200)
    for preset in ("fivb", "ittf", "bwf"):
        t = timed(lambda: standings.rank_group(entries, results, preset), number=50)
        rows.append((f"Standings of a 6-entry group, 15 matches ({preset})", t, "naive sort by wins", base))

    fmt = scoring.DEFAULT_FORMATS[Sport.BADMINTON]
    base_v = timed(lambda: [tuple(int(x) for x in s) for s in ((21, 15), (18, 21), (30, 29))], number=2000)
    t = timed(lambda: scoring.record_result(Sport.BADMINTON, fmt, "a", "b", ((21, 15), (18, 21), (30, 29))),
              number=2000)
    rows.append(("Validate one badminton result (3 games)", t, "parse the same scores to ints", base_v))

    data = build()
    events = medal_events(data)
    units = {u["code"]: u["name"] for u in data["units"]}
    base_m = timed(lambda: naive_tally(units, events), number=20)
    t = timed(lambda: medals.medal_table(units, events), number=20)
    rows.append(("Medal table of 60 events, 100 units", t, "naive tally and sort", base_m))

    draw_entries = [DrawEntry(f"e{i}", f"U{i % 12}", i + 1 if i < 8 else None) for i in range(48)]
    base_d = timed(lambda: sorted(draw_entries, key=lambda e: e.seed or 99), number=50)
    t = timed(lambda: draws.knockout_draw(draw_entries, separation="full", rng_seed=7), repeat=3)
    rows.append(("Knockout draw of 48 entries, 8 seeds, 12 units, full separation", t, "sort by seed", base_d))

    imp = measure_import(data)
    rows.append((f"Import {match_count(data):,} matches / 5,000 athletes / 60 events (SQLite)",
                 imp["import_s"], "parse and validate the structure only", imp["parse_s"]))
    rows.append(("Medal table of that festival, derived from the recorded results (load + derive, nothing "
                 "stored or cached)", imp["derive_s"], "calibration loop", calib))
    rows.append(("The same medal table in a new worker, from each event's stored placings", imp["table_s"],
                 "calibration loop", calib))

    reg = measure_registration()
    size = f"{reg['athletes']:,} athletes / {reg['units']} units / {reg['events']} events, {reg['entries']:,} entries"
    rows.append((f"Registration workbook: read and check only, the preview ({size})", reg["read_s"],
                 "openpyxl parse of the same workbook", reg["parse_s"]))
    rows.append(("Registration workbook: import (read + check + write, SQLite)", reg["import_s"],
                 "openpyxl parse of the same workbook", reg["parse_s"]))
    rows.append(("The same workbook uploaded again (everything unchanged)", reg["reimport_s"],
                 "openpyxl parse of the same workbook", reg["parse_s"]))

    pages = measure_pages()

    from benchmarks.certificates import GOAL_THROUGHPUT
    from benchmarks.certificates import measure as measure_certificates

    certs = measure_certificates()
    rows.append((f"{certs['pages']:,} certificates in one PDF (sports.certificates)", certs["ours_s"],
                 "raw reportlab drawing the same page, font and QR", certs["baseline_s"]))

    sched = schedule_rows()[0]
    rows.append((sched["figure"], sched["time"], sched["baseline"], sched["baseline_time"]))

    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"(Python {platform.python_version()}, {os.cpu_count()} cores). Times are medians of repeated runs. "
        "Each figure is compared with a baseline measured in the same run: a naive version of the same "
        "job, so the ratio says what the real rule costs over the simplest thing; the last column sets "
        f"every figure against a fixed pure-Python loop (calibration: {calib * 1e3:.2f} ms here) so runs on "
        "machines of different speed can be compared.",
        "",
        "| figure | time | baseline | baseline time | ratio | × calibration |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for name, t, base_name, base_t in rows:
        lines.append(f"| {name} | {_fmt(t)} | {base_name} | {_fmt(base_t)} | {t / base_t:,.1f}× | {t / calib:,.3f} |")
    lines += [
        "",
        f"Import of the large file ({imp['bytes'] / 1e6:.1f} MB of JSON): peak resident memory "
        f"{imp['rss_peak_mb']:.0f} MB for the whole process ({imp['rss_before_mb']:.0f} MB before the import "
        "started), in one transaction.",
        "",
        f"Registration workbook ({reg['bytes'] / 1e3:.0f} kB of .xlsx): peak traced memory while reading and "
        f"checking it {reg['read_peak_mb']:.0f} MB, against {reg['parse_peak_mb']:.0f} MB for openpyxl parsing it "
        f"alone (tracemalloc); peak resident memory of the importing process {reg['rss_peak_mb']:.0f} MB "
        f"({reg['rss_before_mb']:.0f} MB before the import).",
        "",
        f"Court schedule ({sched['matches']:,} matches; courts per sport {sched['courts']}): the scheduler "
        f"placed {sched['placed']:,} and left {sched['unplaced']:,} unplaced, the last match ending "
        f"{sched['makespan']}, with {sched['clashes'][0]} athlete clashes (overlap or rest under "
        f"{SCHEDULE_SETTINGS.min_rest} min) and {sched['clashes'][1]} matches before their previous round ended; "
        f"the greedy baseline placed {sched['baseline_placed']:,}, ending {sched['baseline_makespan']}, with "
        f"{sched['baseline_clashes'][0]:,} athlete clashes and {sched['baseline_clashes'][1]:,} round-order breaks. "
        f"Checking one hand move on the whole festival: {_fmt(sched['check_move_time'])}. Target: under 10 s.",
        "",
        "What the figures mean for festival day: the rules themselves are cheap — a group's standings "
        f"in {_fmt(rows[0][1])}, the medal table of 60 events in {_fmt(rows[4][1])} — so every result can "
        "recompute everything that depends on it. Loading a 60-event festival from the database and "
        f"deriving its medal table took {_fmt(imp['derive_s'])} with nothing stored or cached; each write "
        "stores its event's final placings with the event's row, labelled with the revisions they describe, "
        f"so a worker that has just started reads the table in {_fmt(imp['table_s'])}, and the public pages "
        "keep derived results under the revisions of the festival and of each event "
        "(`sports/services/derived.py`): after one result only that event is derived again.",
        "",
        f"Certificates: {certs['pages']:,} pages in one PDF ({certs['bytes_ours'] / 1e6:.1f} MB) at "
        f"{certs['pages'] / certs['ours_s']:,.0f} pages/s, {certs['throughput']:.0%} of raw reportlab's "
        f"{certs['pages'] / certs['baseline_s']:,.0f} pages/s for the same page (goal: at least "
        f"{GOAL_THROUGHPUT:.0%} — {'met' if certs['throughput'] >= GOAL_THROUGHPUT else 'not met'}); peak traced "
        f"memory while drawing them {certs['peak_ours'] / 1e6:.0f} MB (raw reportlab: "
        f"{certs['peak_base'] / 1e6:.0f} MB). Pages are drawn one at a time onto one canvas, so memory grows "
        "with the PDF's bytes, not with live page objects.",
        "",
        *pages_section(pages),
    ]
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


if __name__ == "__main__":
    main()
