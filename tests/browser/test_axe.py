"""axe-core (bundled by axe-playwright-python) finds no serious or critical problem on any page.

axe runs once on each page at each width, in the page's one load per run (``browser_kit.study``).
"""

from __future__ import annotations

SERIOUS = {"serious", "critical"}


def test_no_serious_accessibility_violations(page_study, page_path, width):
    violations = page_study(page_path, width)["axe_violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
    assert serious == []
