/* The handbook's search: the query side of scripts/handbook/search/index.py.
 *
 * Runs on the search page (search/index.md). Nothing is downloaded until the first query;
 * then the index arrives in small <script> files (they load from file:// too, unlike fetch)
 * that call HBSearch.add(kind, key, data):
 *   m.js manifest · v<k>.js words starting with a character · p<k>.js scores · d<k>.js records.
 * A query is converted to Simplified (window.HANDBOOK_T2S), normalised like the index (NFKC,
 * lower case) and segmented by longest match over the index's own words; a word the index
 * does not know falls back to the shorter words and single characters inside it. Pages are
 * ranked by the sum of their BM25F scores for the query's words, scaled by the share of the
 * query they cover. Results and snippets are built with textContent: content is data.
 *
 * Contract relied on by outside checks: ?q=TERM runs the search on load; results are <a>
 * elements, in rank order, inside the one [data-search-results] element, each with
 * data-kind (case | standard | term | training); the element gets data-search-state="done"
 * and data-search-query once the results for that query are shown.
 */
(function () {
  "use strict";

  var KIND_LABELS = { case: "案例", standard: "标准", term: "术语", training: "培训" };
  var PAGE_SIZE = 10;
  var RERANKED = 10;         // first results ranked again by their titles (query.py: RERANKED)
  var TITLE_FACTOR = 2;      // a title holding every word of the query (query.py: TITLE_FACTOR)
  var LONGEST = 12;          // longest word the segmenter tries, in characters
  var PART_WEIGHT = 0.5;     // weight of the shorter words inside a query word
  var COMPLETIONS = 8;       // words an unfinished last word may stand for
  // How a reader asks, not what about: dropped from a query that has other words.
  var QUESTION_WORDS = "怎么 怎样 怎么样 如何 什么 哪些 哪个 为什么 是否 有没有 请问 吗 呢 吧 啊 的 了 和 与 及 在 是".split(" ");
  var WORD = /[\u3400-\u9fff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*/g;
  var HAN = /^[\u3400-\u9fff]+$/;

  var root = document.querySelector("[data-search-results]");
  if (!root) return;
  var base = root.getAttribute("data-index").replace(/m\.js$/, "");       // "idx/"
  var siteRoot = root.getAttribute("data-root").replace(/index\.html$/, ""); // "../"
  var input = document.querySelector("[data-search-input]");
  var status = document.querySelector("[data-search-status]");
  var more = document.querySelector("[data-search-more]");

  /* ---- loading the index ---- */
  var store = { m: {}, v: {}, p: {}, d: {}, t: {} };
  var waiting = {};

  window.HBSearch = {
    add: function (kind, key, data) {
      store[kind][key] = data;
      var id = kind + key;
      if (waiting[id]) { waiting[id].resolve(data); }
    }
  };

  function load(kind, key, src) {
    var id = kind + key;
    if (!waiting[id]) {
      waiting[id] = {};
      waiting[id].promise = new Promise(function (resolve, reject) {
        waiting[id].resolve = resolve;
        if (store[kind][key] !== undefined) { resolve(store[kind][key]); return; }
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(store[kind][key]); };  // t2s-map.js sets a global
        script.onerror = function () { delete waiting[id]; reject(new Error("cannot load " + src)); };
        document.head.appendChild(script);
      });
    }
    return waiting[id].promise;
  }

  var manifest = null;
  function getManifest() {
    var t2s = window.HANDBOOK_T2S ? Promise.resolve() :
      load("t", "", root.getAttribute("data-t2s")).catch(function () {});
    // The manifest is read afresh (a few hundred bytes) and names the version of every shard,
    // so a browser never mixes shards cached from an earlier build with this one's.
    return Promise.all([load("m", null, base + "m.js?t=" + Date.now()), t2s]).then(function (all) {
      manifest = all[0];
      return manifest;
    });
  }

  function shard(kind, k) {
    return base + kind + k + ".js" + (manifest.version ? "?v=" + manifest.version : "");
  }

  /* ---- words of a query ---- */
  function toSimplified(text) {
    var map = window.HANDBOOK_T2S || {};
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      out += Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : ch;
    }
    return out;
  }

  function normalise(text) {
    return toSimplified(text.normalize("NFKC")).toLowerCase();
  }

  function runs(query) {
    return normalise(query).match(WORD) || [];
  }

  function vocabularyShard(ch) {
    return ch.charCodeAt(0) % manifest.vocabularyShards;
  }

  function loadVocabulary(parts) {
    var keys = {};
    parts.forEach(function (run) {
      for (var i = 0; i < run.length; i++) keys[vocabularyShard(run.charAt(i))] = true;
    });
    return Promise.all(Object.keys(keys).map(function (k) {
      return load("v", +k, shard("v", k)).then(function (words) {
        if (!words.set) {
          var set = {};
          words.forEach(function (w) { set[w] = true; });
          words.set = set;
        }
        return words;
      });
    }));
  }

  function known(word) {
    var shard = store.v[vocabularyShard(word.charAt(0))];
    return !!(shard && shard.set && shard.set[word]);
  }

  // Longest match over the index's words; characters the index never saw are skipped.
  function segment(run) {
    if (!HAN.test(run)) return known(run) ? [run] : [];
    var out = [];
    var i = 0;
    while (i < run.length) {
      var size = Math.min(LONGEST, run.length - i);
      while (size > 0 && !known(run.substr(i, size))) size--;
      if (size === 0) { i++; continue; }
      out.push(run.substr(i, size));
      i += size;
    }
    return out;
  }

  // The shorter known words inside a word (as the index holds them for long words).
  function parts(word) {
    var out = [];
    if (!HAN.test(word)) return out;
    for (var size = word.length - 1; size >= 2; size--) {
      for (var i = 0; i + size <= word.length; i++) {
        var part = word.substr(i, size);
        if (known(part) && out.indexOf(part) < 0) out.push(part);
      }
    }
    return out;
  }

  // The shortest known words that an unfinished last word begins (红色商 → 红色商街).
  function completions(tail) {
    if (tail.length < 2 || known(tail) || !HAN.test(tail)) return [];
    var shard = store.v[vocabularyShard(tail.charAt(0))] || [];
    var found = shard.filter(function (w) { return w.length > tail.length && w.indexOf(tail) === 0; });
    found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
    return found.slice(0, COMPLETIONS);
  }

  // The query's words: longest match, except that a query ending inside a known word has
  // its last piece completed instead of cut (search as you type).
  function queryWords(pieces) {
    var head = pieces.slice(), tail = null;
    var last = pieces.length ? pieces[pieces.length - 1] : "";
    if (HAN.test(last)) {
      for (var start = Math.max(0, last.length - LONGEST); start < last.length - 1; start++) {
        var found = completions(last.slice(start));
        if (found.length) {
          head = pieces.slice(0, -1);
          if (start) head.push(last.slice(0, start));
          tail = { text: last.slice(start), parts: parts(last.slice(start)), completions: found };
          break;
        }
      }
    }
    var segmented = [];
    head.forEach(function (run) { segmented.push.apply(segmented, segment(run)); });
    var content = segmented.filter(function (w) { return QUESTION_WORDS.indexOf(w) < 0; });
    var words = [];
    (content.length || tail ? content : segmented).forEach(function (w) {
      if (!words.some(function (x) { return x.text === w; })) words.push({ text: w, parts: parts(w), completions: [] });
    });
    if (tail) words.push(tail);
    return words;
  }

  function postingsShard(word) {
    var h = 0x811c9dc5;
    for (var i = 0; i < word.length; i++) {
      h ^= word.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % manifest.postingsShards;
  }

  function loadPostings(words) {
    var keys = {};
    words.forEach(function (w) { keys[postingsShard(w)] = true; });
    return Promise.all(Object.keys(keys).map(function (k) {
      return load("p", +k, shard("p", k));
    }));
  }

  function postings(word) {
    var shard = store.p[postingsShard(word)];
    return (shard && shard[word]) || [];
  }

  /* ---- ranking ---- */
  function rank(words) {
    var scores = {};
    var covered = {};
    function decode(word) {  // {record: score} from [delta, score, delta, score, ...]
      var list = postings(word), hits = {}, doc = 0;
      for (var i = 0; i < list.length; i += 2) { doc += list[i]; hits[doc] = list[i + 1]; }
      return hits;
    }
    words.forEach(function (word, index) {
      var terms;
      if (word.completions.length) {  // any one of the words it may stand for: the best counts
        var best = {};
        word.completions.forEach(function (c) {
          var hits = decode(c);
          for (var d in hits) best[d] = Math.max(best[d] || 0, hits[d]);
        });
        terms = [[best, 1]];
      } else {
        terms = [[decode(word.text), 1]];
      }
      terms = terms.concat(word.parts.map(function (p) { return [decode(p), PART_WEIGHT]; }));
      terms.forEach(function (term) {
        for (var doc in term[0]) {
          scores[doc] = (scores[doc] || 0) + term[1] * term[0][doc];
          covered[doc] = covered[doc] || {};
          covered[doc][index] = Math.max(covered[doc][index] || 0, term[1]);
        }
      });
    });
    var results = Object.keys(scores).map(function (doc) {
      var share = 0;
      for (var k in covered[doc]) share += covered[doc][k];
      return { doc: +doc, score: scores[doc] * (share / words.length) };
    });
    results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return results;
  }

  // The first results again: a record whose title holds every word of the query counts
  // TITLE_FACTOR times (a page titled by what was asked is about it, whatever its kind).
  function rerank(words, results) {
    var head = results.slice(0, RERANKED);
    return records(head.map(function (r) { return r.doc; })).then(function (rows) {
      // single characters (开 in 怎么开联席会) say little on their own
      var longer = words.filter(function (w) { return w.text.length > 1; });
      if (!longer.length) longer = words;
      head.forEach(function (r, i) {
        var title = normalise(rows[i][4] || "");
        var holds = longer.every(function (w) {
          return title.indexOf(w.text) >= 0 || w.completions.some(function (c) { return title.indexOf(c) >= 0; });
        });
        if (holds) r.score *= TITLE_FACTOR;
      });
      head.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return head.concat(results.slice(RERANKED));
    });
  }

  function search(query) {
    var pieces = runs(query);
    if (pieces.length === 0) return Promise.resolve({ words: [], results: [] });
    return getManifest().then(function () {
      pieces = runs(query);  // again, now that the Traditional map has arrived
      return loadVocabulary(pieces);
    }).then(function () {
      var words = queryWords(pieces);
      var all = [];
      words.forEach(function (w) { all.push(w.text); all.push.apply(all, w.parts); all.push.apply(all, w.completions); });
      return loadPostings(all).then(function () {
        return words.length ? rerank(words, rank(words)) : [];
      }).then(function (results) {
        return { words: words, results: results };
      });
    });
  }

  /* ---- records and snippets ---- */
  function chunkOf(doc) {
    var starts = manifest.chunks, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return starts[lo];
  }

  function records(docs) {
    var keys = {};
    docs.forEach(function (d) { keys[chunkOf(d)] = true; });
    return Promise.all(Object.keys(keys).map(function (k) {
      return load("d", +k, shard("d", k));
    })).then(function () {
      return docs.map(function (d) { var start = chunkOf(d); return store.d[start][d - start]; });
    });
  }

  // The stretch of text around the most query words, as [text, isMatch] pieces.
  function snippet(text, terms, width) {
    var norm = text.toLowerCase();  // the index's text is Simplified already; keeps offsets
    var hits = [];
    terms.forEach(function (t) {
      for (var at = norm.indexOf(t); at >= 0 && hits.length < 200; at = norm.indexOf(t, at + t.length)) {
        hits.push([at, at + t.length]);
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var start = 0, best = -1;
    hits.forEach(function (h) {
      var count = hits.filter(function (o) { return o[0] >= h[0] && o[1] <= h[0] + width; }).length;
      if (count > best) { best = count; start = h[0]; }
    });
    var lineStart = text.lastIndexOf("\n", start);
    start = Math.max(start - 20, lineStart + 1, 0);
    start = Math.max(0, Math.min(start, text.length - width));  // a match near the end: fill the window
    var end = Math.min(text.length, start + width);
    var pieces = [];
    var at = start;
    hits.forEach(function (h) {
      if (h[0] < at || h[1] > end) return;
      if (h[0] > at) pieces.push([text.slice(at, h[0]), false]);
      pieces.push([text.slice(h[0], h[1]), true]);
      at = h[1];
    });
    if (at < end) pieces.push([text.slice(at, end), false]);
    if (start > 0) pieces.unshift(["…", false]);
    if (end < text.length) pieces.push(["…", false]);
    return pieces.map(function (p) { return [p[0].replace(/\s+/g, " "), p[1]]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---- the page ---- */
  var current = { seq: 0, query: "", results: [], words: [], shown: 0 };

  function highlightTerms(words) {
    var terms = [];
    words.forEach(function (w) {
      terms.push(w.text);
      terms.push.apply(terms, w.parts);
      terms.push.apply(terms, w.completions);
    });
    return terms;
  }

  function show(seq, count) {
    var slice = current.results.slice(current.shown, current.shown + count);
    return records(slice.map(function (r) { return r.doc; })).then(function (rows) {
      if (seq !== current.seq) return;
      var terms = highlightTerms(current.words);
      rows.forEach(function (row) {
        var link = el("a", "hb-search__result");
        link.href = siteRoot + row[2];
        link.setAttribute("data-kind", row[0]);
        link.appendChild(el("span", "hb-search__kind", KIND_LABELS[row[0]] || row[0]));
        link.appendChild(el("span", "hb-search__title", row[1]));
        var text = el("span", "hb-search__snippet");
        snippet(row[3], terms, 120).forEach(function (p) {
          text.appendChild(p[1] ? el("mark", "", p[0]) : document.createTextNode(p[0]));
        });
        link.appendChild(text);
        root.appendChild(link);
      });
      current.shown += rows.length;
      if (more) more.hidden = current.shown >= current.results.length;
    });
  }

  function run(query) {
    var seq = ++current.seq;
    query = query.trim();
    root.removeAttribute("data-search-state");
    if (!query) {
      root.textContent = "";
      if (status) status.textContent = "";
      if (more) more.hidden = true;
      root.setAttribute("data-search-state", "done");
      root.setAttribute("data-search-query", "");
      return Promise.resolve();
    }
    if (status) status.textContent = "正在搜索…";
    return search(query).then(function (found) {
      if (seq !== current.seq) return;
      current.query = query;
      current.words = found.words;
      current.results = found.results;
      current.shown = 0;
      root.textContent = "";
      return show(seq, PAGE_SIZE).then(function () {
        if (seq !== current.seq) return;
        if (status) {
          status.textContent = found.results.length ? "找到 " + found.results.length + " 个页面" :
            "没有找到包含“" + query + "”的页面。换一个说法，或从案例库、标准流程按分类查找。";
        }
        root.setAttribute("data-search-query", query);
        root.setAttribute("data-search-state", "done");
      });
    }).catch(function (error) {
      if (seq !== current.seq) return;
      if (status) status.textContent = "搜索索引无法加载（" + error.message + "）。";
      root.setAttribute("data-search-state", "error");
    });
  }

  function queryFromAddress() {
    var match = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (!match) return "";
    try { return decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { return ""; }
  }

  function remember(query) {
    if (!window.history || !window.history.replaceState) return;
    try {
      var url = window.location.pathname + (query ? "?q=" + encodeURIComponent(query) : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    } catch (e) { /* file:// in some browsers */ }
  }

  if (input) {
    var composing = false;
    var timer = null;
    var onChange = function () {
      if (composing) return;
      clearTimeout(timer);
      timer = setTimeout(function () { remember(input.value.trim()); run(input.value); }, 60);
    };
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; onChange(); });
    input.addEventListener("input", onChange);
    input.addEventListener("paste", function () { setTimeout(onChange, 0); });
    input.form && input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      remember(input.value.trim());
      run(input.value);
    });
  }
  if (more) {
    more.addEventListener("click", function () { show(current.seq, PAGE_SIZE); });
  }

  window.handbookSearch = { search: search, run: run, segment: function (q) {
    return search(q).then(function (found) { return found.words.map(function (w) { return w.text; }); });
  } };

  var initial = queryFromAddress();
  if (input && initial) input.value = initial;
  if (initial) run(initial);
})();
