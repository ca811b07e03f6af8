"""`manage.py seed_demo [--scale N] [--seed S] [--until YYYY-MM-DD]`: demo data and users."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.two_factor import TWO_FACTOR_ROLES
from demo.seed import DEMO_USERS, ReferenceDataMissing, seed_demo


class Command(BaseCommand):
    help = (
        "Fill an empty database with believable synthetic records (--scale victims, with their "
        "cases, operations, referrals, …) and print one demo user per role with its password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=300, help="victims (default 300)")
        parser.add_argument("--seed", type=int, default=2010, help="random seed (default 2010)")
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            help="last date of the data (default today); with --seed, makes runs identical",
        )

    def handle(self, *args, scale: int, seed: int, until: dt.date | None, **options) -> None:
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        try:
            result = seed_demo(
                scale=scale, seed=seed, until=until, progress=lambda m: self.stderr.write(m)
            )
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from None
        if result.seeded:
            rows = ", ".join(f"{name} {count:,}" for name, count in result.counts.items())
            self.stdout.write(f"Seeded in {result.seconds:.0f} s: {rows}.")
        else:
            self.stdout.write("The database already holds victims: no demo data added.")
        self.stdout.write("Demo users (passwords are new at every run):")
        for username, password in result.passwords.items():
            role, agency = DEMO_USERS[username]
            self.stdout.write(f"  {username:18} {password}   {role} {agency or ''}".rstrip())
        enrolling = [name for name, (role, _a) in DEMO_USERS.items() if role in TWO_FACTOR_ROLES]
        if enrolling:
            self.stdout.write(
                f"{' and '.join(enrolling)} enrol an authenticator app (TOTP) at their first "
                "sign-in: have one ready on a phone (a QR code is shown)."
            )
