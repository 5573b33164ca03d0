"""Build one version of the site with Sphinx, from that version's own worktree."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .config import ReleaseConfig
from .refs import Version

# Written beside the HTML by docs/_ext/repo_links (issue 4); absent in refs older than that extension.
LINKS_MANIFEST = "_repo_links.json"
# Lines of Sphinx's output shown for a failed version: enough for the warning that failed it.
TAIL_LINES = 25


@dataclass(frozen=True)
class BuildResult:
    """What became of one version's build: ok, the pages it wrote (``index.html``...), its log tail."""

    version: Version
    ok: bool
    pages: tuple[str, ...]
    reason: str = ""
    log_tail: str = ""


def sphinx_command(
    config: ReleaseConfig, worktree: Path, out: Path, doctrees: Path, context: dict[str, str]
) -> list[str]:
    """The sphinx-build command line for one version; context values reach the templates (``-A``).

    Strict by default, with the options of ``tox -e docs``: warnings fail the version.
    """
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
    command += ["-c", str(worktree / config.conf_dir), "-d", str(doctrees)]
    if config.strict:
        command += ["-W", "--keep-going", "-n"]
    for key, value in context.items():
        command += ["-A", f"{key}={value}"]
    command += [str(worktree / config.source_dir), str(out)]
    return command


def build_version(
    config: ReleaseConfig, version: Version, worktree: Path, out: Path, scratch: Path, context: dict[str, str]
) -> BuildResult:
    """Build version from worktree into out; never raises for a failed build, it reports it.

    The build sees DOCS_BRANCH=<ref> so the branch-links extension links this version's own files.
    """
    for needed in (worktree / config.conf_dir / "conf.py", worktree / config.source_dir):
        if not needed.exists():
            return BuildResult(version, False, (), f"{needed.relative_to(worktree)} does not exist at this ref")
    env = {**os.environ, "DOCS_BRANCH": version.ref}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep the worktree clean so its removal never trips on caches
    command = sphinx_command(config, worktree, out, scratch / f"doctrees-{version.name}", context)
    try:
        done = subprocess.run(
            command,
            cwd=worktree,
            env=env,
            capture_output=True,
            text=True,
            timeout=config.build_timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return BuildResult(version, False, (), f"sphinx-build did not finish within {config.build_timeout:g} s")
    log = (done.stdout + done.stderr).strip()
    tail = "\n".join(log.splitlines()[-TAIL_LINES:])
    if done.returncode != 0:
        return BuildResult(version, False, (), f"sphinx-build exited with status {done.returncode}", tail)
    mismatch = links_mismatch(out, version)
    if mismatch:
        return BuildResult(version, False, (), mismatch, tail)
    return BuildResult(version, True, list_pages(out), log_tail=tail)


def links_mismatch(out: Path, version: Version) -> str:
    """Why the built pages' repository links do not point at version.ref ("" when they do or cannot tell)."""
    manifest = out / LINKS_MANIFEST
    if not manifest.is_file():
        return ""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"{LINKS_MANIFEST} is unreadable: {exc}"
    if data.get("ref") != version.ref:
        return f"its repository links point at {data.get('ref')!r} (from {data.get('ref_source')}), not {version.ref!r}"
    return ""


def list_pages(out: Path) -> tuple[str, ...]:
    """Every HTML page of a built version, as paths relative to its root (``maintainers/releasing.html``)."""
    pages = []
    for path in out.rglob("*.html"):
        relative = path.relative_to(out)
        # Sphinx's own folders hold assets and copied sources, not pages a reader switches between.
        if relative.parts[0] in {"_static", "_sources", "_images", "_downloads"}:
            continue
        pages.append(relative.as_posix())
    return tuple(sorted(pages))
