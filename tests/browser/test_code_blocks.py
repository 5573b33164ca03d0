"""Code blocks as a reader uses them: copy buttons, long lines, the button over the text, touch screens."""

from __future__ import annotations

from conftest import PAGES

# What the copy button should put on the clipboard, worked out from Pygments' markup rather than
# from sphinx-copybutton's settings: in a block with prompts (`$ `, `>>> `, `... `) only the prompt
# lines, without the prompts; elsewhere the whole text. Line numbers are never copied. A prompt is
# its one trailing space too (`... ` then the indent of a continuation line, which is kept): Pygments
# puts that space in the prompt's span, and when it does not, the one space after the span goes.
EXPECTED_COPIES = """() => [...document.querySelectorAll("div.highlight")].map((block) => {
  const pre = block.querySelector("pre").cloneNode(true);
  pre.querySelectorAll(".linenos").forEach((el) => el.remove());
  const prompts = pre.querySelectorAll(".gp");
  if (prompts.length === 0) return pre.textContent;
  prompts.forEach((el) => { el.textContent = /\\s$/.test(el.textContent) ? "\\u0001" : "\\u0001\\u0002"; });
  pre.querySelectorAll(".go").forEach((el) => el.remove());
  return pre.textContent.split("\\n").filter((l) => l.startsWith("\\u0001"))
    .map((l) => l.replace(/^\\u0001(\\u0002 ?)?/, "")).join("\\n");
})"""

# Rectangles of the text under the copy button once the block is scrolled to its right end.
TEXT_UNDER_BUTTON = """(index) => {
  const block = document.querySelectorAll("div.highlight")[index];
  const pre = block.querySelector("pre");
  pre.scrollLeft = pre.scrollWidth;
  const button = block.querySelector("button.copybtn").getBoundingClientRect();
  const under = [];
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.textContent.length; i++) {
      if (/\\s/.test(node.textContent[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (r.top > button.bottom) return under;
      if (r.right > button.left && r.left < button.right && r.bottom > button.top && r.top < button.bottom)
        under.push(node.textContent[i]);
    }
  }
  return under;
}"""

# Console sessions and output blocks whose text runs past the visible box.
CUT_OFF_OUTPUT = """() => [...document.querySelectorAll(".highlight-console pre, .highlight-text pre")]
  .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""))"""


def _pages_with_code(open_page, release_site, width: str, **options):
    visit = open_page(width=width, **options)
    for page_path in PAGES:
        visit.goto(release_site.default.url(page_path))
        count = visit.page.locator("div.highlight button.copybtn").count()
        if count:
            yield page_path, visit, count


def test_every_copy_button_copies_exactly_the_code(release_site, open_page, width):
    checked, wrong = 0, []
    pages = _pages_with_code(open_page, release_site, width, permissions=["clipboard-read", "clipboard-write"])
    for page_path, visit, count in pages:
        expected = visit.page.evaluate(EXPECTED_COPIES)
        assert len(expected) == count, f"{page_path}: a code block without a copy button"
        for index in range(count):
            block = visit.page.locator("div.highlight").nth(index)
            block.scroll_into_view_if_needed()
            block.hover()
            block.locator("button.copybtn").click()
            copied = visit.page.evaluate("navigator.clipboard.readText()")
            checked += 1
            if copied.rstrip("\n") != expected[index].rstrip("\n"):
                wrong.append((page_path, index, copied, expected[index]))
    assert checked > 10
    assert wrong == []


def test_copy_button_never_covers_the_end_of_a_line(release_site, open_page, width):
    checked, covered = 0, []
    for page_path, visit, count in _pages_with_code(open_page, release_site, width):
        for index in range(count):
            block = visit.page.locator("div.highlight").nth(index)
            block.scroll_into_view_if_needed()
            block.hover()
            under = visit.page.evaluate(TEXT_UNDER_BUTTON, index)
            checked += 1
            if under:
                covered.append((page_path, index, "".join(under)))
    assert checked > 10
    assert covered == []


def test_copy_buttons_show_without_hover_on_a_touch_screen(release_site, open_page):
    checked, hidden = 0, []
    for page_path, visit, _count in _pages_with_code(open_page, release_site, "phone"):
        opacities = visit.page.eval_on_selector_all(
            "div.highlight button.copybtn", "buttons => buttons.map(b => getComputedStyle(b).opacity)"
        )
        checked += len(opacities)
        hidden += [(page_path, i) for i, opacity in enumerate(opacities) if float(opacity) < 1]
    assert checked > 10
    assert hidden == []


def test_console_output_wraps_so_every_line_reads_whole(release_site, open_page, width):
    visit = open_page(width=width)
    cut = []
    for page_path in PAGES:
        visit.goto(release_site.default.url(page_path))
        cut += [(page_path, line) for line in visit.page.evaluate(CUT_OFF_OUTPUT)]
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
