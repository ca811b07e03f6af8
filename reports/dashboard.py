"""The dashboard's figures and drawn sections, kept in the cache so that a visit builds nothing.

A choice (quarter, province) has one cache entry: its report JSON and when it was built. A
visit shows the entry it finds; when there is none, or it is older than
DASHBOARD_FRESH_SECONDS, the visit asks for a build in the background (a Celery task, or a
thread of the web process when there is no broker, as report runs do), one at a time per
choice, and answers at once: with the kept figures, or with a "Preparing the figures…"
placeholder that polls `reports/dashboard/figures/` until the entry is there. A build never
runs during a visit.

A beat task (`reports.tasks.warm_dashboard`, every DASHBOARD_WARM_EVERY_SECONDS) keeps the
common choices warm: this quarter and the previous one, for the country and each province
with records, built one after the other (`warm`), so visitors rarely see the placeholder.

The charts and tables are drawn once per entry and language (reports.charts +
templates/reports/_dashboard_sections.html) and cached beside the entry.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .charts import section_chart
from .documents import section_rows
from .figures import build_report
from .periods import QUARTER_RE, Period, current_quarter, previous_quarter
from .selectors import provinces_with_records
from .wording import SECTIONS, tr

logger = logging.getLogger(__name__)

# The beat task rebuilds the common choices this often (reports/0008_dashboard_warm_schedule).
DASHBOARD_WARM_EVERY_SECONDS = 15 * 60
# Figures older than this are rebuilt in the background at the next visit. Longer than the
# warm-up's interval plus its run, so that a choice the warm-up keeps is never found stale.
DASHBOARD_FRESH_SECONDS = 20 * 60
# The warm-up skips an entry younger than this: it is still fresh at the next warm-up.
WARM_SKIP_YOUNGER_THAN = DASHBOARD_FRESH_SECONDS - DASHBOARD_WARM_EVERY_SECONDS
# The warm-up stops starting builds after this long (the next one carries on).
WARM_BUDGET_SECONDS = DASHBOARD_WARM_EVERY_SECONDS - 60
# A choice nobody looks at for a week is forgotten.
DASHBOARD_KEEP_SECONDS = 7 * 24 * 3600
# A rebuild that has not finished after this long may be asked for again.
REFRESH_LOCK_SECONDS = 600
# After a failed build the choice shows the failure this long; then a visit asks again.
FAILED_SECONDS = 60
# The placeholder asks for the figures every POLL_SECONDS, at most POLL_TRIES times (then it
# says the figures are late and offers a link instead of polling for ever).
POLL_SECONDS = 2
POLL_TRIES = 150

WARM_LOCK = "reports:dashboard:warming"


def entry_key(period: Period, province: str) -> str:
    return f"reports:dashboard:{period.label}:{province or 'all'}"


def _lock_key(period: Period, province: str) -> str:
    return f"{entry_key(period, province)}:refreshing"


def _failed_key(period: Period, province: str) -> str:
    return f"{entry_key(period, province)}:failed"


def rebuild(period: Period, province: str) -> dict[str, Any]:
    """Build the choice's report now and keep it (the background build and the warm-up, never
    a visit). A failure is kept for FAILED_SECONDS, for the page to say so, and re-raised."""
    try:
        report = build_report(period, province)
    except Exception as error:
        cache.set(_failed_key(period, province), type(error).__name__, FAILED_SECONDS)
        cache.delete(_lock_key(period, province))
        raise
    return keep(period, province, report)


def keep(period: Period, province: str, report: dict[str, Any]) -> dict[str, Any]:
    """Keep `report` (just built by `build_report(period, province)`) as the choice's entry."""
    entry = {"report": report, "built_at": time.time()}
    cache.set(entry_key(period, province), entry, DASHBOARD_KEEP_SECONDS)
    cache.delete_many([_failed_key(period, province), _lock_key(period, province)])
    return entry


def keep_report_run(period: Period, report: dict[str, Any]) -> None:
    """A report run of a quarter has just built the country's figures of that quarter: the
    dashboard keeps them for its choice (quarter, all provinces) at no cost."""
    if QUARTER_RE.match(period.label):
        keep(period, "", report)


