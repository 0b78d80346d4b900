// MigraLex pages: small progressive enhancements. Every page works without this file (links and forms
// are plain GET requests); with it: "/" focuses the search box, results are announced to screen readers
// after htmx swaps them in, citations copy to the clipboard, evidence highlighting and the diff view
// switch without reloading (the URL still changes, so the state is a permalink).
(function () {
  "use strict";

  function announce(text) {
    var live = document.getElementById("live");
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) return;
    var q = document.getElementById("q");
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  });

  // the search form's empty and default fields stay out of the URL (the permalink carries only what is set)
  document.body.addEventListener("htmx:configRequest", function (e) {
    var params = e.detail.parameters;
    if (!params || typeof params.forEach !== "function") return;
    var empty = [];
    var defaults = { page: "1", size: "10", sort: "relevance", group: "article", thesaurus: "true", exact: "false" };  // as pages.SEARCH_DEFAULTS
    params.forEach(function (value, key) { if (value === "" || defaults[key] === value) empty.push(key); });
    empty.forEach(function (key) { params.delete(key); });
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    var results = document.getElementById("results");
    if (results) announce(results.getAttribute("data-summary"));
  });

  // copy a citation: the button names the element holding the text
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("button.copy");
    if (!btn) return;
    var el = document.querySelector(btn.getAttribute("data-copy"));
    if (!el) return;
    var text = el.textContent.trim();
    var done = function () {
      var label = btn.textContent;
      btn.classList.add("done");
      btn.textContent = document.body.dataset.ui === "en" ? "Copied" : "Скопировано";
      announce(btn.textContent);
      window.setTimeout(function () { btn.textContent = label; btn.classList.remove("done"); }, 1800);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(el); });
    } else {
      selectText(el);
    }
  });

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // evidence highlighting: toggle without a reload, keep ?hl= in the URL
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.hl-toggle");
    if (!a) return;
    e.preventDefault();
    var key = a.getAttribute("data-hl");
    var on = a.getAttribute("aria-pressed") !== "true";
    document.querySelectorAll("a.hl-toggle").forEach(function (x) { x.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll("mark.ev").forEach(function (m) {
      var keys = (m.getAttribute("data-ev") || "").split(" ");
      m.classList.toggle("on", on && keys.indexOf(key) >= 0);
    });
    if (on) a.setAttribute("aria-pressed", "true");
    var url = new URL(window.location.href);
    if (on) url.searchParams.set("hl", key); else url.searchParams.delete("hl");
    url.hash = "text";
    history.replaceState(null, "", url);
    var first = document.querySelector("mark.ev.on");
    if (first) first.scrollIntoView({ block: "center" });
    var n = document.querySelectorAll("mark.ev.on").length;
    announce(on ? String(n) : "");
  });

  // diff view: side by side / inline (the server renders the one asked for; its URL is a permalink)
  document.addEventListener("change", function (e) {
    var r = e.target;
    if (!r.matches || !r.matches(".view-switch input[type=radio]")) return;
    var url = new URL(window.location.href);
    if (r.value === "inline") url.searchParams.set("view", "inline"); else url.searchParams.delete("view");
    url.hash = "diff";
    window.location.assign(url.toString());
  });
})();
