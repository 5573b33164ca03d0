"""Code blocks as a reader uses them: copy buttons, long lines, the button over the text, touch screens."""

from __future__ import annotations

from conftest import PAGES

# The scripts that read the blocks (what each button should copy, the text under a button, output
# cut off at the right) are in browser_kit.readings; each page's one load per width runs them.


def _pages_with_code(page_study, width: str):
    for page_path in PAGES:
        study = page_study(page_path, width)
        if study["copy_buttons"]:
            yield page_path, study


def test_every_copy_button_copies_exactly_the_code(page_study, width):
    checked, wrong = 0, []
    for page_path, study in _pages_with_code(page_study, width):
        expected, buttons = study["expected_copies"], study["copy_buttons"]
        assert len(expected) == len(buttons), f"{page_path}: a code block without a copy button"
        for index, button in enumerate(buttons):
            checked += 1
            if button["copied"].rstrip("\n") != expected[index].rstrip("\n"):
                wrong.append((page_path, index, button["copied"], expected[index]))
    assert checked > 10
    assert wrong == []


def test_copy_button_never_covers_the_end_of_a_line(page_study, width):
    checked, covered = 0, []
    for page_path, study in _pages_with_code(page_study, width):
        for index, button in enumerate(study["copy_buttons"]):
            checked += 1
            if button["under"]:
                covered.append((page_path, index, "".join(button["under"])))
    assert checked > 10
    assert covered == []


def test_copy_buttons_show_without_hover_on_a_touch_screen(page_study):
    checked, hidden = 0, []
    for page_path, study in _pages_with_code(page_study, "phone"):
        opacities = study["button_opacities"]
        checked += len(opacities)
        hidden += [(page_path, i) for i, opacity in enumerate(opacities) if float(opacity) < 1]
    assert checked > 10
    assert hidden == []


def test_console_output_wraps_so_every_line_reads_whole(page_study, width):
    cut = []
    for page_path in PAGES:
        cut += [(page_path, line) for line in page_study(page_path, width)["cut_off_output"]]
    assert cut == []


def test_error_lines_on_the_running_page_are_visible_whole(release_site, open_page, width):
    visit = open_page(release_site.default.url("running.html"), width)
    errors = visit.page.locator(".highlight .go", has_text="error:")
    assert errors.count() >= 2
    for index in range(errors.count()):
        line = errors.nth(index)
        line.scroll_into_view_if_needed()
        box = line.evaluate(
            """(el) => { const pre = el.closest("pre").getBoundingClientRect();
                 return [...el.getClientRects()].every(r => r.left >= pre.left - 1 && r.right <= pre.right + 1); }"""
        )
        assert box, f"{line.text_content()!r} runs out of its block"
