// Expert Console — what the pages do with JavaScript on. Everything else works without it.
(function () {
  "use strict";

  // The visitor's time zone, for times on their own clock: kept in a cookie the server reads.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var known = (document.cookie.match(/(?:^|; )ec_tz=([^;]*)/) || [])[1];
    if (zone && decodeURIComponent(known || "") !== zone) {
      document.cookie = "ec_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      if (!known && !document.querySelector("form [aria-invalid]")) { location.reload(); return; }
    }
    document.querySelectorAll("[data-time-zone]").forEach(function (el) { if (!el.value) el.value = zone; });
  } catch (e) { /* an old browser: the server's zone (the account's, or UTC) stays */ }

  // Counters that go down every second: "data-countdown" is the seconds left on the server's
  // clock when the page (or the part) was made, so a device's wrong clock changes nothing;
  // "data-running" says whether the count runs (a paused live session does not).
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.dataset.started) { el.dataset.started = String(Date.now()); }
      var running = el.dataset.running !== "false";
      var left = parseInt(el.dataset.countdown, 10);
      if (running) { left -= Math.floor((Date.now() - parseInt(el.dataset.started, 10)) / 1000); }
      left = Math.max(left, 0);
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = (m ? m + ":" + (s < 10 ? "0" : "") + s : s + " s");
      el.classList.toggle("ending", left <= 30);
    });
  }
  setInterval(tick, 1000);
  tick();
  document.body.addEventListener("htmx:afterSwap", tick);

  // Pokes from the server (the same stream as the desktop's): pages refresh the parts that
  // listen for "poke" (hx-trigger="poke from:body").
  // htmx drops a request an element triggers while its last one is still in flight, and a part that
  // replaced the old one only listens once it settles (`defaultSettleDelay` after the swap: htmx
  // hooks its triggers then). A poke that comes meanwhile (for the poke before, or a form's answer)
  // would be lost and that part left showing the older state: remember it, and poke once more when
  // nothing is in flight or settling any more. Each swap's settling is timed here, not counted down
  // by `htmx:afterSettle`, which a part replaced before it settled fires where the page never hears.
  // htmx sets its settle timer only once every listener of the swap has run, so a timer set here,
  // in one, could end first on a page slow to swap (a phone, a busy machine): the end of settling is
  // timed from a task queued now, which runs after htmx's timer is set, with the same delay.
  var inFlight = 0, settling = 0, missed = false;
  function poke() {
    if (inFlight > 0 || settling > 0) { missed = true; }
    document.body.dispatchEvent(new CustomEvent("poke"));
  }
  function pokeIfMissed() {
    if (missed && inFlight === 0 && settling === 0) {
      missed = false;
      poke();
    }
  }
  document.body.addEventListener("htmx:beforeSend", function () { inFlight += 1; });
  document.body.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(inFlight - 1, 0);
    pokeIfMissed();
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    settling += 1;
    setTimeout(function () {  // htmx's settle timer is set by now: this one ends after it
      setTimeout(function () {
        settling = Math.max(settling - 1, 0);
        pokeIfMissed();
      }, htmx.config.defaultSettleDelay);
    }, 0);
  });
  var url = document.body.dataset.stream;
  if (url && window.EventSource) {
    var source = new EventSource(url);
    source.addEventListener("poke", poke);
  }

  // The chat box: Enter sends, Shift+Enter is a new line; the list stays scrolled to the newest.
  document.addEventListener("keydown", function (ev) {
    var box = ev.target;
    if (box && box.matches && box.matches("textarea[data-enter-sends]") && ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      if (box.value.trim()) { box.form.requestSubmit(); }
    }
  });
  function scrollChat() {
    document.querySelectorAll(".chat").forEach(function (el) { el.scrollTop = el.scrollHeight; });
  }
  document.body.addEventListener("htmx:afterSwap", scrollChat);
  scrollChat();
})();
