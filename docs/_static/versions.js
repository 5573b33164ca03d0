/*
 * Version switcher for sites built by tools/release_site.
 *
 * The sidebar template (docs/_templates/sidebar/versions.html) renders the current version's label,
 * and the release tool writes the "other version" banner into each page's HTML, so both work without
 * JavaScript. Only pages of a release build carry data-version: there this script reads
 * ../versions.json and turns the label into a menu of every listed version, each labelled with its
 * aliases ("v1.2 (stable)"); hidden versions are left out unless they are the one being read. Any
 * failure (no JSON, a site opened from disk, an old browser) leaves the label as it is.
 */
(function (global) {
  "use strict";

  // The page in `entry` to open when switching from `page`: the same page, else the version's index.
  function pageIn(entry, page) {
    return entry.url + ((entry.pages || []).indexOf(page) !== -1 ? page : "index.html");
  }

  // "v1.2 (stable)": the ref, then the aliases that stand for it.
  function labelOf(entry) {
    var label = entry.ref || entry.name;
    return entry.aliases && entry.aliases.length ? label + " (" + entry.aliases.join(", ") + ")" : label;
  }

  // One choice per listed version, hrefs relative to the site root, the current version selected.
  function choices(data, current, page) {
    return (data.versions || [])
      .filter(function (entry) { return !entry.hidden || entry.name === current; })
      .map(function (entry) {
        var href = entry.name === current ? entry.url + page : pageIn(entry, page);
        return { name: entry.name, label: labelOf(entry), href: href, selected: entry.name === current };
      });
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

  if (global.document) {
    if (global.document.readyState === "loading") {
      global.document.addEventListener("DOMContentLoaded", function () { start(global.document); });
    } else {
      start(global.document);
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
