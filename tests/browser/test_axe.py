"""axe-core (bundled by axe-playwright-python) finds no serious or critical problem on any page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}


def test_no_serious_accessibility_violations(release_site, open_page, page_path, width):
    visit = open_page(release_site.default.url(page_path), width)
    violations = Axe().run(visit.page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
    assert serious == []
