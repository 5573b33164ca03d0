"""The command line: ``python -m tools.release_site [options]`` builds every version and publishes the site."""

import argparse
import json
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .build import RUNNING, BuildResult, build_version
from .cache import fingerprint, installed_packages, previous_builds, reuse
from .config import ReleaseConfig, normalise_base_url, parse_alias, read_table
from .errors import BuildError, ConfigError, GitError, ReleaseError, StoppedError
from .fetch import check_complete, fetch_refs
from .git import git
from .leftovers import remove_leftovers, scratch_folder
from .lock import site_lock
from .plan import make_plan
from .refs import Version, find_versions
from .site import VERSIONS_FILE, new_staging, publish, write_site_files
from .worktree import checked_out


class _OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one ``error:`` line, like every other error of this command."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see --help)\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line; patterns given here replace the configured ones."""
    parser = _OneLineParser(
        prog="python -m tools.release_site",
        description="Build the docs once per matching branch and tag into OUT/<name>/, with versions.json, "
        "a root index.html and a version switcher. The previous site is replaced only if every version builds "
        "(with --keep-going, by the versions that built).",
    )
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the git repository (default: .)")
    parser.add_argument("--out", type=Path, help="where the site goes (default: REPO/build/site)")
    parser.add_argument("--branch", action="append", metavar="PATTERN", help="branch pattern, repeatable")
    parser.add_argument("--tag", action="append", metavar="PATTERN", help="tag pattern, repeatable")
    parser.add_argument("--no-tags", action="store_true", help="release branches only")
    parser.add_argument("--default", metavar="REF", help="the version the site root opens (default: main)")
    parser.add_argument("--remote", help="remote whose branches count and --fetch uses (default: origin)")
    parser.add_argument("--fetch", action="store_true", help="fetch the matching branches and tags first")
    parser.add_argument("--source-dir", help="Sphinx source folder inside each ref (default: docs)")
    parser.add_argument("--conf-dir", help="folder of conf.py inside each ref (default: .)")
    parser.add_argument("--allow-warnings", action="store_true", help="do not build with -W")
    parser.add_argument("--timeout", type=float, help="seconds allowed per version (default: 600)")
    parser.add_argument(
        "--base-url", metavar="URL", help="the site's public address; adds canonical links, sitemap.xml, robots.txt"
    )
    parser.add_argument(
        "--alias",
        action="append",
        metavar="NAME=REF",
        help="publish REF also as NAME/, repeatable (besides latest, stable)",
    )
    parser.add_argument(
        "--hide", action="append", metavar="PATTERN", help="build and publish, but do not list, refs matching"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help=f"versions built at once (default: the {os.cpu_count() or 1} cores)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild every version, reusing none from the last site")
    parser.add_argument(
        "--builder",
        choices=("html", "dirhtml"),
        help="Sphinx builder: html (guide.html, the default) or dirhtml (guide/index.html, linked as guide/)",
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="stop, instead of waiting, when another release publishes there now"
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="publish the versions that built even if others failed (the command still exits 1 naming them)",
    )
    return parser.parse_args(argv)


def make_config(args: argparse.Namespace) -> ReleaseConfig:
    """Merge pyproject.toml's [tool.release-site] with the command line (the command line wins)."""
    repo = args.repo.resolve()
    if not repo.is_dir():
        raise ConfigError(f"--repo {args.repo}: no such directory")
    table = read_table(repo)
    # --out is relative to where the command runs; the table's out to the repository.
    out = args.out.resolve() if args.out else (repo / table.get("out", "build/site")).resolve()
    given = {
        "branches": args.branch or table.get("branches"),
        "tags": () if args.no_tags else (args.tag or table.get("tags")),
        "default": args.default or table.get("default"),
        "remote": args.remote or table.get("remote"),
        "source_dir": args.source_dir or table.get("source-dir"),
        "conf_dir": args.conf_dir or table.get("conf-dir"),
        "build_timeout": args.timeout,
        "base_url": args.base_url or table.get("base_url"),
        "hide": args.hide or table.get("hide"),
        "jobs": args.jobs if args.jobs is not None else os.cpu_count() or 1,
        "builder": args.builder or table.get("builder"),
    }
    if given["jobs"] < 1:
        raise ConfigError(f"--jobs {given['jobs']}: give at least 1")
    if given["base_url"] is not None:
        given["base_url"] = normalise_base_url(given["base_url"])
    aliases = dict(table.get("aliases", {}))
    aliases.update(parse_alias(text) for text in args.alias or ())
    # What neither sets keeps ReleaseConfig's default, so each default is written down once.
    settings = {
        key: tuple(value) if isinstance(value, list) else value for key, value in given.items() if value is not None
    }
    return ReleaseConfig(
        repo=repo,
        out=out,
        fetch=args.fetch,
        strict=not args.allow_warnings,
        rebuild=args.rebuild,
        keep_going=args.keep_going,
        wait=not args.no_wait,
        aliases=tuple(aliases.items()),
        **settings,
    )


