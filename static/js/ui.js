/* Small behaviours of every page, written for the Content-Security-Policy (no inline script):
   - a form with data-confirm asks that question before it is sent (irreversible actions);
   - after a refused submit, focus moves to the first field in error (or the error banner);
   - a table with data-sortable sorts the rows shown when a column heading's button is pressed. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  function focusErrors() {
    var banner = document.querySelector("main .alert-danger[role=alert]");
    if (!banner) return;
    var field = document.querySelector("main .is-invalid");
    var target = field || banner;
    if (!field) banner.setAttribute("tabindex", "-1");
    target.focus();
    if (target.scrollIntoView) target.scrollIntoView({block: "center"});
  }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function sortBy(table, index, button) {
    var heading = button.closest("th");
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = cellValue(a, index).localeCompare(cellValue(b, index), undefined, {numeric: true});
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(root) {
    root.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.dataset.sortReady) return;
      table.dataset.sortReady = "1";
      if (table.tBodies[0].rows.length < 2) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link p-0 text-reset fw-semibold text-decoration-none sort-button";
        button.textContent = th.textContent.trim();
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, button); });
      });
    });
  }

  // On a phone a list row reads as a card: each value carries its column heading.
  function labelCards(root) {
    root.querySelectorAll("table.cards").forEach(function (table) {
      if (!table.tHead) return;
      var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
        return th.textContent.trim();
      });
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (!cell.hasAttribute("colspan") && names[index]) cell.setAttribute("data-label", names[index]);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    labelCards(document);
    makeSortable(document);
  });
})();
