"""docs/performance.md from the figures bench/run.py measured."""

from __future__ import annotations

CTDC_CSV_LABEL = (
    "CTDC export, CSV (`manage.py export_ctdc`: COPY of the rows with their group size, "
    "small groups dropped in Python)"
)


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "**misses the target**"


def _met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "**missed**")


REPORT_TARGET_SECONDS = 0.5
PAGE_ROLES = ("anonymous", "case_worker", "police", "partner", "justice", "secretariat", "admin")


def _usable(figures: dict | None) -> bool:
    return (
        bool(figures)
        and not figures.get("skipped")
        and figures.get("available", True)
        and ("error" not in figures)
    )


def targets(results: dict) -> list[tuple[str, str, str, str, str]]:
    """Every target of issue 17 and the earlier ones: (part, measurement, figure, target,
    met/missed/not measured)."""
    rows: list[tuple[str, str, str, str, str]] = []

    def add(part, measurement, figure, target, ok):
        rows.append((part, measurement, figure, target, _met(ok)))

    report = results.get("report_sql")
    if _usable(report) and "orm_seconds" in report:
        add(
            "report_sql",
            f"quarterly report, both periods ({report.get('period')} and "
            f"{report.get('previous_period')}), median",
            f"{report['orm_seconds']:.3f} s",
            f"< {REPORT_TARGET_SECONDS} s",
            report["orm_seconds"] < REPORT_TARGET_SECONDS,
        )
        if "ratio" in report:
            add(
                "report_sql",
                "report / hand-written SQL",
                f"{report['ratio']:.2f}×",
                f"≤ {report.get('target')}×",
                bool(report.get("within_target")),
            )
        if "same_figures" in report:
            add(
                "report_sql",
                "same figures as the SQL",
                "yes" if report["same_figures"] else "**no**",
                "yes",
                report["same_figures"],
            )
    else:
        add(
            "report_sql",
            "quarterly report, both periods",
            "—",
            f"< {REPORT_TARGET_SECONDS} s",
            None,
        )
    dashboard = results.get("dashboard_visits")
    if _usable(dashboard) and dashboard.get("slowest_visit_ms") is not None:
        add(
            "dashboard_visits",
            "slowest request of the dashboard (page visits, the first of a choice included, "
            "and the figures fragment's answers)",
            f"{dashboard['slowest_visit_ms']:.0f} ms",
            f"< {dashboard['target_ms']:.0f} ms",
            dashboard["within_target"],
        )
        if dashboard.get("time_to_figures_ms") is not None:
            rows.append(
                (
                    "dashboard_visits",
                    "time until a choice not kept yet shows its figures: server work (first "
                    "visit + background build + fragment), and with the placeholder's 2 s polls",
                    f"{dashboard['time_to_figures_ms']:.0f} ms; "
                    f"{dashboard.get('time_to_figures_polled_ms') or 0:.0f} ms",
                    "reported (the warm-up keeps common choices built)",
                    "—",
                )
            )
    else:
        add("dashboard_visits", "every visit of the dashboard", "—", "< 200 ms", None)
    pages = results.get("pages")
    if _usable(pages) and pages.get("slowest"):
        slowest = pages["slowest"]
        add(
            "pages",
            f"slowest page of {pages['pages_measured']} (median): "
            f"`{slowest['route']}` as {slowest['role']}",
            f"{slowest['median_ms']:.0f} ms",
            f"< {pages['target_ms']:.0f} ms",
            not pages["over_target"],
        )
        add(
            "pages",
            "pages over the target",
            str(len(pages["over_target"])),
            "0",
            not pages["over_target"],
        )
        add(
            "pages",
            "pages that did not answer 200",
            str(len(pages["not_200"])),
            "0",
            not pages["not_200"],
        )
    else:
        add("pages", "every page, each role", "—", "< 300 ms", None)
    inbox = results.get("api_inbox")
    if _usable(inbox) and "p50_ms" in inbox:
        add(
            "api_inbox",
            "partner inbox (API), p50",
            f"{inbox['p50_ms']:.0f} ms",
            f"< {inbox['target_p50_ms']:.0f} ms",
            inbox["p50_ms"] < inbox["target_p50_ms"],
        )
    ui_list = results.get("ui_list")
    if _usable(ui_list) and ui_list.get("scenarios"):
        name, worst = max(ui_list["scenarios"].items(), key=lambda item: item[1]["median_ms"])
        add(
            "ui_list",
            f"victim list, slowest scenario ({name}), median",
            f"{worst['median_ms']:.0f} ms",
            f"< {ui_list['target_ms']} ms",
            worst["median_ms"] < ui_list["target_ms"],
        )
    matches = results.get("matches")
    if _usable(matches) and "p50_ms" in matches:
        add(
            "matches",
            "possible duplicates at intake, p50",
            f"{matches['p50_ms']:.0f} ms",
            f"< {matches['target_p50_ms']:.0f} ms",
            matches["p50_ms"] < matches["target_p50_ms"],
        )
    else:
        add("matches", "possible duplicates at intake, p50", "—", "< 200 ms", None)
    ctdc = results.get("ctdc")
    if _usable(ctdc) and "ratio" in ctdc:
        add(
            "ctdc",
            "CTDC export (CSV) / COPY of the same SELECT",
            f"{ctdc['ratio']:.2f}×",
            "≤ 2.0×",
            ctdc["ratio"] <= 2.0,
        )
        add(
            "ctdc",
            "CTDC export (CSV), peak memory",
            f"{ctdc['csv']['peak_rss_mb']:.0f} MB",
            "< 200 MB",
            ctdc["csv"]["peak_rss_mb"] < 200,
        )
    records = results.get("export_records")
    if _usable(records) and "peak_rss_mb" in records:
        add(
            "export_records",
            "export of the whole database, peak memory",
            f"{records['peak_rss_mb']:.0f} MB ({records['seconds']:.0f} s)",
            "< 200 MB",
            records["peak_rss_mb"] < 200,
        )
    rows += _import_targets(results.get("import"))
    return rows


