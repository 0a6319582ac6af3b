/* Offline behaviour on top of pages that work without it: the service worker, the progress
   queue, "save this path for offline", the offline page's list, and a sign-out that forgets. */
(function () {
  "use strict";

  var store = window.lmsStore;
  var script = document.querySelector("script[data-strings]");
  if (!store || !script || !window.indexedDB || !window.fetch) return;
  var strings = {};  // filled from a small file per language, kept by the browser for a year
  var userMeta = document.querySelector('meta[name="lms-user"]');
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var user = userMeta ? userMeta.content : null;  // null on the offline page, which names nobody
  var offlineReady = "serviceWorker" in navigator && "caches" in window && window.isSecureContext;
  var API = "/api/v1/progress";
  var BATCH = 100;
  var status = null;
  var signInNeeded = false;
  var flushing = null;

  function loadStrings() {
    return fetch(script.getAttribute("data-strings"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (found) { strings = found; }, function () {});
  }

  function format(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function size(bytes) {
    var language = document.documentElement.lang;
    if (bytes < 1024 * 1024) return format(strings.kb, { n: Math.max(1, Math.round(bytes / 1024)).toLocaleString(language) });
    return format(strings.mb, { n: (bytes / 1048576).toLocaleString(language, { maximumFractionDigits: 1 }) });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function note(text, kind) {
    var p = element("p", "flash flash-" + (kind || "info"), text);
    p.setAttribute("role", kind === "error" ? "alert" : "status");
    return p;
  }

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
  }

  // -- the queue of progress kept on the phone ------------------------------------------

  function statusArea() {
    if (!status) {
      status = element("div", "offline-status");
      status.setAttribute("aria-live", "polite");
      var main = document.getElementById("main");
      main.insertBefore(status, main.firstChild);
    }
    return status;
  }

  function showStatus(sent) {
    if (!user) return Promise.resolve();
    return Promise.all([store.pending(user), store.rejected(user).then(withTitles)]).then(function (found) {
      var waiting = found[0], refused = found[1];
      if (!status && !waiting.length && !refused.length && !sent && !signInNeeded) return;
      var area = statusArea();
      area.textContent = "";
      if (sent && !waiting.length) area.appendChild(note(strings.sent, "success"));
      if (waiting.length) area.appendChild(note(format(strings.waiting, { n: waiting.length })));
      if (signInNeeded && waiting.length) area.appendChild(note(strings.signInAgain, "error"));
      if (refused.length) area.appendChild(refusedList(refused));
    });
  }

  // Name each lesson by its title when the phone has kept the lesson.
  function withTitles(events) {
    if (!offlineReady) return events.map(function (event) { event.title = event.lesson; return event; });
    return Promise.all(events.map(function (event) {
      return store.cachedPage(absolute("/lessons/" + encodeURIComponent(event.lesson)), user).then(function (page) {
        event.title = (page && store.pageTitle(page)) || event.lesson;
        return event;
      }, function () { event.title = event.lesson; return event; });
    }));
  }

  function refusedList(refused) {
    var box = element("div", "flash flash-error");
    box.appendChild(element("p", "", strings.rejected));
    var list = element("ul");
    refused.forEach(function (event) { list.appendChild(element("li", "", event.title + " — " + event.rejected)); });
    box.appendChild(list);
    var dismiss = element("button", "", strings.dismiss);
    dismiss.type = "button";
    dismiss.addEventListener("click", function () {
      store.removeEvents(refused.map(function (e) { return e.id; })).then(function () { return showStatus(false); });
    });
    box.appendChild(dismiss);
    return box;
  }

  function wireEvent(event) {
    return { id: event.id, type: event.type, lesson: event.lesson, at: event.at, data: event.data };
  }

  // Send her queued events; keep each one until the server accepted it or already had it.
  function flush() {
    if (!user) return Promise.resolve();
    if (!tokenMeta || !navigator.onLine) return showStatus(false);
    if (flushing) return flushing;
    var sent = false;
    function next(before) {
      return store.pending(user).then(function (events) {
        if (!events.length || events.length === before) return;
        return fetch(API, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": tokenMeta.content },
          body: JSON.stringify({ events: events.slice(0, BATCH).map(wireEvent) })
        }).then(function (response) {
          signInNeeded = response.status === 401;
          if (!response.ok) return;  // a stale page or a server error: the next try will do
          return response.json().then(function (result) {
            sent = sent || result.accepted.length + result.duplicates.length > 0;
            return store.removeEvents(result.accepted.concat(result.duplicates))
              .then(function () { return store.markRejected(result.rejected); })
              .then(function () { return next(events.length); });
          });
        });
      });
    }
    flushing = next(-1).catch(function () {}).then(function () {
      flushing = null;
      return showStatus(sent);
    });
    return flushing;
  }

  function answeredAll(form) {
    return Array.prototype.every.call(form.querySelectorAll("fieldset.question"), function (question) {
      return question.querySelector("input:checked");
    });
  }

  function showQueued(form) {
    var message = note(strings.queued);
    if (form) {
      form.parentNode.insertBefore(message, form.nextSibling);
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    } else {
      statusArea().appendChild(message);
    }
  }

  // Offline, a lesson's form is kept on the phone instead of failing.
  function queueForm(form) {
    if (form.matches(".quiz-form") && !answeredAll(form)) {
      form.parentNode.insertBefore(note(strings.answerAll, "error"), form);
      return;
    }
    var pathname = new URL(form.action, location.href).pathname;
    // Each try at a check is a new attempt; "done" keeps the page's id, so it counts once.
    var id = form.matches(".quiz-form") ? store.uuid() : undefined;
    var event = store.eventFromForm(pathname, new FormData(form), user, id);
    if (!event) return;
    store.addEvent(event).then(function () {
      showQueued(form);
      return showStatus(false);
    });
  }

  function signOut(form) {
    if (!navigator.onLine) {
      statusArea().appendChild(note(strings.signOutOffline, "error"));
      return;
    }
    withTimeout(flush(), 8000).then(function () { return store.pending(user); }).then(function (left) {
      if (left.length && !window.confirm(strings.signOutUnsent)) return;
      return Promise.all([store.forgetEvents(user), offlineReady ? store.forget() : null])
        .catch(function () {}).then(function () { form.submit(); });
    }, function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!user) return;
    if (form.matches(".sign-out")) {
      event.preventDefault();
      signOut(form);
    } else if (form.matches(".done-form, .quiz-form") && !navigator.onLine && form.querySelector('[name="event_id"]')) {
      event.preventDefault();
      queueForm(form);
    }
  });

  // -- saving a path for offline reading -------------------------------------------------

  function absolute(url) { return new URL(url, location.href).href; }

  function inSequence(items, step) {
    return items.reduce(function (chain, item) {
      return chain.then(function () { return step(item); });
    }, Promise.resolve());
  }

  // Keep each file at these addresses in the media cache; return the bytes they take.
  function keepMedia(urls, tick) {
    var bytes = 0;
    return caches.open(store.MEDIA).then(function (cache) {
      return inSequence(urls, function (url) {
        return cache.match(url, { ignoreVary: true }).then(function (hit) {
          if (hit) return hit.blob().then(function (blob) { bytes += blob.size; });
          return fetch(url).then(function (response) {
            if (response.status !== 200) throw new Error(response.status);
            return response.clone().blob().then(function (blob) {
              bytes += blob.size;
              return cache.put(url, response);
            });
          });
        }).then(tick);
      });
    }).then(function () { return bytes; });
  }

  // With `withAudio`, the lessons' recorded readings are kept too (the worker plays them from the cache).
  function savePath(list, progress, withAudio) {
    var audio = withAudio ? list.audio || [] : [];
    var total = list.pages.length + list.media.length + audio.length, done = 0, bytes = 0, audioBytes = 0;
    function tick() { done += 1; progress(done, total); }
    return store.noteUser(user).then(function () {
      return inSequence(list.pages, function (url) {
        // "Purpose: prefetch": saving a lesson is not reading it.
        return fetch(url, { credentials: "same-origin", headers: { "Purpose": "prefetch" } }).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text().then(function (html) {
            if (store.markerOf(html) !== user) throw new Error("signed out");
            bytes += new Blob([html]).size;
            return store.putPage(absolute(url), html, response, user);
          });
        }).then(tick);
      });
    }).then(function () {
      return keepMedia(list.media, tick);
    }).then(function (kept) {
      bytes += kept;
      return keepMedia(audio, tick);
    }).then(function (kept) {
      audioBytes = kept;
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      return store.savePath({ url: absolute(list.url), user: user, title: list.title, pages: list.pages.map(absolute),
                              media: list.media.concat(audio), bytes: bytes + audioBytes, audioBytes: audioBytes,
                              savedAt: new Date().toISOString() });
    });
  }

  function removePath(record) {
    return store.savedPaths(user).then(function (all) {
      var kept = {};
      all.forEach(function (other) {
        if (other.url !== record.url) other.media.forEach(function (url) { kept[url] = true; });
      });
      return Promise.all([caches.open(store.PAGES), caches.open(store.MEDIA)]).then(function (found) {
        return Promise.all(record.pages.map(function (url) { return found[0].delete(url); })
          .concat(record.media.filter(function (url) { return !kept[url]; })
            .map(function (url) { return found[1].delete(url); })));
      });
    }).then(function () { return store.dropPath(record.url); });
  }

  function storageLine(box) {
    if (!navigator.storage || !navigator.storage.estimate) return;
    navigator.storage.estimate().then(function (estimate) {
      if (estimate.usage) box.appendChild(element("p", "muted", format(strings.storage, { size: size(estimate.usage) })));
    });
  }

  function pathControls(heading) {
    var box = element("section", "offline-save");
    var anchor = heading.nextElementSibling && heading.nextElementSibling.matches(".lead")
      ? heading.nextElementSibling : heading;
    anchor.parentNode.insertBefore(box, anchor.nextSibling);

    // The path's recorded readings, named by the page: offered ticked unless she saves data.
    var audioSize = heading.getAttribute("data-audio-size");
    var saveData = heading.getAttribute("data-audio-default") === "off" ||
      Boolean(navigator.connection && navigator.connection.saveData);
    var audioBox = null;

    function audioChoice() {
      var label = element("label", "check offline-audio");
      audioBox = element("input");
      audioBox.type = "checkbox";
      audioBox.checked = !saveData;
      label.appendChild(audioBox);
      label.appendChild(document.createTextNode(" " + format(strings.withAudio, { size: audioSize })));
      return label;
    }

    function render(message) {
      return store.savedPaths(user).then(function (all) {
        var here = absolute(location.pathname);
        var record = all.filter(function (p) { return p.url === here; })[0];
        box.textContent = "";
        if (message) box.appendChild(message);
        if (record) {
          box.appendChild(element("p", "", format(strings.saved, { size: size(record.bytes) })));
          if (record.audioBytes) {
            box.appendChild(element("p", "", format(strings.audioKept, { size: size(record.audioBytes) })));
          } else if (audioSize) {
            var add = element("button", "", format(strings.addAudio, { size: audioSize }));
            add.type = "button";
            add.addEventListener("click", function () { start(true); });
            box.appendChild(element("p")).appendChild(add);
          }
          var remove = element("button", "", strings.remove);
          remove.type = "button";
          remove.addEventListener("click", function () { removePath(record).then(function () { render(); }); });
          box.appendChild(remove);
          storageLine(box);
        } else {
          if (audioSize) box.appendChild(audioChoice());
          var save = element("button", "primary", strings.save);
          save.type = "button";
          save.addEventListener("click", function () { start(Boolean(audioBox && audioBox.checked)); });
          box.appendChild(save);
        }
      });
    }

    function start(withAudio) {
      box.textContent = "";
      var bar = element("progress");
      var label = element("p", "", format(strings.saving, { done: 0, total: "…" }));
      label.setAttribute("role", "status");
      box.appendChild(label);
      box.appendChild(bar);
      fetch(heading.getAttribute("data-offline"), { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (list) {
        return savePath(list, function (done, total) {
          bar.max = total;
          bar.value = done;
          label.textContent = format(strings.saving, { done: done, total: total });
        }, withAudio);
      }).then(function () { return render(); }, function () { return render(note(strings.saveFailed, "error")); });
    }

    render();
  }

  // -- the offline page: what can be read without network ---------------------------------

  function listSaved(list) {
    store.getState("user").then(function (owner) {
      if (owner === undefined) return;
      return Promise.all([store.savedPaths(owner), caches.open(store.PAGES)]).then(function (found) {
        var paths = found[0], cache = found[1];
        return cache.keys().then(function (requests) {
          return Promise.all(requests.map(function (request) {
            return cache.match(request).then(function (response) { return { url: request.url, response: response }; });
          }));
        }).then(function (entries) {
          var pages = entries.filter(function (e) { return e.response && e.response.headers.get("X-LMS-User") === owner; });
          var inPaths = {};
          paths.forEach(function (path) {
            path.pages.forEach(function (url) { inPaths[url] = true; });
            var item = element("li");
            var link = element("a", "", path.title);
            link.href = path.url;
            item.appendChild(link);
            item.appendChild(document.createTextNode(" · " + size(path.bytes)));
            list.appendChild(item);
          });
          pages.forEach(function (page) {
            if (inPaths[page.url]) return;
            var item = element("li");
            var link = element("a", "", store.pageTitle(page.response) || page.url);
            link.href = page.url;
            item.appendChild(link);
            list.appendChild(item);
          });
          if (list.children.length) document.getElementById("offline-empty").hidden = true;
        });
      });
    }).catch(function () {});
    storageLine(document.getElementById("offline-storage"));
  }

  // -- start ------------------------------------------------------------------------------

  if (offlineReady) navigator.serviceWorker.register("/sw.js").catch(function () {});
  loadStrings().then(function () {
    if (location.hash === "#saved-offline") {
      history.replaceState(null, "", location.pathname + location.search);
      showQueued(document.querySelector(".quiz-form, .done-form"));
    }
    if (user) {
      flush();
      window.addEventListener("online", flush);
      document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
      setInterval(flush, 30000);
    }
    var heading = document.querySelector("h1[data-offline]");
    if (heading && offlineReady && user !== null) pathControls(heading);
    var savedList = document.getElementById("offline-list");
    if (savedList && offlineReady) listSaved(savedList);
  });
})();
