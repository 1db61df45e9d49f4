/* Site search: Material's search dialog (partials/search.html) over a Pagefind index.
   Pagefind splits its index into small chunks and fetches only those a query needs,
   so the first result does not wait for the whole index to download and load, as
   Material's worker does. The bundle is loaded when the dialog opens, not with the page. */
(function () {
  "use strict";
  var root = document.querySelector("[data-jx-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  var form = root.querySelector("form");
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var PAGE = 10;
  var bundle = new URL(root.getAttribute("data-jx-search"), location.href);
  var t = translations();
  var pagefind = null;
  var seq = 0;
  var timer = 0;

  function translations() {
    try {
      return JSON.parse(document.getElementById("__config").textContent).translations || {};
    } catch (e) {
      return {};
    }
  }

  function say(key, count, fallback) {
    var text = t[key] || fallback;
    return count === undefined ? text : text.replace("#", String(count));
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        // Result URLs relative to the site root, so a site under a sub-path still links right.
        return pf.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 36 }).then(function () {
          return pf;
        });
      });
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
  }

  // Pagefind's excerpt is HTML; keep its text and <mark> only, whatever the page held,
  // without the zero-width spaces its Chinese segmenter puts between words.
  function text(node) {
    return document.createTextNode(node.textContent.replace(/\u200b/g, ""));
  }

  function excerpt(html) {
    var out = document.createElement("p");
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    doc.body.childNodes.forEach(function copy(node) {
      if (node.nodeType === 3) {
        out.appendChild(text(node));
      } else if (node.nodeName === "MARK") {
        // Chinese terms come back a character or word per <mark>: one mark per run reads better.
        var mark = out.lastChild && out.lastChild.nodeName === "MARK" ? out.lastChild : out.appendChild(document.createElement("mark"));
        mark.appendChild(text(node));
        mark.normalize();
      } else if (node.nodeType === 1) {
        node.childNodes.forEach(copy);
      }
    });
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.append(icon, title, excerpt(data.excerpt || ""));
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function more(results, shown, mine) {
    var rest = results.length - shown;
    if (rest <= 0) return;
    var li = document.createElement("li");
    li.className = "md-search-result__item jx-search-more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = rest === 1 ? say("search.result.more.one", 1, "还有 1 个结果") : say("search.result.more.other", rest, "还有 # 个结果");
    button.addEventListener("click", function () {
      li.remove();
      show(results, shown, mine);
    });
    li.appendChild(button);
    list.appendChild(li);
  }

  // The first result is fetched and shown alone, so it is not queued behind the others'
  // excerpts on a slow phone; the rest load in parallel and show in order.
  function show(results, from, mine) {
    var batch = results.slice(from, from + PAGE);
    var first = batch.length ? batch[0].data() : Promise.resolve(null);
    var pending = [first].concat(batch.slice(1).map(function (r) {
      return first.then(function () { return r.data(); });
    }));
    return pending.slice(0, batch.length).reduce(function (chain, next) {
      return chain.then(function () { return next; }).then(function (data) {
        if (mine === seq) list.appendChild(item(data));
      });
    }, Promise.resolve()).then(function () {
      if (mine === seq) more(results, from + batch.length, mine);
    });
  }

  function search() {
    var query = input.value.trim();
    var mine = ++seq;
    // Busy until every result of this query is in the list (screen readers wait; so do tests).
    list.setAttribute("aria-busy", "true");
    var done = function () {
      if (mine === seq) list.removeAttribute("aria-busy");
    };
    if (!query) {
      done();
      list.textContent = "";
      meta.textContent = say("search.result.placeholder", undefined, "键入以开始搜索");
      return;
    }
    load().then(function (pf) {
      return pf.search(query);
    }).then(function (found) {
      if (mine !== seq || !found) return;
      var results = found.results;
      list.textContent = "";
      meta.textContent = results.length === 0 ? say("search.result.none", undefined, "没有找到符合条件的结果")
        : results.length === 1 ? say("search.result.one", 1, "找到 1 个符合条件的结果")
        : say("search.result.other", results.length, "找到 # 个符合条件的结果");
      return show(results, 0, mine);
    }).catch(function () {
      if (mine !== seq) return;
      list.textContent = "";
      meta.textContent = "搜索暂时无法使用，请稍后再试。";
    }).then(done);
  }

  input.addEventListener("input", function (event) {
    // Wait for the IME to commit the characters; pinyin letters are not the query.
    if (event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(search, 50);
  });
  input.addEventListener("compositionend", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
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
      load();
      setTimeout(function () { input.focus(); }, 50);
    } else {
      input.blur();
    }
  });
  // A finger or mouse going down on the search is intent enough to start fetching.
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest("label[for='__search'], .md-search__input")) load();
  }, true);
  // On wide screens the box sits in the header: focusing it opens the dialog, as in Material.
  input.addEventListener("focus", function () {
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
})();
