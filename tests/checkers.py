"""The two page checkers the suite runs, pinned in package.json: axe-core (accessibility, in
Chromium) and the Nu Html Checker (vnu-jar, on Java). `npm ci` installs them into
node_modules/. Without them a test is skipped with the reason, except when CI=true: there a
missing checker is an error, like a missing Chromium for the browser journeys."""

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# WCAG 2.1 A and AA (JIS X 8341-3:2016 follows WCAG 2.0 AA; 2.1 is the design's aim).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING = {"critical", "serious"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing(what: str, how: str):
    if _in_ci():
        pytest.fail(f"CI=true but {what} is missing: the page checks must run in CI ({how}).")
    pytest.skip(f"{what} not found: {how} to run this check")


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def axe_script() -> str:
    if not AXE_JS.exists():
        _missing(str(AXE_JS.relative_to(ROOT)), "run `npm ci` in the project root")
    return _axe_source()


def vnu_command() -> list[str]:
    if not VNU_JAR.exists():
        _missing(str(VNU_JAR.relative_to(ROOT)), "run `npm ci` in the project root")
    java = shutil.which("java")
    if java is None:
        _missing("java", "apt-get install default-jre-headless")
    return [java, "-Xss2m", "-jar", str(VNU_JAR)]


def vnu_errors(folder: Path) -> list[dict]:
    """Every error the Nu Html Checker finds in the .html files of ``folder`` (one JVM start):
    a list of {"url": file URL, "lastLine": …, "message": …, "extract": …}."""
    result = subprocess.run(  # noqa: S603 -- our own command line, no shell
        [*vnu_command(), "--errors-only", "--format", "json", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    # vnu writes its JSON report to stderr.
    return [m for m in json.loads(result.stderr)["messages"] if m.get("type") == "error"]


def axe_violations(page) -> list[dict]:
    """axe-core's violations of impact critical or serious on the page as it is now (the script
    is injected through the DevTools protocol, which the site's CSP does not block)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in results["violations"] if v.get("impact") in AXE_BLOCKING]


def describe_violations(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        more = len(violation["nodes"]) - 3
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
            + (f" (+{more} more)" if more > 0 else "")
        )
    return lines
