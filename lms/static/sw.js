/* The service worker: served at /sw.js by lms/web/offline.py, which puts self.LMS (version,
   app shell, offline page) and the shared store (self.lmsStore) in front of this file. */
"use strict";

var store = self.lmsStore;
var SHELL = "lms-shell-" + self.LMS.version;
var NETWORK_TIMEOUT = 3000;
var POST_TIMEOUT = 10000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL)
    .then(function (cache) { return cache.addAll(self.LMS.shell).then(function () { return cache.match(self.LMS.offline); }); })
    .then(function (page) { return page.text(); })
    .then(function (html) { return store.setState("language", languageOf(html)); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("lms-shell-") === 0 && name !== SHELL; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (request.method === "GET" && url.pathname.indexOf("/media/") === 0) {
      event.respondWith(fromCacheFirst(event, store.MEDIA, true));  // "Show image", with save-data on
    } else if (request.method === "GET") event.respondWith(navigate(event, url));
    else if (request.method === "POST" && store.PROGRESS_ACTION.test(url.pathname)) {
      event.respondWith(postProgress(event, url));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromCacheFirst(event, SHELL, /\.[0-9a-f]{10}\.[a-z0-9]+$/i.test(url.pathname)));
  } else if (url.pathname.indexOf("/offline/strings/") === 0) {
    event.respondWith(fromCacheFirst(event, SHELL, url.searchParams.has("v")));
  } else if (url.pathname.indexOf("/media/") === 0 && (request.destination === "audio" || request.headers.has("Range"))) {
    event.respondWith(playFromCache(event));
  } else if (url.pathname.indexOf("/media/") === 0) {
    event.respondWith(fromCacheFirst(event, store.MEDIA, true));
  }
});

function delay(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms, null); });
}

// Network first, within a few seconds; then her cached copy; then the offline page.
function navigate(event, url) {
  var network = fetch(event.request);
  event.waitUntil(network.then(function (response) { return remember(url, response.clone()); })
    .catch(function () {}));
  return Promise.race([network, delay(NETWORK_TIMEOUT)]).then(function (response) {
    if (response) return response;
    return currentPage(url.href).then(function (cached) { return cached || network; });
  }).catch(function () {
    return currentPage(url.href).then(function (cached) {
      if (!cached) return offlinePage();
      return noteOpened(url).catch(function () {}).then(function () { return cached; });
    });
  });
}

function currentPage(href) {
  return store.getState("user").then(function (user) {
    return user === undefined ? null : store.cachedPage(href, user);
  });
}

function offlinePage() {
  return caches.match(self.LMS.offline, { cacheName: SHELL }).then(function (page) {
    return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

// Learn whose page this is from the page itself; keep the catalogue pages for her.
function remember(url, response) {
  var type = response.headers.get("Content-Type") || "";
  if (type.indexOf("text/html") !== 0) return Promise.resolve();
  return response.text().then(function (html) {
    var marker = store.markerOf(html);
    if (marker === null) return null;  // a page that names nobody (the offline page)
    return store.noteUser(marker).then(function () {
      return Promise.all([
        response.status === 200 && !response.redirected && store.CACHEABLE.test(url.pathname)
          ? store.putPage(url.href, html, response, marker) : null,
        refreshOfflinePage(html)
      ]);
    });
  });
}

function languageOf(html) {
  var match = /<html lang="([^"]+)"/.exec(html);
  return match ? match[1] : null;
}

// The offline page speaks her language: fetch it again when she changes language.
function refreshOfflinePage(html) {
  var wanted = languageOf(html);
  if (!wanted) return null;
  return store.getState("language").then(function (language) {
    if (language === wanted) return null;
    return caches.open(SHELL).then(function (cache) { return cache.add(self.LMS.offline); })
      .then(function () { return store.setState("language", wanted); });
  });
}

function noteOpened(url) {
  return store.getState("user").then(function (user) {
    var event = user ? store.openedEvent(url.pathname, user) : null;
    return event ? store.addEvent(event) : null;
  });
}

// A lesson's "done" or knowledge-check form posted without network: keep it in the queue.
function postProgress(event, url) {
  var copy = event.request.clone();
  var network = fetch(event.request);
  return Promise.race([network, delay(POST_TIMEOUT)]).then(function (response) {
    if (!response) throw new Error("timeout");
    return response;
  }).catch(function () {
    return Promise.all([copy.formData(), store.getState("user")]).then(function (found) {
      var queued = found[1] ? store.eventFromForm(url.pathname, found[0], found[1]) : null;
      if (!queued) return offlinePage();
      var back = pageSentFrom(event.request, "/lessons/" + encodeURIComponent(queued.lesson));
      return store.addEvent(queued).then(function () { return Response.redirect(back + "#saved-offline", 303); });
    });
  });
}

// Back to the page the form was on: a lesson read in steps has its forms on its last step (?step=4).
function pageSentFrom(request, lesson) {
  try {
    var from = new URL(request.referrer);
    if (from.origin === self.location.origin && from.pathname === lesson) return from.pathname + from.search;
  } catch (error) { /* no referrer: the lesson's first page */ }
  return lesson;
}

// A recording kept on the phone plays from it: the player asks for byte ranges (to start, to seek), so answer
// each with its slice of the kept file. Recordings are kept when she saves a path with them, and when she
// listens to one from its start online: the whole file is fetched once, played as it arrives and kept as well,
// which costs her nothing more. A recording is never fetched before she presses play (the page says its size).
function playFromCache(event) {
  var request = event.request;
  return caches.match(request.url, { cacheName: store.MEDIA, ignoreVary: true }).then(function (cached) {
    if (!cached) return keepWhileListening(event);
    var range = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get("Range") || "").trim());
    if (!range || (!range[1] && !range[2])) return cached;
    return cached.blob().then(function (blob) {
      var size = blob.size;
      var start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      var end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || start > end) {
        return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
      }
      return new Response(blob.slice(start, end + 1), { status: 206, headers: {
        "Content-Type": cached.headers.get("Content-Type") || "audio/ogg",
        "Content-Range": "bytes " + start + "-" + end + "/" + size,
        "Content-Length": String(end - start + 1),
        "Accept-Ranges": "bytes"
      } });
    });
  });
}

function keepWhileListening(event) {
  var request = event.request;
  var range = (request.headers.get("Range") || "").trim();
  if (range && range !== "bytes=0-") return fetch(request);  // a seek in a recording not kept: only that part
  return fetch(request.url, { credentials: "same-origin" }).then(function (response) {
    if (response.status === 200 && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(store.MEDIA).then(function (cache) { return cache.put(request.url, copy); })
        .catch(function () {}));  // the network failed midway: nothing half kept
    }
    return response;
  });
}

// Files named by their content (hashed names, versioned strings, media) never change:
// a cached copy is the right one, and a new one is kept.
function fromCacheFirst(event, cacheName, keep) {
  var request = event.request;
  return caches.match(request).then(function (cached) {
    if (cached) return cached;
    return fetch(request).then(function (response) {
      if (keep && response.ok && response.type === "basic") {
        var copy = response.clone();
        event.waitUntil(caches.open(cacheName).then(function (cache) { return cache.put(request, copy); }));
      }
      return response;
    });
  });
}