def _import_targets(figures: dict | None) -> list[tuple[str, str, str, str, str]]:
    from bench.run import (
        IMPORT_BEFORE,
        IMPORT_MEMORY_TARGET_MB,
        IMPORT_PEAK_SPREAD,
        IMPORT_SPEEDUP_TARGET,
    )

    memory = f"< {IMPORT_MEMORY_TARGET_MB} MB"
    speedup_target = f"≥ {IMPORT_SPEEDUP_TARGET:.0f}×"
    if not _usable(figures):
        return [("import", "import into a set-up instance", "—", memory, _met(None))]
    rows = []
    small, large = figures.get("small", {}), figures.get("large", {})
    before_rate = IMPORT_BEFORE["records"] / IMPORT_BEFORE["seconds"]
    for label, part in ((f"{figures['small_scale']:,}", small), (f"{figures['scale']:,}", large)):
        if _usable(part) and "peak_rss_mb" in part:
            ok = part["peak_rss_mb"] < IMPORT_MEMORY_TARGET_MB and part.get(
                "same_victims_as_source", False
            )
            rows.append(
                (
                    "import",
                    f"peak memory, export of {label} victims",
                    f"{part['peak_rss_mb']:.0f} MB ({part['seconds']:.0f} s)",
                    memory,
                    _met(ok),
                )
            )
            rows.append(
                (
                    "import",
                    f"records per second, export of {label} victims, against the "
                    f"{before_rate:,.0f} before issue 17",
                    f"{part['records_per_second']:,} ({part['speedup']:.1f}×)",
                    speedup_target,
                    _met(part["speedup"] >= IMPORT_SPEEDUP_TARGET),
                )
            )
        else:
            why = part.get("skipped") or part.get("error", "")[-200:] or "not run"
            rows.append(
                (
                    "import",
                    f"peak memory and records per second, export of {label} victims ({why})",
                    "—",
                    memory,
                    _met(None),
                )
            )
    spread = f"{1 - IMPORT_PEAK_SPREAD:.1f}–{1 + IMPORT_PEAK_SPREAD:.1f}"
    if "peak_ratio" in figures:
        rows.append(
            (
                "import",
                "peak of the small export / peak of the large one",
                f"{figures['peak_ratio']:.2f}",
                spread,
                _met(abs(figures["peak_ratio"] - 1) <= IMPORT_PEAK_SPREAD),
            )
        )
    else:
        rows.append(
            ("import", "peak of the small export / the large one's", "—", spread, _met(None))
        )
    return rows


