"""Build one version of the site with Sphinx, from that version's own worktree."""

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .config import ReleaseConfig
from .errors import StoppedError
from .refs import Version

# Written beside the HTML by the branch-links extension (docs/_ext/repo_links); absent in refs older than it.
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
    """The sphinx-build command line for one version; context values reach the templates.

    Strict by default, with the options of ``tox -e docs``: warnings fail the version. The context goes
    in as ``-D html_context.KEY=VALUE``, not ``-A``, which turns a value such as ``1_0`` into the number 10.
    """
    command = [sys.executable, "-m", "sphinx", "-b", config.builder, "-q"]
    command += ["-c", str(worktree / config.conf_dir), "-d", str(doctrees)]
    if config.strict:
        command += ["-W", "--keep-going", "-n"]
    for key, value in context.items():
        command += ["-D", f"html_context.{key}={value}"]
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
        returncode, log = RUNNING.run(command, worktree, env, config.build_timeout)
    except subprocess.TimeoutExpired:
        return BuildResult(version, False, (), f"sphinx-build did not finish within {config.build_timeout:g} s")
    except StoppedError:
        return BuildResult(version, False, (), "stopped")
    tail = "\n".join(log.strip().splitlines()[-TAIL_LINES:])
    if returncode != 0:
        return BuildResult(version, False, (), f"sphinx-build exited with status {returncode}", tail)
    mismatch = links_mismatch(out, version)
    if mismatch:
        return BuildResult(version, False, (), mismatch, tail)
    return BuildResult(version, True, list_pages(out), log_tail=tail)


# Starts the build in a child that the kernel kills when this process ends, however it ends (a SIGKILL
# leaves no handler to run): prctl(PR_SET_PDEATHSIG, SIGKILL), then exec. Set in the child itself, not in
# a preexec_fn, which is unsafe in a process with threads. Linux only; elsewhere the build starts as it is.
_DIE_WITH_PARENT = """\
import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
if os.getppid() != int(sys.argv[1]):
    sys.exit("release_site: the release that started this build has ended")
os.execv(sys.argv[2], sys.argv[2:])
"""


def dying_with_this_process(command: list[str]) -> list[str]:
    """command, started so that it dies when this process dies (on Linux; elsewhere command itself)."""
    if not sys.platform.startswith("linux"):
        return command
    return [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *command]


class RunningBuilds:
    """The sphinx-build processes running now, so a stopping release can end every one of them."""

    def __init__(self) -> None:
        # Reentrant: stop() runs in a signal handler, which a second signal can interrupt.
        self._lock = threading.RLock()
        self._processes: set[subprocess.Popen] = set()
        self._stopping = False

    def run(self, command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
        """Run command to the end (killed after timeout s); return its status and its output."""
        with self._lock:
            if self._stopping:
                raise StoppedError
            process = subprocess.Popen(
                dying_with_this_process(command),
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            self._processes.add(process)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        finally:
            with self._lock:
                self._processes.discard(process)
        return process.returncode, output

    def reset(self) -> None:
        """Accept builds again, as at the start of a release."""
        with self._lock:
            self._stopping = False

    def stop(self) -> None:
        """Refuse new builds and kill the running ones (their versions then fail as "stopped")."""
        with self._lock:
            self._stopping = True
            for process in self._processes:
                process.kill()


RUNNING = RunningBuilds()


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
