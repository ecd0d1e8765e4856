// Sorting and filtering of the reports table; the page works without it (print, e-mail).
(function () {
  var table = document.getElementById("reports");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var kind = document.getElementById("filter-kind");
  var time = document.getElementById("filter-time");
  var severity = document.getElementById("filter-severity");
  var shown = document.getElementById("shown");
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
        (!kind.value || row.getAttribute("data-kind") === kind.value) &&
        (!time.value || row.getAttribute("data-time") === time.value) &&
        (!severity.value || (severity.value === "error") === (Number(row.getAttribute("data-errors")) > 0));
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = "显示 " + count + " / " + rows.length + " 份";
  }
  [text, kind, time, severity].forEach(function (el) { el.addEventListener("input", apply); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    if (!th.classList.contains("sortable")) { return; }
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "num";
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-value"), y = b.cells[index].getAttribute("data-value");
        if (x === null) { x = a.cells[index].textContent.trim(); }
        if (y === null) { y = b.cells[index].textContent.trim(); }
        var result;
        if (numeric) {
          var nx = x === "" ? -Infinity : Number(x), ny = y === "" ? -Infinity : Number(y);
          result = nx - ny;
        } else {
          result = x.localeCompare(y, "zh-CN");
        }
        return ascending ? result : -result;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
