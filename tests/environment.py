"""The environment the test suite runs in, loaded by pytest before Django starts
(`-p tests.environment` in pyproject.toml; subprocesses of the tests inherit it).

Settings fail closed: with DEBUG off, a missing SECRET_KEY stops start-up. So the suite brings
its own random key, as a deployment does, and asks explicitly for what a key in the environment
would otherwise switch on for production: plain http on the test server and webhooks that may
reach the local test receivers."""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("SECRET_KEY", "tests-" + secrets.token_urlsafe(50))
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")
