/*
 * Version switcher and "other version" banner for sites built by tools/release_site.
 *
 * The sidebar template (docs/_templates/sidebar/versions.html) renders the current version's label.
 * Only pages of a release build carry data-version: there this script adds the banner on
 * non-default versions, then reads ../versions.json to offer every version. Any failure (no JSON,
 * a site opened from disk, an old browser) leaves the label and banner as they are: the page works.
 */
(function (global) {
  "use strict";

  // The page in `entry` to open when switching from `page`: the same page, else the version's index.
  function pageIn(entry, page) {
    var pages = entry.pages || [];
    if (pages.indexOf(page) !== -1) return { href: entry.url + page, samePage: true };
    return { href: entry.url + "index.html", samePage: false };
  }

  // One choice per version, hrefs relative to the site root, the current version selected.
  function choices(data, current, page) {
    return (data.versions || []).map(function (entry) {
      var target = entry.name === current ? { href: entry.url + page } : pageIn(entry, page);
      return { name: entry.name, label: entry.ref || entry.name, href: target.href, selected: entry.name === current };
    });
  }

  // Where the banner of a non-default version points; null on the default version.
  function bannerTarget(data, current, page) {
    var entry = (data.versions || []).filter(function (v) { return v.default; })[0];
    if (!entry || entry.name === current) return null;
    var target = pageIn(entry, page);
    return { label: entry.ref || entry.name, href: target.href, samePage: target.samePage };
  }

  function addBanner(doc, box) {
    var version = box.getAttribute("data-version");
    var fallback = box.getAttribute("data-default");
    if (!fallback || fallback === version) return null;
    var banner = doc.createElement("aside");
    banner.className = "docs-version-banner";
    banner.setAttribute("role", "note");
    var text = doc.createElement("span");
    text.textContent = "You are reading the docs for " + box.getAttribute("data-version-ref") + ", not the default version. ";
    var link = doc.createElement("a");
    link.href = box.getAttribute("data-site-root") + fallback + "/index.html";
    link.textContent = "Go to the " + box.getAttribute("data-default-ref") + " docs";
    banner.appendChild(text);
    banner.appendChild(link);
    // Above Furo's floating page icons when they are there, else at the top of the main content.
    var icons = doc.querySelector(".content-icon-container");
    var main = doc.querySelector("article[role=main]") || doc.querySelector("[role=main]") || doc.body;
    if (icons && icons.parentNode) icons.parentNode.insertBefore(banner, icons);
    else main.insertBefore(banner, main.firstChild);
    return link;
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
    var link = addBanner(doc, box);
    // Browsers refuse fetch() from file:// pages; skip it there rather than log an error.
    if (typeof global.fetch !== "function" || global.location.protocol === "file:") return;
    global
      .fetch(box.getAttribute("data-versions-json"))
      .then(function (response) {
        if (!response.ok) throw new Error("versions.json: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var page = box.getAttribute("data-page");
        addSelect(doc, box, data);
        var target = bannerTarget(data, box.getAttribute("data-version"), page);
        if (link && target && target.samePage) {
          link.href = box.getAttribute("data-site-root") + target.href;
          link.textContent = "Read this page in the " + target.label + " docs";
        }
      })
      .catch(function () {
        // No versions.json here (a preview, a copy of one version): keep the current version's label.
      });
  }

  var api = { pageIn: pageIn, choices: choices, bannerTarget: bannerTarget, start: start };
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
