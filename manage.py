#!/usr/bin/env python
"""Django's command-line utility for CTMS."""

import os
import sys

# Build tools that read code and files only: they never serve, sign or queue anything, so they
# run offline (no secret, no production requirements) where no SECRET_KEY is set: image builds,
# CI, translators. Every other command fails closed without SECRET_KEY unless DEBUG is on
# (ctms/settings.py).
OFFLINE_COMMANDS = frozenset({"makemigrations", "makemessages", "compilemessages", "collectstatic"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")
    if sys.argv[1:2] and sys.argv[1] in OFFLINE_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("CTMS_OFFLINE", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
