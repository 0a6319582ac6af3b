/* What is kept on the phone, shared by the page and the service worker:
   the queue of progress events, the saved paths and the cached pages. */
(function (scope) {
  "use strict";

  var PAGES = "lms-pages";
  var MEDIA = "lms-media";
  // Only catalogue pages are ever cached; every other page (home, my learning,
  // certificates, account, admin, cohorts, mentoring, reports…) needs the network.
  var CACHEABLE = /^\/(paths|paths\/[^/]+|lessons\/[^/]+)$/;
  var PROGRESS_ACTION = /^\/lessons\/([^/]+)\/(done|check)$/;
  var FORM_FIELDS = ["csrf_token", "event_id", "language"];
  var dbPromise = null;

  function database() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("lms", 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore("events", { keyPath: "id" }).createIndex("user", "user");
          db.createObjectStore("paths", { keyPath: "url" });
          db.createObjectStore("state");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  // Run fn(store) in one transaction; resolve with its request's result once committed.
  function transact(name, mode, fn) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = fn(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function getState(key) { return transact("state", "readonly", function (s) { return s.get(key); }); }
  function setState(key, value) { return transact("state", "readwrite", function (s) { return s.put(value, key); }); }

  function eventsOf(user) {
    return transact("events", "readonly", function (s) { return s.index("user").getAll(user); });
  }

  function pending(user) {
    return eventsOf(user).then(function (all) { return all.filter(function (e) { return !e.rejected; }); });
  }

  function rejected(user) {
    return eventsOf(user).then(function (all) { return all.filter(function (e) { return e.rejected; }); });
  }

  function addEvent(event) { return transact("events", "readwrite", function (s) { return s.put(event); }); }

  function hasEvent(id) {
    return transact("events", "readonly", function (s) { return s.count(id); }).then(Boolean);
  }

  function removeEvents(ids) {
    return transact("events", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
  }

  function markRejected(list) {
    return transact("events", "readwrite", function (s) {
      list.forEach(function (item) {
        if (!item.id) return;
        var request = s.get(item.id);
        request.onsuccess = function () {
          if (request.result) { request.result.rejected = item.error || "rejected"; s.put(request.result); }
        };
      });
    });
  }

  function forgetEvents(user) {
    return eventsOf(user).then(function (all) { return removeEvents(all.map(function (e) { return e.id; })); });
  }

  function uuid() {
    if (scope.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Build the event the progress API expects from a lesson's form (as FormData).
  function eventFromForm(pathname, form, user, id) {
    var match = PROGRESS_ACTION.exec(pathname);
    if (!match) return null;
    var event = { id: id || form.get("event_id") || uuid(), lesson: decodeURIComponent(match[1]),
                  at: new Date().toISOString(), user: user, data: {} };
    if (match[2] === "done") {
      event.type = "lesson_completed";
    } else {
      event.type = "quiz_answered";
      var answers = {};
      form.forEach(function (value, name) {
        if (FORM_FIELDS.indexOf(name) < 0) (answers[name] = answers[name] || []).push(value);
      });
      event.data = { answers: answers, language: form.get("language") || "" };
    }
    return event;
  }

  function openedEvent(pathname, user) {
    var match = /^\/lessons\/([^/]+)$/.exec(pathname);
    if (!match) return null;
    return { id: uuid(), type: "lesson_opened", lesson: decodeURIComponent(match[1]),
             at: new Date().toISOString(), user: user, data: {} };
  }

  function markerOf(html) {
    var match = /<meta name="lms-user" content="([^"]*)">/.exec(html);
    return match ? match[1] : null;
  }

  function titleOf(html) {
    var match = /<title>([^<]*)<\/title>/.exec(html);
    return match ? match[1].split(" · ")[0].replace(/&amp;/g, "&").replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">") : "";
  }

  // Keep a page for its reader: the cached copy says whose it is, and its title for lists.
  function putPage(url, html, response, user) {
    var headers = new Headers(response.headers);
    headers.set("X-LMS-User", user);
    headers.set("X-LMS-Title", encodeURIComponent(titleOf(html)));
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
    var copy = new Response(html, { status: 200, statusText: "OK", headers: headers });
    return caches.open(PAGES).then(function (cache) { return cache.put(url, copy); });
  }

  function cachedPage(url, user) {
    return caches.open(PAGES).then(function (cache) { return cache.match(url); }).then(function (response) {
      return response && response.headers.get("X-LMS-User") === user ? response : null;
    });
  }

  function pageTitle(response) {
    return decodeURIComponent(response.headers.get("X-LMS-Title") || "");
  }

  // Delete every page, image and saved path kept on the phone (not the queue: it is per user).
  function forget() {
    return Promise.all([caches.delete(PAGES), caches.delete(MEDIA),
                        transact("paths", "readwrite", function (s) { return s.clear(); })])
      .then(function () { return transact("state", "readwrite", function (s) { return s.delete("user"); }); });
  }

  // A page for someone else than the phone's last reader: forget the last reader's pages first.
  function noteUser(marker) {
    return getState("user").then(function (current) {
      if (current === marker) return false;
      return forget().then(function () { return setState("user", marker); }).then(function () { return true; });
    });
  }

  function savedPaths(user) {
    return transact("paths", "readonly", function (s) { return s.getAll(); }).then(function (all) {
      return all.filter(function (p) { return p.user === user; });
    });
  }

  function savePath(record) { return transact("paths", "readwrite", function (s) { return s.put(record); }); }
  function dropPath(url) { return transact("paths", "readwrite", function (s) { return s.delete(url); }); }

  scope.lmsStore = {
    PAGES: PAGES, MEDIA: MEDIA, CACHEABLE: CACHEABLE, PROGRESS_ACTION: PROGRESS_ACTION,
    getState: getState, setState: setState, pending: pending, rejected: rejected, addEvent: addEvent,
    hasEvent: hasEvent, removeEvents: removeEvents, markRejected: markRejected, forgetEvents: forgetEvents,
    uuid: uuid, eventFromForm: eventFromForm, openedEvent: openedEvent, markerOf: markerOf,
    putPage: putPage, cachedPage: cachedPage, pageTitle: pageTitle, forget: forget, noteUser: noteUser,
    savedPaths: savedPaths, savePath: savePath, dropPath: dropPath
  };
})(self);