def release(config: ReleaseConfig, say: Callable[[str], None]) -> list[BuildResult]:
    """Build every version into a staging site and publish it at config.out if all of them built.

    One run at a time per output folder: a second waits (or, with ``--no-wait``, stops); once it holds the
    lock, it removes what a killed run left before building anything.
    """
    git(config.repo, "rev-parse", "--git-dir")  # a clear GitError when repo is not a repository
    check_replaceable(config.out, config.repo)
    with site_lock(config.out, config.wait, say):
        remove_leftovers(config.repo, config.out, say)
        return _release(config, say)


def _release(config: ReleaseConfig, say: Callable[[str], None]) -> list[BuildResult]:
    """Build every version into a staging site and publish it at config.out if all of them built.

    Versions whose build inputs match a version of the previous site are copied from it; the others are
    built, config.jobs at a time. Raises BuildError naming every failed ref; then config.out is left
    exactly as it was. Interrupted (Ctrl-C, SIGTERM), it stops the builds and removes what it made.
    """
    if config.fetch:
        say(f"fetching matching branches and tags from {config.remote}")
        fetch_refs(config)
    versions = find_versions(config, say)
    check_complete(config, versions)
    if not versions:
        raise ConfigError(
            f"nothing to release in {config.repo}: no branch matches {', '.join(config.branches) or '(none)'} "
            f"and no tag matches {', '.join(config.tags) or '(none)'}"
        )
    plan = make_plan(config, versions)
    for line in vanished_versions(config.out, versions):
        say(line)
    packages = installed_packages()
    fingerprints = {v.name: fingerprint(config, v, packages) for v in versions}
    previous = {} if config.rebuild else previous_builds(config.out)
    staging = new_staging(config.out)
    scratch = scratch_folder()
    try:
        with STOPS.deferred(), ThreadPoolExecutor(max_workers=config.jobs) as pool:
            futures = [
                pool.submit(_build_one, config, v, fingerprints[v.name], previous, staging, scratch, say)
                for v in versions
            ]
            results = [future.result() for future in futures]
        STOPS.raise_if_requested()
        failed = [result for result in results if not result.ok]
        built = [result for result in results if result.ok]
        names = "; ".join(f"{r.version.kind} {r.version.ref} ({r.reason})" for r in failed)
        default_built = all(result.version != plan.default for result in failed)
        if failed and not (config.keep_going and built and default_built):
            raise BuildError(
                f"{len(failed)} of {len(results)} versions failed to build: {names}; {config.out} was left as it was"
            )
        if failed:
            for result in failed:
                shutil.rmtree(staging / result.version.name, ignore_errors=True)
            # Default, stable and aliases are worked out again among the versions that built.
            plan = make_plan(config, [result.version for result in built])
        write_site_files(staging, built, plan, config.base_url, fingerprints)
        publish(staging, config.out)
        if failed:
            raise BuildError(
                f"{len(failed)} of {len(results)} versions failed to build: {names}; published the "
                f"{len(built)} that built to {config.out} (--keep-going)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return results


def vanished_versions(out: Path, versions: list[Version]) -> list[str]:
    """A line for each version of the previous site that this release no longer has (its ref is gone or unmatched)."""
    try:
        data = json.loads((out / VERSIONS_FILE).read_text(encoding="utf-8"))
        previous = [(entry["kind"], entry["ref"], entry["name"]) for entry in data["versions"]]
        previous_stable = data.get("stable")
    except (OSError, ValueError, KeyError, TypeError):
        return []
    now = {version.name for version in versions}
    lines = [
        f"warning: {kind} {ref} ({name}/) is in the last site but no longer released: "
        "its ref is gone or no longer matches the patterns, so its pages leave the site"
        for kind, ref, name in previous
        if name not in now
    ]
    if previous_stable and previous_stable not in now:
        lines.append(f"warning: stable/ pointed at {previous_stable}/, which leaves the site")
    return lines


def check_replaceable(out: Path, repo: Path) -> None:
    """Refuse an output folder whose replacement would delete something that is not a previous site."""
    if out == repo or out in repo.parents:
        raise ConfigError(f"--out {out} holds the repository itself; choose a folder such as {repo / 'build/site'}")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / VERSIONS_FILE).is_file())):
        raise ConfigError(f"--out {out} exists and is not a site this command made (no {VERSIONS_FILE}); move it away")