def _pages(figures: dict) -> list[str]:
    """One line per page, one column per role: median server time and queries."""
    target = figures.get("target_ms", 300)
    lines = [
        f"## Every page of the browser UI, as each role (target < {target:.0f} ms)",
        "",
        *_reused(figures),
    ]
    if figures.get("skipped"):
        return lines + ["skipped (--skip)"]
    if not figures.get("available", True):
        return lines + ["not available (its bench module is not in this checkout)"]
    if "error" in figures:
        return lines + ["failed:", "", "```", figures["error"], "```"]
    lines += [
        f"Each cell: median server time of {figures['repeats']} requests after a first one "
        "(the whole Django stack through the test client), and the SQL queries of one request. "
        f"Personas: {', '.join(f'{r} {p}' for r, p in figures['personas'].items())}. "
        f"Load average during the walk: {figures.get('load_average', '?')}; "
        f"{figures['pages_measured']} pages in {figures['seconds']} s.",
        "",
    ]
    by_route: dict[str, dict[str, str]] = {}
    skipped: dict[str, str] = {}
    for row in figures["rows"]:
        cells = by_route.setdefault(row["route"] or "(home)", {})
        if "skipped" in row:
            skipped[row["route"]] = row["skipped"]
            cells[row["role"]] = "—"
        elif "median_ms" in row:
            slow = row["median_ms"] >= figures["target_ms"]
            text = f"{row['median_ms']:.0f} ms · {row['queries']} q"
            cells[row["role"]] = f"**{text}**" if slow else text
        else:
            cells[row["role"]] = f"**HTTP {row.get('status')}**"
    table = [
        (f"`{route}`", *(cells.get(role, "") for role in PAGE_ROLES))
        for route, cells in by_route.items()
    ]
    lines += _table(table, ("page", *PAGE_ROLES))
    if skipped:
        lines += ["", "Not walked:"]
        lines += [f"- `{route}`: {why}" for route, why in skipped.items()]
    return lines


def _process(figures: dict) -> str:
    return f"{figures['seconds']:.1f} s, peak {figures['peak_rss_mb']:.0f} MB"


def _reused(figures: dict) -> list[str]:
    if "reused_from" not in figures:
        return []
    return [f"(figures of the run started {figures['reused_from']}, kept with `--reuse`)", ""]


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _flatten(prefix: str, value) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, inner in value.items():
            rows += _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
        return rows
    return [(prefix, str(value).replace("|", "\\|").replace("\n", " "))]


def _ctdc(ctdc: dict, memory_target_mb: int, ratio_target: float) -> list[str]:
    ratio_ok = ctdc["ratio"] <= ratio_target
    memory_ok = ctdc["csv"]["peak_rss_mb"] < memory_target_mb
    rows = [
        (
            CTDC_CSV_LABEL,
            _process(ctdc["csv"]),
            "",
            "",
        ),
        ("PostgreSQL `COPY (same SELECT) TO STDOUT` (psql)", _process(ctdc["copy"]), "", ""),
        (
            "time ratio CTDC / COPY",
            f"{ctdc['ratio']:.2f}×",
            f"≤ {ratio_target}×",
            _verdict(ratio_ok),
        ),
        (
            "CTDC peak memory",
            f"{ctdc['csv']['peak_rss_mb']:.0f} MB",
            f"< {memory_target_mb} MB",
            _verdict(memory_ok),
        ),
        ("rows written (after k-anonymity)", f"{ctdc['rows']:,}", "", ""),
        (
            "same rows as COPY (order-independent checksum)",
            "yes" if ctdc["same_rows_as_copy"] else "**no**",
            "yes",
            _verdict(ctdc["same_rows_as_copy"]),
        ),
    ]
    if "xlsx" in ctdc:
        xlsx_ok = ctdc["xlsx"]["peak_rss_mb"] < memory_target_mb
        rows.append(
            (
                "CTDC export, XLSX (streaming writer, exports/writers.py)",
                _process(ctdc["xlsx"]),
                f"< {memory_target_mb} MB",
                _verdict(xlsx_ok),
            )
        )
    lines = ["## CTDC export against COPY", "", *_reused(ctdc)]
    lines += _table(rows, ("measurement", "figure", "target", "verdict"))
    if ctdc.get("summary"):
        lines += ["", f"Command summary: `{ctdc['summary']}`"]
    return lines


def _export_records(figures: dict, memory_target_mb: int) -> list[str]:
    lines = ["## `export_records` over the whole database", "", *_reused(figures)]
    if figures.get("skipped"):
        return lines + ["skipped (--skip)"]
    if not figures.get("available"):
        return lines + ["not available (the command is not in this checkout)"]
    if "error" in figures:
        return lines + ["failed:", "", "```", figures["error"], "```"]
    ok = figures["peak_rss_mb"] < memory_target_mb
    rows = [
        ("time", f"{figures['seconds']:.1f} s", "", ""),
        (
            "peak memory",
            f"{figures['peak_rss_mb']:.0f} MB",
            f"< {memory_target_mb} MB",
            _verdict(ok),
        ),
        ("lines written", f"{figures['lines']:,}", "", ""),
        ("file size", f"{figures['file_mb']:.0f} MB", "", ""),
    ]
    return lines + _table(rows, ("measurement", "figure", "target", "verdict"))


