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

  // ---------------------------------------------------------------- names (instant suggestions)

  // jx-names/ (hooks/jiangxin/namesindex.py): studios, people, organizations and counties with
  // the readings of their characters, in shards keyed by the initials a query starts with.
  // Fetched when the search box gets focus; a suggestion needs no Pagefind round trip.
  var namesBase = new URL(root.getAttribute("data-jx-names"), location.href);
  var names = null;
  var shardCache = {};
  var suggestBox = document.getElementById("jx-suggest");
  var suggestStatus = document.getElementById("jx-suggest-status");
  var suggestions = [];
  var active = -1;
  var composing = false;
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var SHOWN = 6;
  // As namesindex.py: shard keys are at most MAX_DEPTH initials; a match begins in a name's first STARTS units.
  var MAX_DEPTH = 12;
  var STARTS = 5;

  function loadNames() {
    if (!names) {
      names = fetch(new URL("index.json", namesBase)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (index) {
        var keys = {};
        index.shards.split(" ").forEach(function (k) {
          keys[k] = (k.replace("*", "-") || "all") + "." + index.stamp + ".json";
        });
        index.shards = keys;
        index.syllables = {};
        Object.keys(index.chars).forEach(function (c) {
          index.chars[c] = index.chars[c].split(" ");
          index.chars[c].forEach(function (r) { index.syllables[r] = true; });
        });
        return index;
      });
      names.catch(function () { names = null; });
    }
    return names;
  }

  function shard(file) {
    if (!shardCache[file]) {
      shardCache[file] = fetch(new URL(file, namesBase)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      shardCache[file].catch(function () { delete shardCache[file]; });
    }
    return shardCache[file];
  }

  // The query as tokens: one per Han character, one per run of letters or digits.
  function tokens(query) {
    var out = [];
    (query.normalize ? query.normalize("NFKC") : query).toLowerCase().replace(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z0-9]+/g, function (tok) {
      out.push(HAN.test(tok) ? { h: tok } : { l: tok });
    });
    return out;
  }

  function isPrefixOfSyllable(index, text) {
    if (index.syllables[text]) return true;
    for (var s in index.syllables) if (s.indexOf(text) === 0) return true;
    return false;
  }

  // Ways the query's letters split into units: a whole syllable, an initial (zh/ch/sh as one),
  // or, at the very end, the start of a syllable. Each way as the initials of its units,
  // plausible ways (whole syllables) first; at most `limit` units and 12 ways.
  function initialSeqs(index, toks, limit) {
    var out = [];
    function walk(t, o, seq) {
      if (out.length >= 12) return;
      if (seq.length >= limit || t === toks.length) {
        if (out.indexOf(seq) < 0) out.push(seq);
        return;
      }
      var tok = toks[t];
      if (tok.h) {
        var rs = index.chars[tok.h];
        if (!rs) { if (out.indexOf(seq) < 0) out.push(seq); return; }  // unknown: key ends here
        var firsts = {};
        rs.forEach(function (r) { firsts[r[0]] = true; });
        Object.keys(firsts).forEach(function (c) { walk(t + 1, 0, seq + c); });
        return;
      }
      var rest = tok.l.slice(o);
      var next = function (n) { return n >= rest.length ? [t + 1, 0] : [t, o + n]; };
      if (/^[0-9]/.test(rest)) {
        var digits = rest.match(/^[0-9]+/)[0].length;
        var d = next(digits);
        return walk(d[0], d[1], seq + rest[0]);
      }
      var tried = {};
      for (var n = Math.min(6, rest.length); n >= 1; n--) {
        var part = rest.slice(0, n);
        var whole = index.syllables[part];
        var last = t === toks.length - 1 && n === rest.length;
        var initial = n === 1 || (n === 2 && /^[zcs]h$/.test(part));
        if ((whole || initial || (last && isPrefixOfSyllable(index, part))) && !tried[n]) {
          tried[n] = true;
          var w = next(n);
          walk(w[0], w[1], seq + part[0]);
        }
      }
    }
    walk(0, 0, "");
    return out;
  }

  // The shard files a query needs: for each way, the deepest shard its initials reach.
  function shardFiles(index, toks) {
    var files = [];
    initialSeqs(index, toks, MAX_DEPTH).forEach(function (seq) {
      for (var d = 0; d <= seq.length; d++) {
        var key = seq.slice(0, d);
        if (index.shards[key] !== undefined) { files.push(index.shards[key]); return; }
        if (index.shards[key + "*"] === undefined) return;  // no name starts so
        if (d === seq.length) { files.push(index.shards[key + "*"]); return; }
      }
    });
    return files.filter(function (f, i) { return files.indexOf(f) === i; }).slice(0, 2);
  }

  function nameUnits(index, name) {
    var out = [];
    (name.normalize ? name.normalize("NFKC") : name).toLowerCase().replace(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z0-9]+/g, function (tok) {
      if (HAN.test(tok)) out.push({ c: tok, r: index.chars[tok] || [] });
      else out.push({ w: tok });
    });
    return out;
  }

  // How well the query's tokens spell the name's units from unit `p` on; -Infinity when they
  // don't. A Han character may be one homophone or (in a query of three or more) one other
  // character off: a reader picking the wrong candidate in an IME.
  function matchFrom(index, us, toks, p, hanCount) {
    var memo = {};
    function rec(i, t, o, typo) {
      if (t === toks.length) return i === us.length ? 4 : 0;
      if (i === us.length) return -Infinity;
      var key = i + "," + t + "," + o + "," + typo;
      if (key in memo) return memo[key];
      var u = us[i], tok = toks[t], best = -Infinity;
      if (tok.h) {
        if (u.c === tok.h) best = 3 + rec(i + 1, t + 1, 0, typo);
        else if (u.c && !typo) {
          var q = index.chars[tok.h] || [];
          var homophone = q.some(function (r) { return u.r.indexOf(r) >= 0; });
          if (homophone || hanCount >= 3) best = (homophone ? 1.5 : 0) + rec(i + 1, t + 1, 0, 1);
        }
      } else {
        var rest = tok.l.slice(o);
        var last = t === toks.length - 1;
        var step = function (n, score) {
          var after = o + n >= tok.l.length ? rec(i + 1, t + 1, 0, typo) : rec(i + 1, t, o + n, typo);
          if (score + after > best) best = score + after;
        };
        if (u.w) {
          if (rest.indexOf(u.w) === 0) step(u.w.length, 2);
          else if (last && u.w.indexOf(rest) === 0) step(rest.length, 1);
        } else {
          u.r.forEach(function (r) {
            if (rest.indexOf(r) === 0) step(r.length, 2);
            else if (last && r.indexOf(rest) === 0 && rest.length > 1) step(rest.length, 1.5);
            if (r[0] === rest[0]) step(1, 1);
            if (/^[zcs]h/.test(r) && rest.indexOf(r.slice(0, 2)) === 0) step(2, 1);
          });
        }
      }
      memo[key] = best;
      return best;
    }
    return rec(p, 0, 0, 0);
  }

  function rank(index, rows, toks) {
    var hanCount = toks.filter(function (x) { return x.h; }).length;
    var letters = toks.reduce(function (n, x) { return n + (x.l ? x.l.length : 1); }, 0);
    var byUrl = {};
    rows.forEach(function (row) {
      var us = row.units || (row.units = nameUnits(index, row[0]));
      var best = -Infinity;
      // A one-key query only suggests names that start with it.
      var starts = letters < 2 ? 1 : Math.min(STARTS, us.length);
      for (var p = 0; p < starts; p++) {
        var s = matchFrom(index, us, toks, p, hanCount);
        if (s > -Infinity) best = Math.max(best, s + (p === 0 ? 5 : 0));
      }
      if (best === -Infinity) return;
      best += -0.3 * row[1] - 0.05 * us.length;
      var seen = byUrl[row[2]];
      if (!seen || seen.score < best) byUrl[row[2]] = { row: row, score: best };
    });
    return Object.keys(byUrl).map(function (u) { return byUrl[u]; }).sort(function (a, b) {
      return b.score - a.score || a.row[0].length - b.row[0].length;
    }).slice(0, SHOWN);
  }

  // Suggestions for the query; a name + topic query ("何旺 新能源") falls back to its first words.
  function suggest(query) {
    return loadNames().then(function (index) {
      var parts = query.trim().split(/\s+/);
      function attempt(n) {
        var toks = tokens(parts.slice(0, n).join(" "));
        if (!toks.length) return Promise.resolve([]);
        var files = shardFiles(index, toks);
        return Promise.all(files.map(shard)).then(function (groups) {
          var found = rank(index, [].concat.apply([], groups), toks);
          return found.length || n <= 1 ? found : attempt(n - 1);
        });
      }
      return attempt(parts.length).then(function (found) {
        return { index: index, found: found };
      });
    });
  }

  function showSuggestions(result, query) {
    suggestions = result ? result.found : [];
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
      name.textContent = s.row[0];
      var kind = document.createElement("span");
      kind.className = "jx-suggest__kind";
      kind.textContent = result.index.kinds[s.row[1]] + (s.row[3] ? " · " + s.row[3] : "");
      li.append(name, kind);
      li.setAttribute("data-href", new URL(s.row[2], new URL("../", namesBase)).href);
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
    // Names first, from the names index alone: shown as soon as its shard is in.
    if (query) {
      suggest(query).then(function (result) {
        if (mine === seq) showSuggestions(result, query);
      }).catch(function () {
        if (mine === seq) collapse();
      });
    } else {
      collapse();
    }
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
      loadNames();
      load();
      setTimeout(function () { input.focus(); }, 50);
    } else {
      input.blur();
    }
  });
  // A finger or mouse going down on the search is intent enough to start fetching.
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest("label[for='__search'], .md-search__input")) {
      loadNames();
      load();
    }
  }, true);
  // On wide screens the box sits in the header: focusing it opens the dialog, as in Material.
  input.addEventListener("focus", function () {
    loadNames();
    load();
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
})();
