"""Scripts the suite runs in a page to read what a reader would see; each returns plain JSON."""

from __future__ import annotations

# Whether the page is wider than the window, and what sticks out or is cut off: content may only
# run past the window inside a code block or table that scrolls sideways within the window (the
# navigation drawers sit off-screen on purpose).
PAGE_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrolls = (box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
    && box.getBoundingClientRect().right <= width + 1 && box.getBoundingClientRect().left >= -1;
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "");
  const outside = [...document.querySelectorAll("body *")].filter((el) => {
    if (el.offsetParent === null || el.closest(".sidebar-drawer, .toc-drawer")) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 1 && r.left >= -1)) return false;
    const box = el.parentElement && el.parentElement.closest(".highlight pre, .table-wrapper");
    return !(box && scrolls(box));
  });
  const unscrolled = [...document.querySelectorAll("article pre, article .table-wrapper")]
    .filter((box) => box.scrollWidth > box.clientWidth + 1 && !scrolls(box));
  return { scrollWidth: root.scrollWidth, clientWidth: width,
           wide: [...outside, ...unscrolled].slice(0, 5).map(name) };
}"""

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

# Characters of the text under the copy button once the block is scrolled to its right end.
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

# Console sessions and output blocks whose text runs past the visible box: their longest lines.
CUT_OFF_OUTPUT = """() => [...document.querySelectorAll(".highlight-console pre, .highlight-text pre")]
  .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""))"""

# The copy buttons' opacity as drawn now (read before the pointer has been over any block).
BUTTON_OPACITIES = """() => [...document.querySelectorAll("div.highlight button.copybtn")]
  .map((b) => getComputedStyle(b).opacity)"""

# Links to GitHub as written in the page (the attribute, not the resolved URL).
GITHUB_LINKS = """() => [...document.querySelectorAll("a[href^='https://github.com/']")]
  .map((a) => a.getAttribute("href"))"""

# Resolves once every running CSS transition has ended (the page then looks as it will stay).
SETTLE_TRANSITIONS = """() => Promise.all(document.getAnimations()
  .filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => null)))"""
