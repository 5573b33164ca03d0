/*
 * Version switcher and "other version" banner for sites built by tools/release_site.
 *
 * The sidebar template (docs/_templates/sidebar/versions.html) renders the current version's label.
 * Only pages of a release build carry data-version: there this script adds the banner on
 * non-default versions (linking this page in the default version when the template says it is
 * there, so it needs no JSON), then reads ../versions.json to offer every version. Any failure (no
 * JSON, a site opened from disk, an old browser) leaves the label and banner as they are.
 */
(function (global) {
  "use strict";

  // The page in `entry` to open when switching from `page`: the same page, else the version's index.
  function pageIn(entry, page) {
    return entry.url + ((entry.pages || []).indexOf(page) !== -1 ? page : "index.html");
  }

  // One choice per version, hrefs relative to the site root, the current version selected.
  function choices(data, current, page) {
    return (data.versions || []).map(function (entry) {
      var href = entry.name === current ? entry.url + page : pageIn(entry, page);
      return { name: entry.name, label: entry.ref || entry.name, href: href, selected: entry.name === current };
    });
  }

  function addBanner(doc, box) {
    var version = box.getAttribute("data-version");
    var fallback = box.getAttribute("data-default");
    if (!fallback || fallback === version) return;
    var samePage = box.getAttribute("data-same-page-in-default") === "true";
    var defaultRef = box.getAttribute("data-default-ref");
    var banner = doc.createElement("aside");
    banner.className = "docs-version-banner";
    banner.setAttribute("role", "note");
    var text = doc.createElement("span");
    text.textContent = "You are reading the docs for " + box.getAttribute("data-version-ref") + ", not the default version. ";
    var link = doc.createElement("a");
    link.href = box.getAttribute("data-site-root") + fallback + "/" + (samePage ? box.getAttribute("data-page") : "index.html");
    link.textContent = samePage ? "Read this page in the " + defaultRef + " docs" : "Go to the " + defaultRef + " docs";
    banner.appendChild(text);
    banner.appendChild(link);
    // Above Furo's floating page icons when they are there, else at the top of the main content.
    var icons = doc.querySelector(".content-icon-container");
    var main = doc.querySelector("article[role=main]") || doc.querySelector("[role=main]") || doc.body;
    if (icons && icons.parentNode) icons.parentNode.insertBefore(banner, icons);
    else main.insertBefore(banner, main.firstChild);
  }

  function addSelect(doc, box, data) {
    var siteRoot = box.getAttribute("data-site-root");
    var list = choices(data, box.getAttribute("data-version"), box.getAttribute("data-page"));
    if (list.length < 2) return;
    var select = doc.createElement("select");
    select.className = "docs-versions-select";
    select.setAttribute("aria-label", "Documentation version");
    list.forEach(function (choice) {
      var option = doc.createElement("option");
      option.value = siteRoot + choice.href;
      option.textContent = choice.label;
      option.selected = choice.selected;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { global.location.href = select.value; });
    var current = box.querySelector(".docs-versions-current");
    box.replaceChild(select, current);
  }

  function start(doc) {
    var box = doc.querySelector(".docs-versions[data-version]");
    if (!box) return; // a single-version build: the label is all there is
    addBanner(doc, box);
    // Browsers refuse fetch() from file:// pages; skip it there rather than log an error.
    if (typeof global.fetch !== "function" || global.location.protocol === "file:") return;
    global
      .fetch(box.getAttribute("data-versions-json"))
      .then(function (response) {
        if (!response.ok) throw new Error("versions.json: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        addSelect(doc, box, data);
      })
      .catch(function () {
        // No versions.json here (a preview, a copy of one version): keep the current version's label.
      });
  }

  var api = { pageIn: pageIn, choices: choices, start: start };
  if (typeof module === "object" && module.exports) {
    module.exports = api; // for the tests, run under node
  } else if (global.document) {
    if (global.document.readyState === "loading") {
      global.document.addEventListener("DOMContentLoaded", function () { start(global.document); });
    } else {
      start(global.document);
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
