"""Entry point for ``python -m tools.release_site``."""

import sys

from .cli import main

sys.exit(main())
