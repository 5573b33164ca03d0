#!/usr/bin/env bash
# Build the example: compile the Hello contract (hello.q) into its Python library (hello.py).
set -euo pipefail
cd "$(dirname "$0")"
python -m quark_threaded_runtime.compile hello.q -o hello.py
