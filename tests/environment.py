"""The environment the test suite runs in, loaded by pytest before Django starts
(`-p tests.environment` in pyproject.toml; subprocesses of the tests inherit it).

Settings fail closed: with DEBUG off and no SECRET_KEY, start-up stops, because that is how a
production server would otherwise run on the public development key. The suite runs with DEBUG
off too, so it says what it is: offline, serving nobody, not production (plain http, no Redis
needed, the development key). Tests of the production settings start a fresh process without
this variable."""

from __future__ import annotations

import os

os.environ.setdefault("CTMS_OFFLINE", "1")
