"""The errors the release command reports: one hierarchy, each message a single line for the CLI."""


class ReleaseError(Exception):
    """Base class: anything that stops a release, reported as ``error: <message>`` with exit status 1."""


class ConfigError(ReleaseError):
    """A pattern, option or config table that cannot be used."""


class GitError(ReleaseError):
    """A git command failed; the message names the command and git's own reason."""


class MissingRefsError(ReleaseError):
    """The clone lacks refs the release needs (shallow or single-branch clone); says what to fetch."""


class BuildError(ReleaseError):
    """One or more versions failed to build; the message names each failed ref."""


class StoppedError(ReleaseError):
    """The release was stopped (Ctrl-C or SIGTERM); what it had started is cleaned up."""


class BusyError(ReleaseError):
    """Another release is publishing into the same folder, and this one was told not to wait."""
