"""Production settings pass Django's deployment checks; local set-ups stay on plain http."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py *args` in a fresh process whose environment has none of the deployment
    variables (not even the test suite's mark) but those given."""
    clean = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' live server, never in production.
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "SECURE_COOKIES",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "REDIS_URL",
            "CTMS_OFFLINE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_deploy_check(**env: str) -> subprocess.CompletedProcess:
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **env)


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    result = run_deploy_check(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ctms.example.org",
        REDIS_URL="redis://redis:6379/2",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_redis_refuses_to_start_with_a_clear_error():
    # Throttles counted per process would let each worker allow the whole rate.
    result = run_deploy_check(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="ctms.example.org"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL is required in production" in result.stderr


def test_the_embedded_defaults_are_not_production_and_the_checks_say_so():
    # The embedded set-up (`make run`: DEBUG=1, no SECRET_KEY) runs on http at 127.0.0.1
    result = run_deploy_check(DEBUG="1")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W008" in result.stderr + result.stdout  # no redirect to https


def test_local_responses_are_plain_http_with_the_security_headers(world, client, settings):
    assert settings.SECURE_SSL_REDIRECT is False
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp


MISSING_KEY = "SECRET_KEY is not set and DEBUG is off: CTMS will not start"


def test_without_debug_a_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run_manage("check")
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {MISSING_KEY}" in result.stderr
    assert "System check identified" not in result.stdout


def test_the_wsgi_server_does_not_start_without_a_key_either():
    hidden = {"DEBUG", "SECRET_KEY", "CTMS_OFFLINE"}
    clean = {k: v for k, v in os.environ.items() if k not in hidden}
    result = subprocess.run(
        [sys.executable, "-c", "import ctms.wsgi"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ctms.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert MISSING_KEY in result.stderr


def test_debug_runs_on_the_development_key_and_an_empty_key_counts_as_missing():
    assert run_manage("check", DEBUG="1").returncode == 0
    assert MISSING_KEY in run_manage("check", SECRET_KEY="  ").stderr


def test_the_offline_build_tools_run_without_a_key_and_nothing_else_does():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert (result.returncode, result.stdout.strip()) == (0, "No changes detected")
    assert MISSING_KEY in run_manage("migrate", "--check").stderr


def test_offline_is_not_production():
    offline = run_deploy_check(CTMS_OFFLINE="1")
    assert offline.returncode == 1
    assert "security.W008" in offline.stderr  # plain http, no redirect to https
    assert MISSING_KEY in run_manage("check", CTMS_OFFLINE="0").stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DEBUG", "yes-ish"), ("HTTPS", "tru"), ("SECURE_COOKIES", "2")]
)
def test_a_mistyped_yes_no_variable_is_an_error_naming_it(name, value):
    result = run_manage("check", **{"SECRET_KEY": secrets.token_urlsafe(50), name: value})
    assert result.returncode == 1
    assert (
        f"ImproperlyConfigured: {name}={value!r} is neither yes nor no: use 1/0, true/false, "
        "yes/no or on/off." in result.stderr
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
        ("", True),
    ],
)
def test_the_yes_no_spellings(monkeypatch, value, expected):
    from ctms.settings import env_bool

    monkeypatch.setenv("CTMS_EXAMPLE_FLAG", value)
    assert env_bool("CTMS_EXAMPLE_FLAG", default=True) is expected
