"""docs/performance.md from the figures bench/run.py measured."""

from __future__ import annotations

CTDC_CSV_LABEL = (
    "CTDC export, CSV (`manage.py export_ctdc`: COPY of the rows with their group size, "
    "small groups dropped in Python)"
)


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "**misses the target**"


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


def _import_records(figures: dict, memory_mb: int, spread: float, speedup: float) -> list[str]:
    title = "## `import_records` into a new set-up database (reference agencies, demo users)"
    lines = [title, "", *_reused(figures)]
    if figures.get("skipped"):
        return lines + ["skipped (--skip)"]
    if not figures.get("available"):
        return lines + ["not available (the command is not in this checkout)"]
    full, tenth, before = figures["full"], figures["tenth"], figures["before"]
    rows = [
        (
            "the whole export: records, size",
            f"{full['records']:,}, {full['file_mb']:.0f} MB",
            "",
            "",
        ),
        ("the whole export: time", f"{full['seconds']:.1f} s", "", ""),
        (
            "the whole export: peak memory",
            f"{full['peak_rss_mb']:.0f} MB",
            f"< {memory_mb} MB",
            _verdict(full["peak_rss_mb"] < memory_mb),
        ),
        (
            "the whole export: records per second",
            f"{full['records_per_second']:,} ({figures['speedup']:.1f}× the "
            f"{before['records'] / before['seconds']:,.0f} before)",
            f"≥ {speedup:.0f}×",
            _verdict(figures["speedup"] >= speedup),
        ),
        (
            "a tenth's export: records, size",
            f"{tenth['records']:,}, {tenth['file_mb']:.0f} MB",
            "",
            "",
        ),
        ("a tenth's export: time", f"{tenth['seconds']:.1f} s", "", ""),
        (
            "a tenth's export: peak memory",
            f"{tenth['peak_rss_mb']:.0f} MB ({figures['peak_ratio']:.2f}× the whole's)",
            f"within {spread:.0%} of the whole's",
            _verdict(abs(figures["peak_ratio"] - 1) <= spread),
        ),
    ]
    return lines + _table(rows, ("measurement", "figure", "target", "verdict"))


def _module(title: str, figures: dict) -> list[str]:
    lines = [f"## {title}", ""]
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
    import_targets: tuple[int, float, float] = (500, 0.2, 3.0),
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
        "process's maximum resident set (wait4's `ru_maxrss`). The machine is shared: the load "
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
    for name, title in MODULE_PARTS.items():
        lines += _module(title, results.get(name, {"skipped": True})) + [""]
    if "ctdc" in results:
        lines += _ctdc(results["ctdc"], memory_target_mb, ratio_target) + [""]
    if "export_records" in results:
        lines += _export_records(results["export_records"], memory_target_mb) + [""]
    if "import_records" in results:
        lines += _import_records(results["import_records"], *import_targets) + [""]
    return "\n".join(lines)
