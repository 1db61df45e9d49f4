/* The search box as an ARIA combobox (partials/search.html): as the reader types, the listbox
   above the results offers names from jx-names.js at once, and jx-search.js fills the full-text
   results below. It waits for the IME to commit, and opens, closes and walks the search dialog
   by keyboard as Material's own does. Loaded after jx-names.js and jx-search.js (mkdocs.yml). */
(function (jx) {
  "use strict";
  var root = document.querySelector("[data-jx-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle || !jx.names || !jx.search) return;
  var form = root.querySelector("form");
  var input = root.querySelector(".md-search__input");
  var list = root.querySelector(".md-search-result__list");
  var names = jx.names(new URL(root.getAttribute("data-jx-names"), location.href));
  var results = jx.search(root);
  var suggestBox = document.getElementById("jx-suggest");
  var suggestStatus = document.getElementById("jx-suggest-status");
  var suggestions = [];
  var active = -1;
  var composing = false;
  var seq = 0;
  var timer = 0;

  function showSuggestions(found, query) {
    suggestions = found || [];
    // Which query the list answers (read by scripts/bench_browser.py and the tests).
    suggestBox.setAttribute("data-query", query || "");
    active = -1;
    suggestBox.textContent = "";
    input.removeAttribute("aria-activedescendant");
    suggestions.forEach(function (s, n) {
      var li = document.createElement("li");
      li.id = "jx-suggest-" + n;
      li.className = "jx-suggest__option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "jx-suggest__name";
      name.textContent = s.name;
      var kind = document.createElement("span");
      kind.className = "jx-suggest__kind";
      kind.textContent = s.kind + (s.detail ? " · " + s.detail : "");
      li.append(name, kind);
      li.setAttribute("data-href", s.href);
      suggestBox.appendChild(li);
    });
    var open = suggestions.length > 0;
    suggestBox.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    suggestStatus.textContent = open ? suggestions.length + " 个名称建议，可用上下方向键选择" : "";
  }

  function collapse() {
    showSuggestions(null);
  }

  function highlight(n) {
    var options = suggestBox.querySelectorAll("[role=option]");
    active = n;
    options.forEach(function (li, i) {
      li.setAttribute("aria-selected", i === n ? "true" : "false");
      li.classList.toggle("jx-suggest__option--active", i === n);
    });
    if (n >= 0 && options[n]) {
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(n) {
    var li = suggestBox.querySelectorAll("[role=option]")[n];
    if (!li) return false;
    toggle.checked = false;
    location.href = li.getAttribute("data-href");
    return true;
  }

  // Keep the focus in the box when an option is pressed, as the combobox pattern wants.
  suggestBox.addEventListener("mousedown", function (event) { event.preventDefault(); });
  suggestBox.addEventListener("click", function (event) {
    var li = event.target.closest("[role=option]");
    if (li) go(Array.prototype.indexOf.call(suggestBox.children, li));
  });

  function search() {
    var query = input.value.trim();
    var mine = ++seq;
    var current = function () { return mine === seq; };
    // Names first, from the names index alone: shown as soon as its shard is in.
    if (query) {
      names.suggest(query).then(function (found) {
        if (current()) showSuggestions(found, query);
      }).catch(function () {
        if (current()) collapse();
      });
    } else {
      collapse();
    }
    results.find(query, current);
  }

  // Wait for the IME to commit the characters: the pinyin being composed is not the query.
  input.addEventListener("compositionstart", function () {
    composing = true;
    clearTimeout(timer);
  });
  input.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(search, 50);
  });
  input.addEventListener("compositionend", function () {
    composing = false;
    clearTimeout(timer);
    timer = setTimeout(search, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // Enter: the chosen suggestion, else the first suggestion, else the first result.
    if (go(active >= 0 ? active : 0)) return;
    var first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      search();
      input.focus();
    }, 0);
  });

  // Start fetching the bundle as soon as the reader shows intent, not with every page.
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      names.load();
      results.load();
      setTimeout(function () { input.focus(); }, 50);
    } else {
      input.blur();
    }
  });
  // A finger or mouse going down on the search is intent enough to start fetching.
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest("label[for='__search'], .md-search__input")) {
      names.load();
      results.load();
    }
  }, true);
  // On wide screens the box sits in the header: focusing it opens the dialog, as in Material.
  input.addEventListener("focus", function () {
    names.load();
    results.load();
    if (!toggle.checked) open();
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) toggle.checked = false;
  });

  function open() {
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
      }
      return;
    }
    if (event.isComposing || composing) return;  // the IME's own keys
    var inBox = target === input && !suggestBox.hidden;
    if (inBox && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      if (event.key === "ArrowUp") return highlight(Math.max(active - 1, -1));
      if (active < suggestions.length - 1) return highlight(active + 1);
      // Past the last suggestion: on to the full-text results, as before.
      highlight(-1);
      var firstLink = list.querySelector("a, button");
      if (firstLink) firstLink.focus();
      return;
    }
    if (event.key === "Escape" && inBox) {
      event.preventDefault();
      collapse();
      return;
    }
    if (event.key === "Escape") {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      var button = document.querySelector(".md-header label[for='__search']");
      if (button) button.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var links = Array.prototype.slice.call(list.querySelectorAll("a, button"));
      if (!links.length) return;
      event.preventDefault();
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    }
  });
})(window.jx = window.jx || {});
