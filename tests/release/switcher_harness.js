// Runs docs/_static/versions.js's start() against a minimal stand-in DOM, under node.
// Input (stdin, JSON): {script, attrs, protocol, versions (object, or null for a failed fetch)}.
// Output (stdout, JSON): what a reader would see: the label, the menu options, the banner.
"use strict";

class Element {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.attributes = {};
    this.className = "";
    this.textContent = "";
    this.parentNode = null;
    this.listeners = {};
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  appendChild(child) { child.parentNode = this; this.children.push(child); return child; }
  insertBefore(child, before) {
    const at = before ? this.children.indexOf(before) : this.children.length;
    child.parentNode = this;
    this.children.splice(at < 0 ? this.children.length : at, 0, child);
    return child;
  }
  replaceChild(child, old) {
    const at = this.children.indexOf(old);
    if (at < 0) throw new Error("replaceChild: not a child");
    child.parentNode = this;
    this.children[at] = child;
    return old;
  }
  get firstChild() { return this.children[0] || null; }
  addEventListener(type, listener) { this.listeners[type] = listener; }
  querySelector(selector) {
    for (const child of this.children) {
      if (child.matches(selector)) return child;
      const found = child.querySelector(selector);
      if (found) return found;
    }
    return null;
  }
  matches(selector) {
    if (selector === ".docs-versions[data-version]") return this.className === "docs-versions" && "data-version" in this.attributes;
    if (selector === ".docs-versions-current") return this.className === "docs-versions-current";
    if (selector === "article[role=main]") return this.tagName === "ARTICLE" && this.attributes.role === "main";
    if (selector === "[role=main]") return this.attributes.role === "main";
    if (selector === ".content-icon-container") return this.className === "content-icon-container";
    return false;
  }
}

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
// Furo's shape: the page icons, then the article; other themes have only a role=main element.
const body = new Element("body");
if (input.furo) body.appendChild(new Element("div")).className = "content-icon-container";
const article = body.appendChild(new Element("article"));
article.setAttribute("role", "main");
article.appendChild(new Element("h1")).textContent = "A page";
const box = body.appendChild(new Element("div"));
box.className = "docs-versions";
for (const [name, value] of Object.entries(input.attrs)) box.setAttribute(name, value);
const label = box.appendChild(new Element("span"));
label.className = "docs-versions-current";
label.textContent = input.label;

const fetched = [];
const errors = [];
globalThis.location = { protocol: input.protocol, href: "" };
globalThis.fetch = (url) => {
  fetched.push(url);
  if (input.versions === null) return Promise.resolve({ ok: false, status: 404 });
  return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(input.versions) });
};
process.on("unhandledRejection", (reason) => errors.push(String(reason)));

const doc = { body, querySelector: (s) => body.querySelector(s), createElement: (t) => new Element(t) };
const api = require(input.script);
try {
  api.start(doc);
} catch (error) {
  errors.push(String(error));
}

setTimeout(() => {
  const select = box.children.find((c) => c.tagName === "SELECT");
  const holder = input.furo ? body : article;
  const banner = holder.children.find((c) => c.className === "docs-version-banner");
  const link = banner && banner.children.find((c) => c.tagName === "A");
  const current = box.children.find((c) => c.className === "docs-versions-current");
  console.log(JSON.stringify({
    fetched,
    errors,
    label: current ? current.textContent : null,
    options: select ? select.children.map((o) => ({ text: o.textContent, value: o.value, selected: o.selected })) : null,
    banner: banner ? { text: banner.children.map((c) => c.textContent).join(""), href: link.href, first: holder.firstChild === banner } : null,
  }));
}, 50);
