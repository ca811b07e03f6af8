"""OSCaR's wire conventions, at the boundary only: field names, empty strings for nothing,
YYYY-MM-DD dates, the statuses Referred/Accepted/Active/Exited, ULID-shaped global ids."""

from __future__ import annotations

import datetime as dt
import uuid

from ctms.choices import ReferralStatus

STATUS_OUT = {
    ReferralStatus.PENDING: "Referred",
    ReferralStatus.ACCEPTED: "Accepted",
    ReferralStatus.IN_SERVICE: "Active",
    ReferralStatus.COMPLETED: "Exited",
    ReferralStatus.CLOSED: "Exited",
    ReferralStatus.DECLINED: "Exited",
    ReferralStatus.WITHDRAWN: "Exited",
}
STATUSES = ("Referred", "Accepted", "Active", "Exited")
SEX_IN = {"male": "male", "female": "female", "other": "other", "m": "male", "f": "female"}
RISK_LEVELS = ("high", "medium", "low", "no action")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def text(value) -> str:
    """OSCaR sends and expects "" for nothing, never null."""
    return "" if value is None else str(value)


def date_out(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def date_in(value) -> dt.date | None:
    """A YYYY-MM-DD date, or None when empty; ValueError otherwise."""
    value = text(value).strip()
    if not value:
        return None
    return dt.date.fromisoformat(value[:10])


def since_in(value) -> dt.datetime | None:
    """`since_date` as the jobs send it: 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC)."""
    value = text(value).strip()
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace(" ", "T")[:19])
    return parsed.replace(tzinfo=dt.UTC)


def global_id_for(victim_id: uuid.UUID) -> str:
    """A stable 26-character ULID-shaped id for a CTMS person (Crockford base32 of its UUID)."""
    number = victim_id.int
    chars = []
    for _ in range(26):
        chars.append(CROCKFORD[number & 31])
        number >>= 5
    return "".join(reversed(chars))
