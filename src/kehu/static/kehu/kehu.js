/* Kehu's few behaviours, declared with data- attributes: the Content-Security-Policy allows
   no inline script or event handler, so templates say what they want and this file does it.
   Delegated from the document, so content htmx swaps in later behaves the same. */
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form when the choice changes (language switch).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    // <button data-confirm="Question?">: ask before the form is sent.
    var confirmEl = event.target.closest("[data-confirm]");
    if (confirmEl && !window.confirm(confirmEl.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // <button data-fill-target="id_other" data-fill-value="42">: put the value in the field.
    var fillEl = event.target.closest("[data-fill-target]");
    if (fillEl) {
      var field = document.getElementById(fillEl.getAttribute("data-fill-target"));
      if (field) {
        field.value = fillEl.getAttribute("data-fill-value");
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }, true);

  // Phones: table.list rows become cards (kehu.css); each cell shows its column's name,
  // copied here from the header where the template gave no data-label. Also for rows htmx
  // swaps in later.
  function labelCells(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("table.list").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          var head = heads[col];
          if (head && !cell.hasAttribute("data-label") && head.textContent.trim()) {
            cell.setAttribute("data-label", head.textContent.trim());
          }
          col += cell.colSpan || 1;
        });
      });
    });
  }
  function onReady() { labelCells(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
  document.addEventListener("htmx:afterSettle", function (event) { labelCells(document); });
})();
