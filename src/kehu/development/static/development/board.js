// Pipeline board: drag a deal onto another stage's column (HTML5 drag events, no library).
// The drop posts the stage to the deal's move endpoint with htmx, which answers with the
// board; the stage select in each deal stays the way to move with a keyboard or a phone.
(function () {
  "use strict";
  var dragged = null;

  function column(el) {
    return el && el.closest ? el.closest(".dev-column[data-stage]") : null;
  }

  document.addEventListener("dragstart", function (e) {
    var deal = e.target.closest ? e.target.closest(".dev-deal[data-move-url]") : null;
    if (!deal) return;
    dragged = deal;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", deal.dataset.moveUrl);
    deal.classList.add("dev-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dev-dragging");
    dragged = null;
    document.querySelectorAll(".dev-drop").forEach(function (c) { c.classList.remove("dev-drop"); });
  });

  document.addEventListener("dragover", function (e) {
    var col = column(e.target);
    if (!col || !dragged) return;
    e.preventDefault(); // allows the drop
    e.dataTransfer.dropEffect = "move";
    col.classList.add("dev-drop");
  });

  document.addEventListener("dragleave", function (e) {
    var col = column(e.target);
    if (col && !col.contains(e.relatedTarget)) col.classList.remove("dev-drop");
  });

  document.addEventListener("drop", function (e) {
    var col = column(e.target);
    if (!col || !dragged) return;
    e.preventDefault();
    col.classList.remove("dev-drop");
    var deal = dragged;
    if (column(deal) === col) return;
    var form = deal.querySelector("form");
    var values = { stage: col.dataset.stage };
    var mine = form && form.querySelector("input[name=mine]");
    if (mine) values.mine = mine.value;
    window.htmx.ajax("POST", deal.dataset.moveUrl, { target: "#board", swap: "innerHTML", values: values });
  });
})();
