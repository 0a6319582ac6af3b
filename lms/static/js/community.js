/* Posts written without network: kept on the phone with the id the page gave them, sent once to
   /api/v1/posts when the network returns (the server stores one post per id, however often it is sent).
   A post's voice note waits beside it in IndexedDB (too large for localStorage) and goes with it, one post
   at a time, to /api/v1/posts/voice. */
(function () {
  "use strict";

  var userMeta = document.querySelector('meta[name="lms-user"]');
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  if (!userMeta || !tokenMeta || !window.localStorage || !window.fetch) return;
  var KEY = "lms-posts:" + userMeta.content;
  var API = "/api/v1/posts";
  var VOICE_API = "/api/v1/posts/voice";
  var user = userMeta.content;
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

  // The voice notes waiting, in their own small database: {key: user + " " + post id, user, blob, name}.
  var voiceDb = null;
  function voices() {
    if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    if (!voiceDb) {
      voiceDb = new Promise(function (resolve, reject) {
        var request = indexedDB.open("lms-voice", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("notes", { keyPath: "key" }).createIndex("user", "user");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { voiceDb = null; reject(request.error); };
      });
    }
    return voiceDb;
  }

  function voiceStore(mode, fn) {
    return voices().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("notes", mode);
        var request = fn(tx.objectStore("notes"));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function keepVoice(id, file) {
    return voiceStore("readwrite", function (s) {
      return s.put({ key: user + " " + id, user: user, blob: file, name: file.name || "voice-note.webm" });
    });
  }
  function voiceOf(id) { return voiceStore("readonly", function (s) { return s.get(user + " " + id); }); }
  function dropVoice(id) { return voiceStore("readwrite", function (s) { return s.delete(user + " " + id); }); }
  function forgetVoices() {
    return voiceStore("readwrite", function (s) {
      var cursor = s.index("user").openCursor(IDBKeyRange.only(user));
      cursor.onsuccess = function () { if (cursor.result) { cursor.result.delete(); cursor.result.continue(); } };
      return cursor;
    }).catch(function () {});
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
    var voice = form.querySelector('[name="voice_note"]');
    var file = voice && voice.files && voice.files[0];
    if (photo && photo.files && photo.files.length) {
      note(form, form.getAttribute("data-no-photo"), "error");
      return;
    }
    if (!body && !file) return;
    var reply = form.querySelector('[name="reply_to"]');
    var item = { id: form.querySelector('[name="post_id"]').value, body: body, at: new Date().toISOString() };
    if (form.getAttribute("data-thread")) item.thread = form.getAttribute("data-thread");
    if (form.getAttribute("data-lesson")) item.lesson = form.getAttribute("data-lesson");
    if (reply && reply.value) item.reply_to = reply.value;
    var queued = function () {
      save(load().filter(function (p) { return p.id !== item.id; }).concat([item]));
      Array.prototype.forEach.call(form.querySelectorAll("button, textarea, input[type=file]"),
                                   function (e) { e.disabled = true; });
      note(form, form.getAttribute("data-queued"));
    };
    if (!file) { queued(); return; }
    item.voice = true;
    keepVoice(item.id, file).then(queued, function () { note(form, form.getAttribute("data-no-voice"), "error"); });
  }

  // Send one post with its voice note; resolve with the server's answer, or null to try again later.
  function sendVoice(item) {
    return voiceOf(item.id).then(function (kept) {
      if (!kept) return { accepted: [], duplicates: [], rejected: [{ id: item.id, error: "voice_lost" }] };
      var data = new FormData();
      ["id", "thread", "lesson", "reply_to", "body", "at"].forEach(function (key) {
        if (item[key]) data.append(key, item[key]);
      });
      data.append("voice_note", kept.blob, kept.name);
      return fetch(VOICE_API, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": tokenMeta.content }, body: data
      }).then(function (response) {
        if (response.status === 413) return { accepted: [], duplicates: [], rejected: [{ id: item.id }] };
        return response.ok ? response.json() : null;  // busy, full disk, signed out: it waits
      });
    });
  }

  function settle(result) {
    if (!result) return 0;
    var done = {};
    result.accepted.concat(result.duplicates).forEach(function (id) { done[id] = true; });
    result.rejected.forEach(function (r) { if (r.id) done[r.id] = true; });
    save(load().filter(function (p) { return !done[p.id]; }));
    Object.keys(done).forEach(function (id) { dropVoice(id).catch(function () {}); });
    return result.accepted.length;
  }

  // Send what waits; keep each post until the server accepted it, already had it, or refused it for good.
  function flush() {
    var waiting = load();
    if (sending || !waiting.length || !navigator.onLine) return Promise.resolve();
    sending = true;
    var written = waiting.filter(function (p) { return !p.voice; }).slice(0, 50);
    var spoken = waiting.filter(function (p) { return p.voice; });
    var accepted = 0;
    var first = !written.length ? Promise.resolve() : fetch(API, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenMeta.content },
      body: JSON.stringify({ posts: written })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) { accepted += settle(result); });
    // Voice posts go one by one, in the order she wrote them; the first that must wait stops the round.
    var chain = spoken.reduce(function (previous, item) {
      return previous.then(function (going) {
        if (!going) return false;
        return sendVoice(item).then(function (result) { accepted += settle(result); return !!result; });
      });
    }, first.then(function () { return true; }));
    return chain.catch(function () {}).then(function () {
      sending = false;
      if (accepted && !signingOut && document.querySelector("form.post-form[data-thread]")) location.reload();
    });
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
      return forgetVoices().then(function () {
        leaving = true;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    });
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches(".sign-out")) {
      if (navigator.onLine) { localStorage.removeItem(KEY); forgetVoices(); }
    } else if (form.matches(".post-form") && !navigator.onLine) {
      event.preventDefault();
      keep(form);
    }
  });
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  flush();
})();
