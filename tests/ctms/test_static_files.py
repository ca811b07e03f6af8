"""Production (DEBUG off) serves styled pages with no manual step; after collectstatic, hashed
names cached for a year. Each set-up in a fresh process: the settings decide at start-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
page = client.get("/accounts/login/").content.decode()
links = [part.split('"')[0] for part in page.split('href="')[1:]]
href = next(link for link in links if "/css/ctms" in link)
response = client.get(href)
body = b"".join(response.streaming_content) if response.streaming else response.content
print(json.dumps({"href": href, "status": response.status_code,
                  "cache": response.headers.get("Cache-Control", ""), "bytes": len(body)}))
"""


def probe(static_root: Path) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DEBUG": "0",
        "STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": "ctms.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_collectstatic_the_stylesheet_is_served(tmp_path):
    served = probe(tmp_path / "never-collected")

    assert (served["href"], served["status"]) == ("/static/css/ctms.css", 200)
    assert served["bytes"] > 500
    assert served["cache"] == "max-age=60, public"


def test_after_collectstatic_hashed_names_are_cached_for_a_year(tmp_path):
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(tmp_path)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )

    served = probe(tmp_path)

    assert re.fullmatch(r"/static/css/ctms\.[0-9a-f]{12}\.css", served["href"]), served
    assert served["status"] == 200
    assert served["cache"] == "max-age=315360000, public, immutable"
    assert "css/ctms.css" in json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
