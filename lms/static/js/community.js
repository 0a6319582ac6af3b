/* Posts written without network: kept on the phone with the id the page gave them, sent once to
   /api/v1/posts when the network returns (the server stores one post per id, however often it is sent). */
(function () {
  "use strict";

  var userMeta = document.querySelector('meta[name="lms-user"]');
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  if (!userMeta || !tokenMeta || !window.localStorage || !window.fetch) return;
  var KEY = "lms-posts:" + userMeta.content;
  var API = "/api/v1/posts";
  var sending = false;
  var script = document.currentScript;
  var leaving = false, signingOut = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function save(posts) {
    if (posts.length) localStorage.setItem(KEY, JSON.stringify(posts));
    else localStorage.removeItem(KEY);
  }

  function note(form, text, kind) {
    var p = document.createElement("p");
    p.className = "flash flash-" + (kind || "info");
    p.setAttribute("role", kind === "error" ? "alert" : "status");
    p.textContent = text;
    form.parentNode.insertBefore(p, form.nextSibling);
  }

  function keep(form) {
    var body = form.querySelector('[name="body"]').value.trim();
    var photo = form.querySelector('[name="photo"]');
    if (photo && photo.files && photo.files.length) {
      note(form, form.getAttribute("data-no-photo"), "error");
      return;
    }
    if (!body) return;
    var reply = form.querySelector('[name="reply_to"]');
    var item = { id: form.querySelector('[name="post_id"]').value, body: body, at: new Date().toISOString() };
    if (form.getAttribute("data-thread")) item.thread = form.getAttribute("data-thread");
    if (form.getAttribute("data-lesson")) item.lesson = form.getAttribute("data-lesson");
    if (reply && reply.value) item.reply_to = reply.value;
    save(load().filter(function (p) { return p.id !== item.id; }).concat([item]));
    Array.prototype.forEach.call(form.querySelectorAll("button, textarea"), function (e) { e.disabled = true; });
    note(form, form.getAttribute("data-queued"));
  }

  // Send what waits; keep each post until the server accepted it, already had it, or refused it for good.
  function flush() {
    var waiting = load();
    if (sending || !waiting.length || !navigator.onLine) return Promise.resolve();
    sending = true;
    return fetch(API, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenMeta.content },
      body: JSON.stringify({ posts: waiting.slice(0, 50) })
    }).then(function (response) {
      if (!response.ok) return null;
      return response.json();
    }).then(function (result) {
      if (!result) return;
      var done = {};
      result.accepted.concat(result.duplicates).forEach(function (id) { done[id] = true; });
      result.rejected.forEach(function (r) { if (r.id) done[r.id] = true; });
      save(load().filter(function (p) { return !done[p.id]; }));
      if (result.accepted.length && !signingOut && document.querySelector("form.post-form[data-thread]")) location.reload();
    }).catch(function () {}).then(function () { sending = false; });
  }

  // Signing out: send what waits first; if some posts still could not be sent, ask before forgetting them
  // (a shared phone keeps nothing of hers afterwards). Offline, app.js refuses to sign out, so nothing is lost.
  // Listening in the capture phase lets this run before app.js's own sign-out (the progress queue).
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(".sign-out") || leaving || !navigator.onLine) return;
    if (!load().length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    signingOut = true;
    flush().then(function () {
      if (load().length && !window.confirm(script.getAttribute("data-unsent"))) { signingOut = false; return; }
      localStorage.removeItem(KEY);
      leaving = true;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches(".sign-out")) {
      if (navigator.onLine) localStorage.removeItem(KEY);
    } else if (form.matches(".post-form") && !navigator.onLine) {
      event.preventDefault();
      keep(form);
    }
  });
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  flush();
})();
