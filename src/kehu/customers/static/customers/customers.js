/* Customer pages' behaviours, declared with data- attributes (the CSP allows no inline script).
   Tabs: <nav data-tabs> holds <a data-tab="name" href="?tab=name">; panels are
   <div data-tab-panel="name">. A click shows one panel and hides the others, and the address
   remembers it (?tab=name), so a reload or a shared link opens the same tab; the server
   renders that tab on its own without this script. A #name in the address (old links) opens
   that tab too. A panel hears "kehu:tab-shown" when shown (htmx loads lazy panels on it). */
(function () {
  "use strict";

  function show(nav, name, remember) {
    var links = nav.querySelectorAll("[data-tab]");
    var found = false;
    links.forEach(function (a) {
      var on = a.getAttribute("data-tab") === name;
      a.classList.toggle("active", on);
      a.setAttribute("aria-selected", on ? "true" : "false");
      found = found || on;
    });
    if (!found) return false;
    var scope = nav.parentElement || document;
    scope.querySelectorAll("[data-tab-panel]").forEach(function (panel) {
      var on = panel.getAttribute("data-tab-panel") === name;
      panel.hidden = !on;
      if (on) panel.dispatchEvent(new CustomEvent("kehu:tab-shown"));
    });
    if (remember && window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("tab", name);
      url.searchParams.delete("offset");
      url.searchParams.delete("cursor");
      url.hash = "";
      window.history.replaceState(null, "", url.toString());
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    var link = event.target.closest("[data-tabs] [data-tab]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    show(link.closest("[data-tabs]"), link.getAttribute("data-tab"), true);
  });

  function fromHash() {
    var name = window.location.hash.slice(1);
    if (!name) return;
    document.querySelectorAll("[data-tabs]").forEach(function (nav) {
      show(nav, name, false);
    });
  }
  // <details data-fold-on-phone open>: open on a wide screen, folded away on a phone.
  function foldOnPhone() {
    if (window.matchMedia("(max-width: 700px)").matches) {
      document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) {
        // A search already typed stays in view.
        if (!d.querySelector("input[type=search]:not([value=''])")) d.open = false;
      });
    }
  }

  // Place picker: the "outside mainland China" box swaps the division lists for the typed
  // fields (<input data-place-toggle> inside a fieldset with [data-place=picked|typed]).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-place-toggle")) return;
    var set = box.closest("fieldset") || document;
    set.querySelectorAll("[data-place]").forEach(function (group) {
      group.hidden = (group.getAttribute("data-place") === "typed") !== box.checked;
    });
  });

  function onLoad() {
    fromHash();
    foldOnPhone();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
  window.addEventListener("hashchange", fromHash);
})();
