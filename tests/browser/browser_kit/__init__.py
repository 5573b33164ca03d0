"""What the browser suite needs besides the browser: the site builds, a web server, and Chromium's path."""
