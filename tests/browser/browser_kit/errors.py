"""The browser suite's errors: one base class, one subclass per cause."""


class BrowserSuiteError(RuntimeError):
    """The suite cannot set up what it opens; the message names the thing and the cause."""


class ChromiumMissingError(BrowserSuiteError):
    """No Chromium executable where the suite looks for one."""


class SiteBuildError(BrowserSuiteError):
    """A build command exited non-zero; the message holds the command and the end of its output."""


class OnceFailedError(BrowserSuiteError):
    """Work the run does once failed in another worker; the message holds that worker's error."""