def _import(figures: dict) -> list[str]:
    """Both imports into a set-up instance, side by side."""
    title = "## `import_records` into a set-up instance (migrate, reference data, the users)"
    lines = [title, "", *_reused(figures)]
    if figures.get("skipped"):
        return lines + ["skipped (--skip)"]
    if not figures.get("available"):
        return lines + ["not available (the command is not in this checkout)"]
    if "error" in figures:
        return lines + ["failed:", "", "```", figures["error"], "```"]
    before = figures["before"]
    columns = [
        (f"export of {figures['small_scale']:,} victims", figures.get("small", {})),
        (f"export of {figures['scale']:,} victims", figures.get("large", {})),
    ]
    measures = [
        ("records", lambda p: f"{p['records']:,}"),
        ("file", lambda p: f"{p['file_mb']:.0f} MB"),
        ("time", lambda p: f"{p['seconds']:.1f} s"),
        ("peak memory (every process)", lambda p: f"{p['peak_rss_mb']:.0f} MB"),
        ("peak of the loader alone", lambda p: f"{p.get('peak_own_rss_mb', 0):.0f} MB"),
        ("records per second", lambda p: f"{p['records_per_second']:,}"),
        ("against before issue 17", lambda p: f"{p['speedup']:.2f}×"),
        ("victims as in the source", lambda p: "yes" if p.get("same_victims_as_source") else "no"),
    ]
    rows = []
    for name, show in measures:
        cells = []
        for _label, part in columns:
            if "records_per_second" in part:
                cells.append(show(part))
            else:
                why = part.get("skipped") or part.get("error", "")[-300:] or "not run"
                cells.append(why if name == "records" else "—")
        rows.append((name, *cells))
    lines += _table(rows, ("", *(label for label, _part in columns)))
    lines += [
        "",
        f"Before issue 17: {before['records']:,} records in {before['seconds']:,} s "
        f"({before['records'] / before['seconds']:,.0f} records per second), peak "
        f"{before['peak_rss_mb']:,.0f} MB (docs/import-export.md).",
    ]
    if "workers" in figures:
        lines += [
            "",
            f"`import_records` ran with its default of {figures['workers']} worker process(es)"
            " (one a core, at most 4). Peak memory is the larger of the loader's own peak and"
            " the peak of the summed PSS of the loader and its workers (sampled 4 times a"
            " second; pages they share count once).",
        ]
    if "peak_ratio" in figures:
        lines += ["", f"Peak of the small export / the large one's: {figures['peak_ratio']:.2f}."]
    return lines


def _module(title: str, figures: dict) -> list[str]:
    lines = [f"## {title}", "", *_reused(figures)]
    if figures.get("skipped"):
        return lines + ["skipped (--skip)"]
    if not figures.get("available"):
        return lines + ["not available (its bench module is not in this checkout)"]
    if "error" in figures:
        return lines + ["failed:", "", "```", figures["error"], "```"]
    return lines + _table(_flatten("", figures), ("figure", "value"))


def render_markdown(
    results: dict,
    *,
    memory_target_mb: int,
    ratio_target: float,
) -> str:
    from bench.run import MODULE_PARTS

    machine = results["machine"]
    build = results["build"]
    lines = [
        "# Performance",
        "",
        f"Measured by `python bench/run.py` (or `make bench`) on {results['started']}, on a "
        f"database of {results['scale']:,} victims; the whole run took {results['seconds']} s.",
        "Each figure comes from its own process: time is wall-clock, peak memory is the "
        "process's maximum resident set (wait4's `ru_maxrss`), or for a command with worker "
        "processes (`import_records`) the peak of their summed PSS if larger. The machine is "
        "shared: the load "
        "averages below say how busy it was, and wall-clock figures taken under load are high.",
        "",
        "## Machine",
        "",
        *_table([(k, v) for k, v in machine.items()], ("", "")),
        "",
        "## Database",
        "",
        "built in this run"
        + (f" in {build['seconds']} s with {build['filler']}" if not build.get("cached") else "")
        if not build.get("cached")
        else "reused from an earlier complete build (table `bench_build`)",
        "",
        *_table([(k, f"{v:,}") for k, v in results["counts"].items()], ("table", "rows")),
        "",
    ]
    lines += ["## Targets", ""]
    lines += _table(targets(results), ("part", "measurement", "figure", "target", "verdict"))
    lines += [""]
    for name, title in MODULE_PARTS.items():
        if name == "pages" and "pages" in results:
            lines += _pages(results["pages"]) + [""]
            continue
        lines += _module(title, results.get(name, {"skipped": True})) + [""]
    if "ctdc" in results and _usable(results["ctdc"]):
        lines += _ctdc(results["ctdc"], memory_target_mb, ratio_target) + [""]
    elif "ctdc" in results:
        lines += _module("CTDC export against COPY", results["ctdc"]) + [""]
    if "export_records" in results:
        lines += _export_records(results["export_records"], memory_target_mb) + [""]
    if "import" in results:
        lines += _import(results["import"]) + [""]
    return "\n".join(lines)
