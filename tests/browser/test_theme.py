"""Dark mode: the reader's choice carries to the next page, and names in code are not underlined."""

from __future__ import annotations

import pytest
from conftest import PAGES

# Elements in code blocks drawn underlined although they are not links.
UNDERLINED_IN_CODE = """() => {
  const names = document.querySelectorAll(".highlight .nc, .highlight .nn");
  const underlined = [...document.querySelectorAll(".highlight pre *")]
    .filter((el) => !el.closest("a") && getComputedStyle(el).textDecorationLine.includes("underline"))
    .map((el) => el.textContent);
  return { names: names.length, underlined };
}"""


def test_dark_mode_choice_persists_to_the_next_page(release_site, open_page, width):
    visit = open_page(release_site.default.url("index.html"), width, color_scheme="light")
    toggle = visit.page.locator(".theme-toggle:visible").first
    for _ in range(3):  # Furo cycles auto, dark, light
        if visit.page.evaluate("document.body.dataset.theme") == "dark":
            break
        toggle.click()
    assert visit.page.evaluate("document.body.dataset.theme") == "dark"
    with visit.page.expect_navigation():
        visit.page.locator("a.next-page").first.click()
    assert visit.page.url != release_site.default.url("index.html")
    assert visit.page.evaluate("document.body.dataset.theme") == "dark"
    assert visit.page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"


@pytest.mark.parametrize("how", ["chosen", "system"])
def test_names_in_code_are_not_underlined_in_dark_mode(release_site, open_page, how):
    if how == "chosen":
        visit = open_page(color_scheme="light")
        visit.page.add_init_script("localStorage.setItem('theme', 'dark')")
    else:
        visit = open_page(color_scheme="dark")
    names, underlined = 0, []
    for page_path in PAGES:
        visit.goto(release_site.default.url(page_path))
        seen = visit.page.evaluate(UNDERLINED_IN_CODE)
        names += seen["names"]
        underlined += [(page_path, text) for text in seen["underlined"]]
    assert names > 0, "no class or module names in any code block: the check saw nothing"
    assert underlined == []
