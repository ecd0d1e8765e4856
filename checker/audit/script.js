// The dashboard's tables: sorting, filtering and pages. The reports table is drawn from the data
// block (#reports-data), a page at a time, so that an audit of ten thousand reports opens at
// once; without script the page shows its first page, worst first (print, e-mail).
(function () {
  var PAGE = 100;

  function pager(element, state, redraw) {
    if (!element) { return function () {}; }
    var before = document.createElement("button"), after = document.createElement("button");
    var label = document.createElement("span");
    before.type = after.type = "button";
    before.textContent = "上一页";
    after.textContent = "下一页";
    element.textContent = "";
    element.appendChild(before); element.appendChild(label); element.appendChild(after);
    before.addEventListener("click", function () { state.page -= 1; redraw(); });
    after.addEventListener("click", function () { state.page += 1; redraw(); });
    return function (count) {
      var pages = Math.max(1, Math.ceil(count / PAGE));
      state.page = Math.min(Math.max(state.page, 0), pages - 1);
      label.textContent = " 第 " + (state.page + 1) + " / " + pages + " 页 ";
      before.disabled = state.page === 0;
      after.disabled = state.page >= pages - 1;
      element.hidden = pages < 2;
    };
  }

  function compare(x, y, numeric) {
    if (numeric) {
      var nx = x === "" || x === null ? -Infinity : Number(x), ny = y === "" || y === null ? -Infinity : Number(y);
      return nx - ny;
    }
    return String(x).localeCompare(String(y), "zh-CN");
  }

  function sortable(table, onSort) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      if (!th.classList.contains("sortable")) { return; }
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        onSort(th, index, ascending);
      });
    });
  }

  // one page of `items` as the table's body, a row each by `rowOf`
  function showPage(table, items, state, rowOf) {
    var body = document.createElement("tbody");
    items.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (item) { body.appendChild(rowOf(item)); });
    table.replaceChild(body, table.tBodies[0]);
  }

  function cell(tr, text, className, value) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (value !== undefined) { td.setAttribute("data-value", value); }
    if (text instanceof Node) { td.appendChild(text); } else { td.textContent = text; }
    tr.appendChild(td);
    return td;
  }

  // the reports, one row each: [agency, kind, kind name, year, published, time, days late,
  // errors, warnings, infos, new, review, litigation, score, causes, page, path]
  var reports = document.getElementById("reports");
  var blob = document.getElementById("reports-data");
  if (reports && blob) {
    var data = JSON.parse(blob.textContent);
    Array.prototype.forEach.call(document.querySelectorAll(".noscript-note"), function (n) { n.hidden = true; });
    var text = document.getElementById("filter-text");
    var kind = document.getElementById("filter-kind");
    var time = document.getElementById("filter-time");
    var severity = document.getElementById("filter-severity");
    var shown = document.getElementById("shown");
    var state = {page: 0};
    var order = data.slice();
    var keyOf = {0: 0, 1: 2, 2: 3, 3: 4, 4: 6, 5: 7, 6: 8, 7: 9, 8: 10, 9: 11, 10: 12, 11: 13, 13: 16};
    var draw = function () {};
    var paging = pager(document.getElementById("reports-pages"), state, function () { draw(); });
    var row = function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-kind", r[1]); tr.setAttribute("data-time", r[5]); tr.setAttribute("data-errors", r[7]);
      cell(tr, r[0]); cell(tr, r[2]); cell(tr, r[3], "num"); cell(tr, r[4]);
      if (r[5] === "late") { cell(tr, "逾期 " + r[6] + " 天", "num late", r[6]); }
      else if (r[5] === "ontime") { cell(tr, "按期", "num", r[6]); }
      else if (r[5] === "absent") { cell(tr, "未发布", "num late", ""); }
      else { cell(tr, "无日期", "num warn", ""); }
      cell(tr, String(r[7]), "num" + (r[7] ? " sev-error" : " zero"));
      cell(tr, String(r[8]), "num" + (r[8] ? "" : " zero"));
      cell(tr, String(r[9]), "num" + (r[9] ? "" : " zero"));
      cell(tr, String(r[10]), "num"); cell(tr, String(r[11]), "num"); cell(tr, String(r[12]), "num");
      var b = document.createElement("b"); b.textContent = String(r[13]); cell(tr, b, "num");
      cell(tr, r[14], "causes");
      var a = document.createElement("a"); a.href = r[15]; a.textContent = r[16]; cell(tr, a);
      return tr;
    };
    draw = function () {
      var needle = text.value.trim().toLowerCase();
      var matching = order.filter(function (r) {
        return (!needle || (r[0] + " " + r[16] + " " + r[14]).toLowerCase().indexOf(needle) >= 0) &&
          (!kind.value || r[1] === kind.value) && (!time.value || r[5] === time.value) &&
          (!severity.value || (severity.value === "error") === (r[7] > 0));
      });
      paging(matching.length);
      showPage(reports, matching, state, row);
      shown.textContent = "显示 " + matching.length + " / " + data.length + " 份";
    };
    [text, kind, time, severity].forEach(function (el) {
      el.addEventListener("input", function () { state.page = 0; draw(); });
    });
    sortable(reports, function (th, index, ascending) {
      var key = keyOf[index], numeric = th.getAttribute("data-type") === "num";
      order.sort(function (a, b) {
        var result = compare(a[key], b[key], numeric);
        return ascending ? result : -result;
      });
      state.page = 0;
      draw();
    });
    draw();
  }

  // a year-by-year line, as report.py's sparkline() draws it for the first page
  var SVG = "http://www.w3.org/2000/svg";
  function sparkline(years, values, unit) {
    var width = 84, height = 20;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "spark"); svg.setAttribute("width", width); svg.setAttribute("height", height);
    var title = document.createElementNS(SVG, "title");
    title.textContent = years.map(function (y, i) {
      return y + "年 " + (values[i] === null ? "—" : values[i] + unit);
    }).join("；");
    svg.appendChild(title);
    var known = values.filter(function (v) { return v !== null; });
    if (!known.length) { return svg; }
    var low = Math.min.apply(null, known), high = Math.max.apply(null, known);
    var spanX = Math.max(years[years.length - 1] - years[0], 1), spanY = (high - low) || 1;
    var runs = [[]];
    years.forEach(function (y, i) {
      if (values[i] === null) { runs.push([]); return; }
      runs[runs.length - 1].push([Math.round(3 + (width - 6) * (y - years[0]) / spanX),
        Math.round(height - 3 - (height - 6) * (values[i] - low) / spanY)]);
    });
    runs.forEach(function (run) {
      if (run.length > 1) {
        var line = document.createElementNS(SVG, "polyline");
        line.setAttribute("points", run.map(function (p) { return p.join(","); }).join(" "));
        svg.appendChild(line);
      } else if (run.length === 1) {
        var dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", run[0][0]); dot.setAttribute("cy", run[0][1]); dot.setAttribute("r", 1.6);
        svg.appendChild(dot);
      }
    });
    return svg;
  }

  // the agencies, one row each with its years: [agency, parent, kind name, years, reports,
  // missing, mean score, errors, the years, [[unit, latest, values by year] per trend]]
  var agencies = document.getElementById("agencies");
  var agencyBlob = document.getElementById("agencies-data");
  if (agencies && agencyBlob) {
    var agencyData = JSON.parse(agencyBlob.textContent);
    var grouped = agencies.tHead.rows[0].cells[1].textContent === "上级机关";
    var agencyOrder = agencyData.slice();
    var agencyState = {page: 0};
    var agencyDraw = function () {};
    var agencyPaging = pager(document.getElementById("agencies-pages"), agencyState, function () { agencyDraw(); });
    var agencyRow = function (a) {
      var tr = document.createElement("tr");
      cell(tr, a[0]);
      if (grouped) { cell(tr, a[1]); }
      cell(tr, a[2]); cell(tr, a[3]);
      cell(tr, String(a[4]), "num"); cell(tr, String(a[5]), "num" + (a[5] ? " warn" : " zero"));
      var b = document.createElement("b"); b.textContent = String(a[6]); cell(tr, b, "num");
      cell(tr, String(a[7]), "num" + (a[7] ? " sev-error" : " zero"));
      a[9].forEach(function (t) {
        var td = cell(tr, "", "num trend", t[1] === null ? "" : t[1]);
        if (a[8].length > 1) { td.appendChild(sparkline(a[8], t[2], t[0])); }
        var shown = t[1] === null || t[1] === "" ? "" : t[1] + (t[0] === "分" ? "" : t[0]);
        td.appendChild(document.createTextNode(" " + shown));
      });
      return tr;
    };
    agencyDraw = function () {
      agencyPaging(agencyOrder.length);
      showPage(agencies, agencyOrder, agencyState, agencyRow);
    };
    var agencyKey = grouped ? [0, 1, 2, 3, 4, 5, 6, 7] : [0, 2, 3, 4, 5, 6, 7];
    sortable(agencies, function (th, index, ascending) {
      var numeric = th.getAttribute("data-type") === "num";
      var trend = index - agencyKey.length;
      agencyOrder.sort(function (a, b) {
        var x = trend >= 0 ? a[9][trend][1] : a[agencyKey[index]], y = trend >= 0 ? b[9][trend][1] : b[agencyKey[index]];
        var result = compare(x, y, numeric);
        return ascending ? result : -result;
      });
      agencyState.page = 0;
      agencyDraw();
    });
    agencyDraw();
  }
})();