def _build_one(
    config: ReleaseConfig,
    version: Version,
    print_: str,
    previous: dict[str, str],
    staging: Path,
    scratch: Path,
    say: Callable[[str], None],
) -> BuildResult:
    out = staging / version.name
    reused = reuse(version, print_, config.out, previous, out)
    if reused is not None:
        say(f"reusing {version.kind} {version.ref} ({version.commit[:12]}): unchanged since the last site")
        return reused
    say(f"building {version.kind} {version.ref} ({version.commit[:12]}) into {version.name}/")
    # Only what the version itself is: what the site around it says (banner, canonical link) is added
    # afterwards, so a build stays reusable when another version changes.
    context = {"docs_version": version.name, "docs_version_ref": version.ref}
    try:
        with checked_out(config.repo, version, scratch) as worktree:
            result = build_version(config, version, worktree, out, scratch, context)
    except GitError as exc:  # e.g. a partial clone whose remote cannot send the files any more
        result = BuildResult(version, False, (), str(exc))
    if not result.ok:
        say(f"FAILED {version.kind} {version.ref}: {result.reason}")
        for line in result.log_tail.splitlines():
            say(f"  | {line}")
    elif not (out / "_static" / "versions.js").is_file():
        say(f"note: {version.ref} has no version switcher (its docs predate docs/_static/versions.js)")
    return result


class _Stops:
    """Ctrl-C and SIGTERM, acted on where cleaning up is safe.

    While versions build, a signal only ends the running sphinx-builds and is remembered: raised at
    once, it could land inside the thread pool's bookkeeping and leave a worker that nobody waits
    for, still writing into the scratch folder after it has been removed. Once every worker has
    returned, :meth:`raise_if_requested` raises it. Outside that stretch a signal raises at once.
    """

    def __init__(self) -> None:
        self._deferring = False
        self._requested: int | None = None

    def reset(self) -> None:
        """Forget a stop asked for by an earlier release in this process."""
        self._deferring = False
        self._requested = None

    def handle(self, signum: int, frame: object) -> None:
        """The signal handler: stop the builds, then raise now or remember the signal for later."""
        RUNNING.stop()
        if self._deferring:
            self._requested = self._requested or signum
            return
        raise _stop_for(signum)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Within this block, signals are remembered instead of raised."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def raise_if_requested(self) -> None:
        """Raise the stop a signal asked for while it was deferred."""
        if self._requested is not None:
            raise _stop_for(self._requested)


def _stop_for(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else StoppedError("terminated")


STOPS = _Stops()


_SAYING = threading.Lock()


def say(line: str) -> None:
    """Print one line of progress, whole, also when versions build at once on several threads.

    ``print`` writes the text and its newline in two calls, so two threads could run their lines together.
    """
    with _SAYING:
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the release; print progress, and on failure one ``error:`` line; return the exit status."""
    args = parse_args(argv)

    # SIGTERM (a CI cancelling the job, `kill`) cleans up like Ctrl-C: the finally blocks run.
    STOPS.reset()
    RUNNING.reset()
    previous_handlers = {signum: signal.signal(signum, STOPS.handle) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        config = make_config(args)
        results = release(config, say)
    except StoppedError:
        print("error: terminated; the previous site was left as it was", file=sys.stderr)
        return 128 + signal.SIGTERM
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the previous site was left as it was", file=sys.stderr)
        return 130
    finally:
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)
    count = f"{len(results)} version" + ("s" if len(results) != 1 else "")
    say(f"published {count} to {config.out} (default: {results[0].version.ref})")
    return 0
