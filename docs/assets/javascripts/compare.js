/* 案例对比: put 2 to 4 cases side by side.
 *
 * Reads window.HANDBOOK_COMPARE (the exported case records plus links, from
 * compare-data.js, so it works from file:// too). The selection lives in the URL
 * (?cases=nanyang,chifeng) so a trainer can share it. Every text is inserted with
 * textContent: record text can never become markup here.
 */
(function () {
  "use strict";
  var MAX = 4, MIN = 2;
  var root = document.querySelector("[data-hb-compare]");
  var data = window.HANDBOOK_COMPARE;
  if (!root || !data) return;
  var boxes = Array.prototype.slice.call(root.querySelectorAll("input[name=case]"));
  var status = root.querySelector("[data-hb-status]");
  var result = root.querySelector("[data-hb-result]");
  // No prototype: ?cases=constructor or __proto__ must not find a "case".
  var byId = Object.create(null);
  data.cases.forEach(function (c) { byId[c.id] = c; });
  function known(id) { return Object.prototype.hasOwnProperty.call(byId, id) && !!data.extra[id]; }
  // a case is called by its place or company (谷城, 中国商飞), as everywhere else
  function label(id) { return (data.extra[id] && data.extra[id].short) || byId[id].model; }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function link(text, href) { var a = el("a", text); a.href = href; return a; }
  function list(items) {
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); li.appendChild(item); ul.appendChild(li); });
    return ul;
  }
  function text(value) { return document.createTextNode(value); }

  var order = [];  // the reader's order: from the URL, then in the order boxes are ticked
  function selected() { return order.slice(); }

  function fromUrl() {
    var match = /[?&]cases=([^&#]*)/.exec(location.search);
    if (!match) return [];
    var value;
    try { value = decodeURIComponent(match[1]); } catch (e) { return []; }  // ?cases=% : show the picker
    return value.split(",").filter(function (id, i, all) {
      return known(id) && all.indexOf(id) === i;
    }).slice(0, MAX);
  }

  function toUrl(ids) {
    var search = ids.length ? "?cases=" + ids.join(",") : "";
    try { history.replaceState(null, "", location.pathname + search + location.hash); } catch (e) { /* file:// in some browsers */ }
  }

  function rows(ids) {
    var cases = ids.map(function (id) { return byId[id]; });
    var extra = ids.map(function (id) { return data.extra[id]; });
    function others(i, key) {
      var seen = {};
      cases.forEach(function (c, j) { if (j !== i) key(c, j).forEach(function (v) { seen[v] = true; }); });
      return seen;
    }
    return [
      ["案例", function (c, i) { return link(c.title, extra[i].url); }],
      ["实施主体", function (c) { return text(c.organisation.name); }],
      ["类型与层级", function (c) { return text(c.organisation.type + "，" + c.organisation.level); }],
      ["地点", function (c) { var l = c.location; return text([l.province, l.city, l.county].filter(Boolean).filter(function (v, k, a) { return a.indexOf(v) === k; }).join(" ")); }],
      ["模式", function (c) { return text(c.model); }],
      ["时间", function (c, i) { return text(extra[i].period); }],
      ["领域", function (c) { return text(c.sectors.join("、")); }],
      ["机制", function (c) { return text(c.mechanisms.join("、")); }],
      ["实践的标准", function (c, i) {
        return extra[i].standards.length ? list(extra[i].standards.map(function (s) { return link(s.title, s.url); })) : text("—");
      }],
      ["关键数据", function (c, i) {
        return list(extra[i].figures.map(function (f) {
          var span = el("span");
          span.appendChild(text(f.label + "："));
          var a = link(f.text, f.url);
          a.title = "原文：“" + f.quote + "”（《" + f.source + "》）";
          span.appendChild(a);
          return span;
        }));
      }],
      ["成效（一句话）", function (c, i) { return text(extra[i].outcome); }],
      ["独特之处", function (c, i) {
        var seen = others(i, function (o, j) { return o.mechanisms.concat(extra[j].standards.map(function (s) { return s.title; })); });
        var own = c.mechanisms.concat(extra[i].standards.map(function (s) { return s.title; })).filter(function (v) { return !seen[v]; });
        return text(own.length ? "其他所选案例没有的：" + own.join("、") : "与其他所选案例的机制和标准都有重合");
      }]
    ];
  }

  function render() {
    var ids = selected();
    toUrl(ids);
    boxes.forEach(function (b) { b.disabled = !b.checked && ids.length >= MAX; });
    result.textContent = "";
    if (ids.length < MIN) {
      status.textContent = "请选择 2 至 4 个案例（已选 " + ids.length + " 个）。";
      return;
    }
    status.textContent = "正在对比 " + ids.length + " 个案例。";
    var table = el("table", null, "hb-compare-table");
    var head = el("thead"), headRow = el("tr");
    headRow.appendChild(el("th", "项目"));
    ids.forEach(function (id) { headRow.appendChild(el("th", label(id))); });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    rows(ids).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", row[0]));
      ids.forEach(function (id, i) {
        var td = el("td");
        td.setAttribute("data-case", label(id));
        td.appendChild(row[1](byId[id], i));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    result.appendChild(table);
  }

  order = fromUrl();
  boxes.forEach(function (b) {
    b.checked = order.indexOf(b.value) >= 0;
    b.addEventListener("change", function () {
      order = order.filter(function (id) { return id !== b.value; });
      if (b.checked) order.push(b.value);
      render();
    });
  });
  render();
})();
