"""Register an OSCaR, Primero or OpenFn job acting for an agency; prints its login and password
on the last two lines (the password is shown only here)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from ctms import errors
from interop.services import external_system_register


class Command(BaseCommand):
    help = "Register an external system (OSCaR, Primero, OpenFn) acting for an agency."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--agency", required=True, help="acronym of the agency it acts for")
        parser.add_argument("--url", default="", help="its API, when CTMS is its client")
        parser.add_argument("--remote-login", default="", help="CTMS's login on its API")
        parser.add_argument(
            "--remote-password-env",
            default="",
            help="name of an environment variable holding CTMS's password on its API",
        )

    def handle(self, *args, name, agency, url, remote_login, remote_password_env, **options):
        found = Agency.objects.filter(acronym__iexact=agency).first()
        if found is None:
            raise CommandError(f"No agency with the acronym {agency!r}.")
        try:
            system, password = external_system_register(
                name=name,
                agency=found,
                url=url,
                remote_login=remote_login,
                remote_password=os.environ.get(remote_password_env, "")
                if remote_password_env
                else "",
            )
        except errors.ValidationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Registered {system.name} for {found.acronym}.")
        self.stdout.write(f"login: {system.login}")
        self.stdout.write(f"password: {password}")
