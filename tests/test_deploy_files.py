"""The production files, checked without a Docker engine (none runs on our machines)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_the_compose_file_follows_the_compose_specification():
    venv_bin = Path(sys.executable).parent
    check = shutil.which("check-jsonschema") or str(venv_bin / "check-jsonschema")
    result = subprocess.run(  # noqa: S603 -- our own dev tool on our own file
        [check, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_runs_every_production_service():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert {"pgdata", "media"} <= set(compose["volumes"])
    # The worker writes PDFs that the web container serves: both mount the media volume.
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media:/data/media" in services["worker"]["volumes"]


def test_the_image_installs_the_japanese_font_and_the_harfbuzz_subsetter():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "fonts-ipaexfont-gothic" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile
    assert "KYODO_PDF_FONT_PATH=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf" in dockerfile


@pytest.mark.django_db
def test_the_health_check_reports_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