def ask_for_build(period: Period, province: str, start_refresh: Callable[[str, str], None]):
    """Ask `start_refresh(label, province)` for a background build, unless one is under way
    (one at a time per choice). A broker that refuses the task counts as a failed build."""
    if not cache.add(_lock_key(period, province), 1, REFRESH_LOCK_SECONDS):
        return
    try:
        start_refresh(period.label, province)
    except Exception:  # noqa: BLE001 - the page says the figures failed; never a 500
        logger.exception("dashboard build %s %s not started", period.label, province or "all")
        cache.set(_failed_key(period, province), "not started", FAILED_SECONDS)
        cache.delete(_lock_key(period, province))


def dashboard_entry(
    period: Period, province: str, start_refresh: Callable[[str, str], None]
) -> dict[str, Any] | None:
    """The choice's entry as kept, or None while it is being prepared. A missing or stale
    entry is asked for in the background (`ask_for_build`); the caller never waits for it
    (unless `start_refresh` itself runs the build at once, as Celery's eager mode does)."""
    key = entry_key(period, province)
    entry = cache.get(key)
    if entry is None:
        if not build_failed(period, province):
            ask_for_build(period, province, start_refresh)
            entry = cache.get(key)  # built already where the task ran eagerly
        return entry
    if time.time() - entry["built_at"] > DASHBOARD_FRESH_SECONDS:
        ask_for_build(period, province, start_refresh)
    return entry


def build_failed(period: Period, province: str) -> bool:
    """Whether the choice's last build failed less than FAILED_SECONDS ago."""
    return cache.get(_failed_key(period, province)) is not None


def drawn_sections(
    entry: dict[str, Any], period: Period, province: str, language: str
) -> SafeString:
    """The charts and tables of an entry in `language`, drawn once and cached with it."""
    key = f"{entry_key(period, province)}:html:{language}:{entry['built_at']}"
    html = cache.get(key)
    if html is None:
        report = entry["report"]
        sections = [
            {
                "key": section,
                "title": tr(title, language),
                "chart": section_chart(report, section, language),
                "rows": section_rows(report, section, language),
            }
            for section, title in SECTIONS.items()
        ]
        with translation.override(language):
            html = str(
                render_to_string(
                    "reports/_dashboard_sections.html", {"report": report, "sections": sections}
                )
            )
        # Kept as long as the entry stays fresh, and a little longer: a rebuilt entry has a
        # new key.
        cache.set(key, html, DASHBOARD_FRESH_SECONDS + DASHBOARD_WARM_EVERY_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered above by an autoescaping template


def warm_choices(today: dt.date) -> list[tuple[Period, str]]:
    """The choices the warm-up keeps: this quarter and the previous one, for the whole country
    and each province with records in them or in the same quarters a year before."""
    this, last = current_quarter(today), previous_quarter(today)
    provinces = provinces_with_records(last.previous().start, this.end)
    return [(period, province) for period in (this, last) for province in ["", *provinces]]


def warm(today: dt.date, *, clock: Callable[[], float] = time.monotonic) -> dict[str, int]:
    """Rebuild the common choices one after the other (a build at a time: the database serves
    visitors meanwhile), skipping entries still fresh at the next warm-up and choices whose
    build is under way. One warm-up at a time; it stops starting builds after
    WARM_BUDGET_SECONDS. Returns how many choices were built, fresh, busy, failed, left."""
    counts = {"built": 0, "fresh": 0, "busy": 0, "failed": 0, "left": 0}
    if not cache.add(WARM_LOCK, 1, DASHBOARD_WARM_EVERY_SECONDS):
        return {**counts, "busy": -1}  # another warm-up is running
    started = clock()
    try:
        for period, province in warm_choices(today):
            if clock() - started > WARM_BUDGET_SECONDS:
                counts["left"] += 1
                continue
            entry = cache.get(entry_key(period, province))
            if entry is not None and time.time() - entry["built_at"] < WARM_SKIP_YOUNGER_THAN:
                counts["fresh"] += 1
                continue
            if not cache.add(_lock_key(period, province), 1, REFRESH_LOCK_SECONDS):
                counts["busy"] += 1
                continue
            try:
                rebuild(period, province)
            except Exception:  # noqa: BLE001 - one choice's failure does not stop the others
                logger.exception("dashboard warm-up %s %s failed", period.label, province)
                counts["failed"] += 1
            else:
                counts["built"] += 1
    finally:
        cache.delete(WARM_LOCK)
    return counts
