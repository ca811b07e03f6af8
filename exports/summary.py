"""The CTDC summary the export page shows (rows exported, rows suppressed), kept so that a visit
counts nothing.

Counting means grouping every victim-case pair of the database by its quasi-identifiers: about
ten seconds at a million victims (docs/performance.md). So the count is kept in the cache with
the time it was taken, one entry per k:

- A visit reads the entry. When there is none, or it is older than SUMMARY_FRESH_SECONDS, the
  visit asks for a count in the background (a Celery task, or a thread of the web process when
  there is no broker, as report runs and the dashboard do), one at a time: a lock in the cache
  across processes, and a set of pending counts within a process. The visit never waits for it.
- The page shows the kept figures with the time they were counted ("as of"); with none yet, a
  "Counting…" placeholder that polls with htmx (and a plain link to reload without JavaScript).
- Every export that writes the whole data set (command, background run, direct download)
  counts the same figures as it goes (ExportSummary): a finished export keeps them too, with
  the time it started, when they are newer than the kept ones.

A count that fails leaves the lock in place until it expires (no retry at every poll) and a
mark that the page shows; the next visit after that asks again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

from .ctdc import ExportSummary, ctdc_summary, k_anonymity

logger = logging.getLogger(__name__)

# Kept figures older than this are counted again, in the background, at the next visit.
SUMMARY_FRESH_SECONDS = 600
# How long kept figures stay in the cache at all (the page still shows their age).
SUMMARY_KEEP_SECONDS = 30 * 24 * 3600
# A count that has not finished (or has failed) after this long may be asked for again.
COUNT_LOCK_SECONDS = 600


def summary_key(k: int) -> str:
    return f"exports:ctdc-summary:k{k}"


def _lock_key(k: int) -> str:
    return f"{summary_key(k)}:counting"


def _failed_key(k: int) -> str:
    return f"{summary_key(k)}:failed"


@dataclass(frozen=True)
class KeptSummary:
    """What the page shows: the kept figures (if any), when they were counted, and whether a
    count is under way (the page then polls) or the last one failed."""

    k: int
    summary: ExportSummary | None
    counted_at: datetime | None
    counting: bool
    failed: bool

    @property
    def age_minutes(self) -> int | None:
        if self.counted_at is None:
            return None
        return max(0, int((datetime.now(UTC) - self.counted_at).total_seconds() // 60))


def keep(summary: ExportSummary, counted_at: float) -> bool:
    """Keep `summary` (the data as it was at `counted_at`, a Unix time) unless newer figures
    are kept already. Returns whether it was kept."""
    key = summary_key(summary.k)
    kept = cache.get(key)
    if kept is not None and kept["counted_at"] >= counted_at:
        return False
    entry = {
        "k": summary.k,
        "rows_total": summary.rows_total,
        "rows_suppressed": summary.rows_suppressed,
        "counted_at": counted_at,
    }
    cache.set(key, entry, SUMMARY_KEEP_SECONDS)
    return True


def count_and_keep(k: int | None = None) -> ExportSummary:
    """Count now and keep the figures (the background task). Whole-database work: never called
    by a request."""
    k = k or k_anonymity()
    started = time.time()
    try:
        summary = ctdc_summary(k)
    except Exception:
        # The lock stays until it expires: the page says the count failed instead of asking
        # for another one at every poll.
        cache.set(_failed_key(k), started, COUNT_LOCK_SECONDS)
        raise
    keep(summary, started)
    cache.delete_many([_lock_key(k), _failed_key(k)])
    return summary


def kept_summary(start_count, k: int | None = None) -> KeptSummary:
    """The kept figures for the page. When there are none, or they are stale, a count is asked
    for with `start_count(k)` (at most one at a time); nothing is counted here."""
    k = k or k_anonymity()
    key = summary_key(k)
    entry = cache.get(key)
    stale = entry is None or time.time() - entry["counted_at"] > SUMMARY_FRESH_SECONDS
    if stale and cache.add(_lock_key(k), 1, COUNT_LOCK_SECONDS):
        cache.delete(_failed_key(k))
        try:
            start_count(k)
        except Exception:  # noqa: BLE001 - no broker reachable: show what is kept, try later
            logger.exception("could not start the CTDC summary count")
            cache.set(_failed_key(k), time.time(), COUNT_LOCK_SECONDS)
        entry = cache.get(key)  # a count run in-process (tests, eager tasks) is done already
    counting = cache.get(_lock_key(k)) is not None
    failed = counting and cache.get(_failed_key(k)) is not None
    if entry is None:
        return KeptSummary(k, None, None, counting=counting and not failed, failed=failed)
    summary = ExportSummary(
        k=k, rows_total=entry["rows_total"], rows_suppressed=entry["rows_suppressed"]
    )
    fresh = time.time() - entry["counted_at"] <= SUMMARY_FRESH_SECONDS
    return KeptSummary(
        k,
        summary,
        datetime.fromtimestamp(entry["counted_at"], tz=UTC),
        counting=counting and not failed and not fresh,
        failed=failed and not fresh,
    )
