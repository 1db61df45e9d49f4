/* Filters of the studio directory and the story list: progressive enhancement.
 *
 * Without JavaScript each option of a list page ([data-jx-filter]) is a link to a
 * static page of that value. Here the links become toggle buttons that show and
 * hide the cards ([data-jx-item]) in place. A card carries its values as
 * space-separated slugs in data-<facet> attributes, written by the build.
 * Options of one facet are alternatives (OR); different facets must all hold
 * (AND). Each option shows how many cards would remain if it were chosen along
 * with the other facets' choices. The choice is kept in the query string
 * (?industry=huagong&county=wudixian), so it survives reload and can be shared.
 *
 * All reader-facing words come from the page (data-jx-template), none from here.
 */
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function toButton(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("data-jx-facet", link.getAttribute("data-jx-facet"));
    button.setAttribute("data-jx-value", link.getAttribute("data-jx-value"));
    while (link.firstChild) button.appendChild(link.firstChild);
    link.parentNode.replaceChild(button, link);
    return button;
  }

  function setup(root) {
    var links = root.querySelectorAll("a[data-jx-facet][data-jx-value]");
    var status = root.querySelector("[data-jx-status]");
    if (!links.length || !status) return;

    var buttons = Array.prototype.map.call(links, toButton);
    var items = root.querySelectorAll("[data-jx-item]");
    var groups = root.querySelectorAll("[data-jx-group]");
    var empty = root.querySelector("[data-jx-empty]");
    var template = status.getAttribute("data-jx-template") || "{n}";
    var keys = [];
    var chosen = {}; // facet key -> { slug: true }

    buttons.forEach(function (b) {
      var key = b.getAttribute("data-jx-facet");
      if (!chosen[key]) { chosen[key] = {}; keys.push(key); }
    });
    // Each card's slugs per facet, read once.
    var values = Array.prototype.map.call(items, function (item) {
      var v = {};
      keys.forEach(function (key) {
        var raw = item.getAttribute("data-" + key);
        v[key] = raw ? raw.split(" ") : [];
      });
      return v;
    });

    function matches(v, skip) {
      return keys.every(function (key) {
        var picked = chosen[key];
        if (key === skip || !Object.keys(picked).length) return true;
        return v[key].some(function (slug) { return picked[slug] === true; });
      });
    }

    function save() {
      if (!window.history || !history.replaceState || typeof URLSearchParams !== "function") return;
      var params = new URLSearchParams(location.search);
      keys.forEach(function (key) { params.delete(key); });
      buttons.forEach(function (b) {
        var key = b.getAttribute("data-jx-facet"), slug = b.getAttribute("data-jx-value");
        if (chosen[key][slug]) params.append(key, slug);
      });
      var query = params.toString();
      // Keep Material's history state: instant navigation stores the scroll position there.
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function load() {
      if (typeof URLSearchParams !== "function") return;
      var params = new URLSearchParams(location.search);
      buttons.forEach(function (b) {
        var key = b.getAttribute("data-jx-facet"), slug = b.getAttribute("data-jx-value");
        if (params.getAll(key).indexOf(slug) >= 0) chosen[key][slug] = true;
      });
    }

    function update(remember) {
      var shown = 0;
      each(items, function (item, i) {
        var ok = matches(values[i]);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      each(groups, function (group) {
        group.hidden = !group.querySelector("[data-jx-item]:not([hidden])");
      });
      buttons.forEach(function (b) {
        var key = b.getAttribute("data-jx-facet"), slug = b.getAttribute("data-jx-value");
        var n = values.filter(function (v) { return v[key].indexOf(slug) >= 0 && matches(v, key); }).length;
        var count = b.querySelector("[data-jx-count]");
        if (count) count.textContent = String(n);
        b.setAttribute("aria-pressed", chosen[key][slug] ? "true" : "false");
        b.classList.toggle("jx-option--none", n === 0);
      });
      var text = template.replace("{n}", String(shown));
      if (status.textContent !== text) status.textContent = text;
      if (empty) empty.hidden = shown > 0;
      if (remember) save();
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var picked = chosen[b.getAttribute("data-jx-facet")], slug = b.getAttribute("data-jx-value");
        if (picked[slug]) delete picked[slug]; else picked[slug] = true;
        update(true);
      });
    });
    each(root.querySelectorAll("[data-jx-reset]"), function (reset) {
      reset.addEventListener("click", function () {
        keys.forEach(function (key) { chosen[key] = {}; });
        update(true);
      });
    });
    each(root.querySelectorAll("[data-jx-controls]"), function (el) { el.hidden = false; });
    root.classList.add("jx-directory--filtering");
    load();
    update(false);
  }

  function init() {
    each(document.querySelectorAll("[data-jx-filter]"), function (root) {
      // document$ replays the current page, and instant navigation brings new ones: set up each list once.
      if (root.hasAttribute("data-jx-ready")) return;
      root.setAttribute("data-jx-ready", "");
      setup(root);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
