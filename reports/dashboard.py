"""The dashboard's figures and drawn sections, kept in the cache so that a visit builds nothing.

A choice (quarter, province) has one cache entry: its report JSON and when it was built. A
visit shows the entry it finds; when the entry is older than DASHBOARD_FRESH_SECONDS the visit
still shows it and asks for a rebuild in the background (a Celery task, or a thread of the web
process when there is no broker, as report runs do), one at a time per choice. Only a choice
never asked for (or forgotten after DASHBOARD_KEEP_SECONDS) is built during the visit.

The charts and tables are drawn once per entry and language (reports.charts +
templates/reports/_dashboard_sections.html) and cached beside the entry.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .charts import section_chart
from .documents import section_rows
from .figures import build_report
from .periods import Period
from .wording import SECTIONS, tr

# Figures older than this are rebuilt in the background at the next visit.
DASHBOARD_FRESH_SECONDS = 300
# A choice nobody looks at for a week is forgotten.
DASHBOARD_KEEP_SECONDS = 7 * 24 * 3600
# A rebuild that has not finished after this long may be asked for again.
REFRESH_LOCK_SECONDS = 600


def entry_key(period: Period, province: str) -> str:
    return f"reports:dashboard:{period.label}:{province or 'all'}"


def rebuild(period: Period, province: str) -> dict[str, Any]:
    """Build the choice's report now and keep it (the background rebuild and a first visit)."""
    entry = {"report": build_report(period, province), "built_at": time.time()}
    cache.set(entry_key(period, province), entry, DASHBOARD_KEEP_SECONDS)
    cache.delete(f"{entry_key(period, province)}:refreshing")
    return entry


def dashboard_entry(period: Period, province: str, start_refresh) -> dict[str, Any]:
    """The choice's entry: as kept (rebuilt in the background by `start_refresh(label,
    province)` when stale), or built now if there is none."""
    key = entry_key(period, province)
    entry = cache.get(key)
    if entry is None:
        return rebuild(period, province)
    stale = time.time() - entry["built_at"] > DASHBOARD_FRESH_SECONDS
    if stale and cache.add(f"{key}:refreshing", 1, REFRESH_LOCK_SECONDS):
        start_refresh(period.label, province)
    return entry


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
        # Kept a little longer than the entry stays fresh: a rebuilt entry has a new key.
        cache.set(key, html, 2 * DASHBOARD_FRESH_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered above by an autoescaping template
