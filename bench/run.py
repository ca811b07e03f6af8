#!/usr/bin/env python
"""The benchmark, in one command: `python bench/run.py` (or `make bench`).

1. Builds, once, a PostgreSQL database of `--scale` victims (default a million) with their
   related records (`manage.py migrate`, `load_reference_data`, `seed_demo --scale N`). A table
   `bench_build` marks a complete build, and a migrated database that already holds exactly
   `--scale` victims (built by `seed_demo` elsewhere) counts as one: a later run skips the
   build. A database with fewer victims (an interrupted build) is dropped and built again; one
   with more is left alone unless --rebuild.
2. Measures, in one run, each in its own process (time, and peak memory from wait4's rusage),
   with the machine's load averages before and after each part:
   - the statistics report against hand-written SQL          (bench/report_sql.py, `run()`)
   - the secretariat's dashboard, first and later visits     (bench/dashboard_visits.py)
   - every page of the browser UI as each role              (bench/pages.py, `run()`)
   - a partner's inbox through the API, p50/p95              (bench/api_inbox.py, `run()`)
   - the victim list page: server time and query count       (bench/ui_list.py, `run()`)
   - the possible-duplicates query at intake, p50/p95         (bench/matches.py, `run()`)
   - the CTDC export of every row against PostgreSQL's own `COPY (same SELECT) TO STDOUT`
   - `export_records` over the whole database (peak memory, target < 200 MB)
   - `import_records` into a freshly set-up instance (`migrate`, `load_reference_data`, the
     source's users): the export above, and the export of a database ten times smaller (built
     once and kept like the large one): peak memory of each (< 500 MB, and within 20 % of
     each other) and records per second (at least 3x the figure measured before issue 17: a
     million victims, 5,652,799 records, in 29 min 52 s)
   A module that is not in this checkout is reported as "not available".
3. Writes the figures, each target with "met" or "missed", and the machine they came from to
   docs/performance.md.

Every command runs with `CTMS_OFFLINE=1` and `DEBUG=0` (settings fail closed: without them and
without a SECRET_KEY nothing starts; with DEBUG on, Django keeps every query in memory and the
figures would not be production's), without CELERY_BROKER_URL (tasks run in-process: the
figures are the code's own) and without REDIS_URL (the cache is the process's own memory, which
the page benchmark clears before each first visit; never a shared Redis).

Options: --db URL (default postgres://postgres@127.0.0.1:5432/ctms_bench), --scale N,
--skip PART and --reuse PART (repeatable; PART is one of PARTS below; --reuse takes the part's
figures from the last run; `--skip import_full` leaves out only the import of the large
export), --no-xlsx, --rebuild, --output FILE (default docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import inspect
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ctms_bench"
MODULE_PARTS = {
    "report_sql": "Quarterly report vs hand-written SQL",
    "dashboard_visits": "The secretariat's dashboard, first and later visits",
    "pages": "Every page of the browser UI, as each role",
    "api_inbox": "Partner inbox through the API",
    "ui_list": "Victim list page",
    "matches": "Possible duplicates at intake (matches API)",
}
PARTS = (*MODULE_PARTS, "ctdc", "export_records", "import")
MEMORY_TARGET_MB = 200
RATIO_TARGET = 2.0
RESULT_MARK = "BENCH-RESULT "
KEEP_MARK = "<!-- hand-written below: bench/run.py keeps it -->"
UNTIL = "2026-11-23"  # fixed last date of the seeded data (as bench/README.md), identical builds


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ---- processes ------------------------------------------------------------------------------


# A small launcher between this (large) process and the measured one: a forked child starts
# with its parent's resident pages counted in its peak, so the measured command must be forked
# from something small. It prints, as the last line of stderr, the command's own peak (KiB,
# from wait4) and the peak of the summed proportional set size (PSS: a page shared by n
# processes counts 1/n in each) of the command and every process under it, sampled four times
# a second (the import's worker processes share their parent's pages copy-on-write).
LAUNCHER = """
import os, sys, threading, time
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
peak = [0]
def tree(root):
    children = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                with open('/proc/%s/stat' % name) as stat:
                    parent = int(stat.read().rsplit(')', 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        process = todo.pop()
        found.append(process)
        todo.extend(children.get(process, []))
    return found
def resident_kib(process):
    try:
        with open('/proc/%d/smaps_rollup' % process) as rollup:
            for line in rollup:
                if line.startswith('Pss:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
def sample():
    while True:
        peak[0] = max(peak[0], sum(resident_kib(p) for p in tree(pid)))
        time.sleep(0.25)
threading.Thread(target=sample, daemon=True).start()
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("\\nBENCH-RSS %d %d\\n" % (usage.ru_maxrss, peak[0]))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(cmd: list[str], env: dict, stdout_path: Path | None = None, timeout: int = 7200):
    """Run `cmd`; return seconds, peak resident memory (MB) of that process and the processes
    it starts, exit code and the end of its standard error."""
    with tempfile.TemporaryFile() as err, open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        launcher = [sys.executable, "-S", "-c", LAUNCHER, *cmd]
        try:
            returncode = subprocess.run(
                launcher, env=env, stdout=out, stderr=err, cwd=ROOT, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            returncode = -9
        seconds = time.perf_counter() - start
        err.seek(0)
        lines = err.read().decode(errors="replace").rstrip().splitlines()
    own_kib = tree_kib = 0
    if lines and lines[-1].startswith("BENCH-RSS"):
        own_kib, tree_kib = (int(value) for value in lines.pop().split()[1:3])
    return {
        "seconds": round(seconds, 2),
        # The larger of the command's own peak (ru_maxrss, KiB on Linux) and its processes'
        # summed PSS (only larger when the command has worker processes).
        "peak_rss_mb": round(max(own_kib, tree_kib) / 1024, 1),
        "peak_own_rss_mb": round(own_kib / 1024, 1),
        "peak_tree_pss_mb": round(tree_kib / 1024, 1),
        "returncode": returncode,
        "stderr": "\n".join(lines)[-4000:],
    }


# Settings fail closed (ctms/settings.py): without DEBUG and without SECRET_KEY nothing starts,
# unless the process says it serves nobody. The benchmark serves nobody, and it measures
# production's code paths: DEBUG off (with DEBUG on, every query is kept in memory).
FORCED_ENV = {
    "CTMS_OFFLINE": "1",
    "DEBUG": "0",
    "DATABASE_CONN_MAX_AGE": "0",
    "DJANGO_SETTINGS_MODULE": "ctms.settings",
}
# Tasks run in-process (the figures are the code's own) and the cache is the process's memory
# (the page benchmark clears it before each first visit: never someone's Redis).
DROPPED_ENV = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL")


def bench_environment(url: str, base: dict | None = None) -> dict:
    """The environment of every command the benchmark runs, on the database at `url`."""
    env = {k: v for k, v in (os.environ if base is None else base).items()}
    for name in DROPPED_ENV:
        env.pop(name, None)
    env.update(FORCED_ENV)
    # The benchmarks measure the queries, not the throttles (bench/matches.py sends 100
    # intake queries: more than an hour's allowance).
    env.setdefault("API_THROTTLE_RATE", "1000000/minute")
    env.setdefault("VICTIM_MATCHES_RATE", "1000000/minute")
    env["DATABASE_URL"] = url
    env["PYTHONPATH"] = str(ROOT)
    return env


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def checked(result: dict, what: str) -> dict:
    if result["returncode"] != 0:
        raise SystemExit(f"{what} failed ({result['returncode']}):\n{result['stderr']}")
    return result


# ---- the database ---------------------------------------------------------------------------


def _admin_connection(url: str):
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def built_scale(url: str) -> int | None:
    """The scale of a complete build, or None. Complete: marked by this script's `bench_build`
    table, or (a database another tool built with `seed_demo --scale`) migrated and holding
    victims; an empty or half-migrated database is not."""
    import psycopg2

    connection, name = _admin_connection(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            return None
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_build'), to_regclass('victims_victim')")
        marked, migrated = cursor.fetchone()
        if marked:
            cursor.execute("SELECT scale FROM bench_build ORDER BY finished_at DESC LIMIT 1")
            row = cursor.fetchone()
            return row[0] if row else None
        if migrated:
            cursor.execute("SELECT COUNT(*) FROM victims_victim")
            return cursor.fetchone()[0] or None
    return None


def has_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def build_database(url: str, scale: int, env: dict) -> dict:
    connection, name = _admin_connection(url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    start = time.perf_counter()
    checked(measure(manage("migrate", "--noinput", "-v", "0"), env), "migrate")
    if has_command("load_reference_data"):
        checked(measure(manage("load_reference_data"), env), "load_reference_data")
    if has_command("seed_demo") and _seed_demo_scales():
        filler = "seed_demo"
        seed = manage("seed_demo", "--scale", str(scale), "--seed", "2010", "--until", UNTIL)
        checked(measure(seed, env), "seed_demo")
    else:
        filler = "bench/fill_orm.py (seed_demo --scale not in this checkout)"
        fill = [sys.executable, __file__, "--part", "fill", "--db", url, "--scale", str(scale)]
        checked(measure(fill, env), "fill")
    seconds = round(time.perf_counter() - start, 1)
    import psycopg2

    _vacuum(url)
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_build (scale integer, seconds real, filler text,"
            " finished_at timestamptz DEFAULT now())"
        )
        cursor.execute("INSERT INTO bench_build VALUES (%s, %s, %s)", [scale, seconds, filler])
    return {"cached": False, "seconds": seconds, "filler": filler}


def _seed_demo_scales() -> bool:
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["seed_demo"], "seed_demo")
    parser = command.create_parser("manage.py", "seed_demo")
    return any("--scale" in action.option_strings for action in parser._actions)


def ensure_database(url: str, scale: int, env: dict, rebuild: bool) -> dict:
    found = built_scale(url)
    if not rebuild and found == scale:
        log(f"database {url} holds a complete build of {scale:,} victims: kept")
        return {"cached": True, **bring_up_to_date(url, env)}
    if not rebuild and found and found > scale:
        # Never drop a larger database someone built on purpose: say so and stop.
        raise SystemExit(f"{url} holds {found:,} victims, not {scale:,}: pass --rebuild or --scale")
    log(f"building {url} with {scale:,} victims (this takes a while, once)")
    return build_database(url, scale, env)


def bring_up_to_date(url: str, env: dict) -> dict:
    """A kept database gets the code's migrations (`migrate`; on a million victims a data
    migration can take minutes), then VACUUM (ANALYZE) so that the rewritten tables' pages are
    all-visible again for index-only scans. Nothing is done when nothing is pending."""
    env = {**env, "DATABASE_URL": url}
    if measure(manage("migrate", "--check", "-v", "0"), env)["returncode"] == 0:
        return {}
    log(f"{url}: applying the code's migrations, then VACUUM (ANALYZE)")
    migrated = checked(measure(manage("migrate", "--noinput", "-v", "0"), env), "migrate (kept)")
    _vacuum(url)
    return {"migrated_seconds": migrated["seconds"]}


def _vacuum(url: str) -> None:
    import psycopg2

    db = psycopg2.connect(url)
    db.autocommit = True  # VACUUM runs outside a transaction
    with db.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    db.close()


# ---- measurements ---------------------------------------------------------------------------


def run_part_in_child(name: str, url: str, scale: int) -> None:
    """Inside the child process: call bench/<name>.py's run() and print its dict."""
    import django

    django.setup()
    if name == "fill":
        from bench.fill_orm import fill

        fill(scale, progress=log)
        return
    module = importlib.import_module(f"bench.{name}")
    offered = {"database_url": url, "db_url": url, "url": url, "scale": scale}
    accepted = inspect.signature(module.run).parameters
    result = module.run(**{k: v for k, v in offered.items() if k in accepted})
    print(RESULT_MARK + json.dumps(result, default=str), flush=True)


def bench_module(name: str, url: str, scale: int, env: dict) -> dict:
    if not (ROOT / "bench" / f"{name}.py").exists():
        return {"available": False}
    log(f"{name}: running")
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        cmd = [sys.executable, __file__, "--part", name, "--db", url, "--scale", str(scale)]
        process = measure(cmd, env, Path(out.name))
        lines = Path(out.name).read_text().splitlines()
    found = [line[len(RESULT_MARK) :] for line in lines if line.startswith(RESULT_MARK)]
    if process["returncode"] != 0 or not found:
        return {"available": True, "error": process["stderr"][-1500:]}
    return {"available": True, "process": _without_stderr(process), **json.loads(found[-1])}


def _without_stderr(process: dict) -> dict:
    return {k: v for k, v in process.items() if k != "stderr"}


def file_fingerprint(path: Path) -> tuple[int, str]:
    """Data rows and an order-independent checksum of the lines (header excluded)."""
    total, rows = 0, -1
    with path.open("rb") as stream:
        for line in stream:
            rows += 1
            if rows:
                digest = hashlib.blake2b(line.rstrip(b"\r\n"), digest_size=8).digest()
                total = (total + int.from_bytes(digest, "big")) % (1 << 64)
    return max(rows, 0), f"{total:016x}"


def bench_ctdc(url: str, env: dict, xlsx: bool) -> dict:
    """The CTDC export against COPY of the same SELECT: time ratio, peak memory, same rows."""
    from exports.ctdc import exported_rows_sql, k_anonymity

    CACHE.mkdir(parents=True, exist_ok=True)
    ctdc_csv, copy_csv = CACHE / "ctdc.csv", CACHE / "copy.csv"
    log("CTDC export (CSV) of every row")
    ctdc = checked(measure(manage("export_ctdc", "--output", str(ctdc_csv)), env), "export_ctdc")
    log("COPY of the same SELECT")
    sql = exported_rows_sql(k_anonymity(), "postgresql")
    copy_cmd = [
        "psql",
        url,
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)",
    ]
    copy = checked(measure(copy_cmd, env, copy_csv), "COPY")
    (ctdc_rows, ctdc_sum), (copy_rows, copy_sum) = map(file_fingerprint, (ctdc_csv, copy_csv))
    result = {
        "rows": ctdc_rows,
        "summary": ctdc["stderr"].strip().splitlines()[-1] if ctdc["stderr"].strip() else "",
        "csv": _without_stderr(ctdc),
        "copy": _without_stderr(copy),
        "ratio": round(ctdc["seconds"] / max(copy["seconds"], 0.01), 2),
        "same_rows_as_copy": (ctdc_rows, ctdc_sum) == (copy_rows, copy_sum),
        "csv_mb": round(ctdc_csv.stat().st_size / 2**20, 1),
    }
    if xlsx:
        log("CTDC export (XLSX) of every row")
        xlsx_path = CACHE / "ctdc.xlsx"
        command = manage("export_ctdc", "--format", "xlsx", "--output", str(xlsx_path))
        result["xlsx"] = _without_stderr(checked(measure(command, env), "export_ctdc xlsx"))
    return result


def bench_export_records(env: dict) -> dict:
    if not has_command("export_records"):
        return {"available": False}
    log("export_records over the whole database")
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / "records.jsonl"
    process = checked(
        measure(manage("export_records", "--output", str(target)), env), "export_records"
    )
    lines = sum(1 for _ in target.open("rb"))
    return {
        "available": True,
        "lines": lines,
        **_without_stderr(process),
        "file_mb": round(target.stat().st_size / 2**20, 1),
    }


def _suffixed_url(url: str, suffix: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + suffix))


def _users_of(url: str) -> list[tuple[str, str | None, str]]:
    """(username, agency acronym, role) of every user: users are not part of an export, and an
    administrator creates them in the new instance before importing (docs/import-export.md)."""
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT u.username, a.acronym, u.role FROM agencies_user u"
            " LEFT JOIN agencies_agency a ON a.id = u.agency_id ORDER BY u.username"
        )
        return cursor.fetchall()


def _victims_in(url: str) -> int:
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM victims_victim")
        return cursor.fetchone()[0]


def import_into_set_up_instance(source_url: str, export: Path, env: dict) -> dict:
    """`import_records` of `export` into a new instance set up as an administrator does it:
    `migrate`, `load_reference_data`, the source's users (`create_user`). The database
    `<source>_import` is dropped and made again for every import."""
    target = _suffixed_url(source_url, "_import")
    target_env = {**env, "DATABASE_URL": target}
    connection, name = _admin_connection(target)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    checked(measure(manage("migrate", "--noinput", "-v", "0"), target_env), "migrate (import)")
    checked(measure(manage("load_reference_data"), target_env), "load_reference_data (import)")
    # The users, as an administrator makes them (`create_user`), in one process.
    script = (
        "import json, sys\n"
        "from django.core.management import call_command\n"
        "for username, acronym, role in json.loads(sys.argv[-1]):\n"
        "    extra = {'agency': acronym} if acronym else {}\n"
        "    call_command('create_user', username, role=role, **extra)\n"
    )
    users = json.dumps(_users_of(source_url))
    command = [sys.executable, "-c", f"import django; django.setup()\n{script}", users]
    checked(measure(command, target_env), "create_user (the source's users)")
    log(f"import_records {export.name} ({export.stat().st_size / 2**20:,.0f} MB) into {name}")
    process = measure(manage("import_records", str(export)), target_env)
    records = sum(1 for line in export.open("rb") if line.strip())
    result = {
        "file": export.name,
        "file_mb": round(export.stat().st_size / 2**20, 1),
        "records": records,
        **_without_stderr(process),
        "records_per_second": round(records / max(process["seconds"], 0.001)),
    }
    if process["returncode"] != 0:
        result["error"] = process["stderr"][-1500:]
        return result
    source_victims, imported = _victims_in(source_url), _victims_in(target)
    result.update(victims=imported, same_victims_as_source=imported == source_victims)
    connection = _admin_connection(target)[0]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()
    return result


def bench_import(url: str, scale: int, env: dict, *, rebuild: bool, full: bool) -> dict:
    """Import into a set-up instance: the export of a database `scale // 10` victims large
    (built and kept like the large one) and, unless left out, the large export written by the
    `export_records` part (bench/.cache/records.jsonl)."""
    if not (has_command("import_records") and has_command("export_records")):
        return {"available": False}
    CACHE.mkdir(parents=True, exist_ok=True)
    small_scale = max(scale // 10, 1)
    small_url = _suffixed_url(url, f"_{small_scale}")
    small_env = {**env, "DATABASE_URL": small_url}
    result: dict = {"available": True, "small_scale": small_scale, "scale": scale}
    from transfer.management.commands.import_records import default_workers

    result["workers"] = default_workers()
    result["small_build"] = ensure_database(small_url, small_scale, small_env, rebuild)
    small_export = CACHE / f"records_{small_scale}.jsonl"
    log(f"export_records of the {small_scale:,}-victim database")
    export = measure(manage("export_records", "--output", str(small_export)), small_env)
    result["small_export"] = _without_stderr(checked(export, "export_records (small)"))
    log("import of the small export")
    result["small"] = _failsafe(import_into_set_up_instance, small_url, small_export, env)
    large_export = CACHE / "records.jsonl"
    if not full:
        result["large"] = {"skipped": "left out with --skip import_full"}
    elif not large_export.exists():
        result["large"] = {"skipped": "no large export (the export_records part did not run)"}
    else:
        log("import of the large export")
        result["large"] = _failsafe(import_into_set_up_instance, url, large_export, env)
    result["before"] = IMPORT_BEFORE
    before_rate = IMPORT_BEFORE["records"] / IMPORT_BEFORE["seconds"]
    for part in (result["small"], result["large"]):
        if "records_per_second" in part:
            part["speedup"] = round(part["records_per_second"] / before_rate, 2)
    small, large = result["small"], result["large"]
    if "peak_rss_mb" in small and "peak_rss_mb" in large:
        result["peak_ratio"] = round(small["peak_rss_mb"] / large["peak_rss_mb"], 2)
    return result


def _failsafe(function, *args) -> dict:
    try:
        return function(*args)
    except (Exception, SystemExit) as failure:
        log(f"{function.__name__} failed: {failure}")
        return {"error": str(failure)[-1500:]}


IMPORT_MEMORY_TARGET_MB = 500
IMPORT_PEAK_SPREAD = 0.20  # the small export's peak within ±20 % of the large one's
IMPORT_SPEEDUP_TARGET = 3.0
# The import before it kept its refs in a table of the database (docs/import-export.md,
# 2026-12-02): the million-victim export into an empty database, on this machine.
IMPORT_BEFORE = {"records": 5_652_799, "seconds": 29 * 60 + 52, "peak_rss_mb": 3.2 * 1024}


# ---- the report -----------------------------------------------------------------------------


def machine(url: str) -> dict:
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    mem_kb = next(
        int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")
    )
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    return {
        "load_average_at_start": " ".join(f"{load:.1f}" for load in os.getloadavg()),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 2**20, 1),
        "postgresql": pg_version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def counts(url: str) -> dict:
    import psycopg2

    tables = [
        "victims_victim",
        "cases_case",
        "cases_case_victims",
        "cases_operation",
        "referrals_referral",
        "bench_build",
    ]
    found = {}
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0]:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
                found[table] = cursor.fetchone()[0]
    return found


def render(results: dict) -> str:
    from bench.render import render_markdown

    return render_markdown(
        results,
        memory_target_mb=MEMORY_TARGET_MB,
        ratio_target=RATIO_TARGET,
    )


def _load() -> str:
    return " ".join(f"{load:.1f}" for load in os.getloadavg())


def _previous_results() -> dict:
    path = CACHE / "results.json"
    return json.loads(path.read_text()) if path.exists() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 1000000)))
    parser.add_argument(
        "--skip", action="append", default=[], choices=[*PARTS, "import_full"],
        help="a part to leave out",
    )  # fmt: skip
    parser.add_argument(
        "--reuse",
        action="append",
        default=[],
        choices=PARTS,
        help="a part whose figures are taken from the last run (bench/.cache/results.json)",
    )
    parser.add_argument("--no-xlsx", action="store_true", help="leave out the XLSX export")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--part", help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    env = bench_environment(args.db)
    os.environ.clear()
    os.environ.update(env)
    if args.part:
        run_part_in_child(args.part, args.db, args.scale)
        return

    import django

    django.setup()
    started = dt.datetime.now(dt.UTC)
    results: dict = {
        "started": f"{started:%Y-%m-%d %H:%M} UTC",
        "scale": args.scale,
        "database": args.db,
    }
    results["build"] = ensure_database(args.db, args.scale, env, args.rebuild)
    results["machine"] = machine(args.db)
    results["counts"] = counts(args.db)
    previous = _previous_results() if args.reuse else {}
    parts = {name: partial(bench_module, name, args.db, args.scale, env) for name in MODULE_PARTS}
    parts["ctdc"] = partial(bench_ctdc, args.db, env, xlsx=not args.no_xlsx)
    parts["export_records"] = partial(bench_export_records, env)
    parts["import"] = partial(
        bench_import, args.db, args.scale, env, rebuild=args.rebuild,
        full="import_full" not in args.skip,
    )  # fmt: skip
    for name, run_part in parts.items():
        if name in args.skip:
            results[name] = {"skipped": True}
        elif name in args.reuse and name in previous:
            log(f"{name}: figures reused from the run of {previous['started']}")
            reused_from = previous[name].get("reused_from", previous["started"])
            results[name] = {**previous[name], "reused_from": reused_from}
        else:
            load_before = _load()
            try:
                results[name] = run_part()
            except (Exception, SystemExit) as failure:  # one failed part does not stop the run
                log(f"{name} failed: {failure}")
                results[name] = {"available": True, "error": str(failure)[-1500:]}
            results[name]["load_average"] = f"{load_before} → {_load()}"
    results["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds())
    results["machine"]["load_average_at_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "results.json").write_text(json.dumps(results, indent=2, default=str))
    markdown = render(results)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # Hand-written sections (plans, measurements by hand) below KEEP_MARK survive a run.
    old = output.read_text() if output.exists() else ""
    if KEEP_MARK in old:
        markdown = markdown.rstrip("\n") + "\n\n" + old[old.index(KEEP_MARK) :]
    output.write_text(markdown)
    print(markdown)
    log(f"written to {args.output} (raw figures in {CACHE / 'results.json'})")


if __name__ == "__main__":
    main()
