/* Instant name suggestions: the matcher over jx-names/ (hooks/jiangxin/namesindex.py), the
   studios, people, organizations and counties with the readings of their characters, in shards
   keyed by the initials a query starts with. A suggestion needs no Pagefind round trip.
   The index publishes the rules it was cut by (character classes, shard depth, how many
   characters a match may start in), so none is copied here. No DOM: jx-combobox.js shows them. */
(function (jx) {
  "use strict";
  var SHOWN = 6;

  // The matcher of the names index under `base` (a URL); it fetches nothing until load or suggest.
  jx.names = function (base) {
    var names = null;
    var shardCache = {};

    function load() {
      if (!names) {
        names = fetch(new URL("index.json", base)).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (index) {
          // Python patterns of namesindex.py; "u" makes one JavaScript reads otherwise fail, not match wrong.
          index.han = new RegExp(index.han, "u");
          index.token = new RegExp(index.token, "gu");
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
        shardCache[file] = fetch(new URL(file, base)).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        });
        shardCache[file].catch(function () { delete shardCache[file]; });
      }
      return shardCache[file];
    }

    // Suggestions for the query, best first, at most SHOWN: {name, kind, detail, href}.
    // A name + topic query ("何旺 新能源") falls back to its first words.
    function suggest(query) {
      return load().then(function (index) {
        var parts = query.trim().split(/\s+/);
        function attempt(n) {
          var toks = tokens(index, parts.slice(0, n).join(" "));
          if (!toks.length) return Promise.resolve([]);
          var files = shardFiles(index, toks);
          return Promise.all(files.map(shard)).then(function (groups) {
            var found = rank(index, [].concat.apply([], groups), toks);
            return found.length || n <= 1 ? found : attempt(n - 1);
          });
        }
        return attempt(parts.length).then(function (found) {
          return found.map(function (s) {
            return {
              name: s.row[0],
              kind: index.kinds[s.row[1]],
              detail: s.row[3] || "",
              href: new URL(s.row[2], new URL("../", base)).href,
            };
          });
        });
      });
    }

    return { load: load, suggest: suggest };
  };

  function fold(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
  }

  // The query as tokens: one per Han character, one per run of letters or digits.
  function tokens(index, query) {
    var out = [];
    fold(query).replace(index.token, function (tok) {
      out.push(index.han.test(tok) ? { h: tok } : { l: tok });
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
    initialSeqs(index, toks, index.max_depth).forEach(function (seq) {
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
    fold(name).replace(index.token, function (tok) {
      if (index.han.test(tok)) out.push({ c: tok, r: index.chars[tok] || [] });
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
      // A one-key query only suggests names that start with it (the index says in how many a match may start).
      var starts = letters < 2 ? 1 : Math.min(index.starts, us.length);
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
})(window.jx = window.jx || {});
