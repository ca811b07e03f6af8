"""Production settings pass Django's deployment checks; local set-ups stay on plain http."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_deploy_check(**env: str) -> subprocess.CompletedProcess:
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
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


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
    # Without SECRET_KEY in the environment the app runs on http at 127.0.0.1 (embedded/test)
    result = run_deploy_check()
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
