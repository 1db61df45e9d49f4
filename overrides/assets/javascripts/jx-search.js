/* Site search, full text: Material's search dialog (partials/search.html) over a Pagefind index.
   Pagefind splits its index into small chunks and fetches only those a query needs,
   so the first result does not wait for the whole index to download and load, as
   Material's worker does. The bundle is loaded when the dialog opens, not with the page.
   This file queries Pagefind and shows the results with their excerpts; jx-combobox.js
   drives the box and its name suggestions (jx-names.js). */
(function (jx) {
  "use strict";
  var PAGE = 10;

  // The full-text results of the search dialog `root`. load() fetches the bundle; find(query,
  // current) fills the result list, showing nothing once current() says a newer query took over.
  jx.search = function (root) {
    var meta = root.querySelector(".md-search-result__meta");
    var list = root.querySelector(".md-search-result__list");
    var bundle = new URL(root.getAttribute("data-jx-search"), location.href);
    var t = translations();
    var pagefind = null;

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
        // A large site's index comes in parts (searchindex.py): merged into the first, in parallel.
        var parts = fetch(new URL("jx-parts.json", bundle)).then(function (r) {
          return r.ok ? r.json() : [];
        }).catch(function () { return []; });
        pagefind = import(new URL("pagefind.js", bundle).href).then(function (pf) {
          // Result URLs relative to the site root, so a site under a sub-path still links right.
          var base = new URL("../", bundle).pathname;
          return pf.options({ baseUrl: base, excerptLength: 36 }).then(function () {
            return parts;
          }).then(function (names) {
            return Promise.all(names.map(function (name) {
              return pf.mergeIndex(new URL(name, bundle).pathname, { baseUrl: base });
            }));
          }).then(function () {
            return pf;
          });
        });
        pagefind.catch(function () {
          pagefind = null;
        });
      }
      return pagefind;
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
      article.append(icon, title, excerptOf(data));
      a.appendChild(article);
      li.appendChild(a);
      return li;
    }

    function more(results, shown, current) {
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
        show(results, shown, current);
      });
      li.appendChild(button);
      list.appendChild(li);
    }

    // The first result is fetched and shown alone, so it is not queued behind the others'
    // excerpts on a slow phone; the rest load in parallel and show in order.
    function show(results, from, current) {
      var batch = results.slice(from, from + PAGE);
      var first = batch.length ? batch[0].data() : Promise.resolve(null);
      var pending = [first].concat(batch.slice(1).map(function (r) {
        return first.then(function () { return r.data(); });
      }));
      return pending.slice(0, batch.length).reduce(function (chain, next) {
        return chain.then(function () { return next; }).then(function (data) {
          if (current()) list.appendChild(item(data));
        });
      }, Promise.resolve()).then(function () {
        if (current()) more(results, from + batch.length, current);
      });
    }

    function find(query, current) {
      // Busy until every result of this query is in the list (screen readers wait; so do tests).
      list.setAttribute("aria-busy", "true");
      var done = function () {
        if (current()) list.removeAttribute("aria-busy");
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
        if (!current() || !found) return;
        var results = found.results;
        list.textContent = "";
        meta.textContent = results.length === 0 ? say("search.result.none", undefined, "没有找到符合条件的结果")
          : results.length === 1 ? say("search.result.one", 1, "找到 1 个符合条件的结果")
          : say("search.result.other", results.length, "找到 # 个符合条件的结果");
        return show(results, 0, current);
      }).catch(function () {
        if (!current()) return;
        list.textContent = "";
        meta.textContent = "搜索暂时无法使用，请稍后再试。";
      }).then(done);
    }

    return { load: load, find: find };
  };

  // ---------------------------------------------------------------- excerpts

  // Pagefind's content is the page's text with a zero-width space between words and its
  // word positions of the hits; the excerpt is rebuilt from those so that it starts at a
  // block or clause boundary, skips the title the result already shows, marks each run of
  // matched words once, and reads a heading's "." (Pagefind's block end) as a full stop.
  var CLAUSE = /[。；：，！？;:!?]\s*$/;
  var EXCERPT = 60;

  function unescape(word) {
    return word.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function excerptOf(data) {
    var raw = data.raw_content || data.content || "";
    var words = raw.split("\u200b").map(unescape);
    var marked = {};
    (data.locations || []).forEach(function (at) { marked[at] = true; });
    var from = titleEnd(words, (data.meta && data.meta.title) || "");
    var hits = Object.keys(marked).map(Number).filter(function (at) { return at >= from; }).sort(function (a, b) { return a - b; });
    var hit = hits.length ? densest(words, hits) : from;
    var start = hit;
    // Back to the start of the clause, or of the block (a word ending in a space), within reason.
    var back = 0;
    while (start > from && back < 40) {
      var prev = words[start - 1];
      if (CLAUSE.test(prev) || /\s$/.test(prev)) break;
      back += prev.length;
      start--;
    }
    var out = document.createElement("p");
    // A clause longer than that: start at the hit itself, a word boundary, after an ellipsis.
    if (back >= 40) {
      start = hit;
      out.appendChild(document.createTextNode("…"));
    }
    var length = 0;
    var end = start;
    var runs = [];  // [text, marked], one per run of like words
    for (; end < words.length && (length < EXCERPT || (marked[end] && length < EXCERPT * 1.5)); end++) {
      var word = /^\.\s*$/.test(words[end]) ? "。" : words[end].replace(/\s+/g, " ");
      length += word.length;
      var on = !!marked[end] && word.trim() !== "";
      var last = runs[runs.length - 1];
      if (last && last[1] === on) last[0] += word;
      else runs.push([word, on]);
    }
    // No space beside Chinese punctuation; a mark holds no space at its ends.
    var text = function (s) { return s.replace(/\s*([\u3000-\u303f\uff00-\uffef])\s*/g, "$1"); };
    runs.forEach(function (run, i) {
      var body = text(run[0]);
      if (i > 0 && /^[\u3000-\u303f\uff00-\uffef“”]/.test(body)) body = body.replace(/^\s+/, "");
      if (!run[1]) return out.appendChild(document.createTextNode(body));
      var lead = body.match(/^\s*/)[0], tail = body.match(/\s*$/)[0];
      if (lead) out.appendChild(document.createTextNode(lead));
      out.appendChild(document.createElement("mark")).textContent = body.trim();
      if (tail) out.appendChild(document.createTextNode(tail));
    });
    if (end < words.length) out.appendChild(document.createTextNode("…"));
    out.normalize();
    return out;
  }

  // Index just past the title when the page's text begins with it (and its block end).
  function titleEnd(words, title) {
    title = title.replace(/\s+/g, "");
    if (!title) return 0;
    var seen = "";
    for (var i = 0; i < words.length && seen.length < title.length; i++) {
      seen += words[i].replace(/\s+/g, "");
      if (title.indexOf(seen) !== 0) return 0;
    }
    if (seen !== title) return 0;
    while (i < words.length && /^[.\s]*$/.test(words[i])) i++;
    return i;
  }

  // The hit with the most other hits in the EXCERPT characters after it.
  function densest(words, hits) {
    var best = hits[0], most = 0;
    hits.forEach(function (at) {
      var count = 0, chars = 0;
      for (var j = at; j < words.length && chars < EXCERPT; j++) {
        chars += words[j].length;
        if (hits.indexOf(j) >= 0) count++;
      }
      if (count > most) { most = count; best = at; }
    });
    return best;
  }
})(window.jx = window.jx || {});
