/* The downloaded path file: tick lessons, grade checks as the server does, keep both as events, send them. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lms-data").textContent);
  var S = data.strings;
  var state = {events: []};
  var storage = null;

  try {  // file:// pages may have no storage at all (or one that throws)
    storage = window.localStorage;
    storage.setItem(data.store + ":probe", "1");
    storage.removeItem(data.store + ":probe");
  } catch (e) { storage = null; }

  function load() {
    if (!storage) return;
    try {
      var saved = JSON.parse(storage.getItem(data.store) || "null");
      if (saved && saved.events && saved.events.length !== undefined) state = saved;
    } catch (e) { /* a damaged copy: start again */ }
  }

  function save() {
    if (!storage) return;
    try { storage.setItem(data.store, JSON.stringify(state)); } catch (e) { /* full: the page still holds them */ }
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      try { return window.crypto.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    var bytes = [], i, hex = "";
    if (window.crypto && window.crypto.getRandomValues) {
      var random = new Uint8Array(16);
      window.crypto.getRandomValues(random);
      for (i = 0; i < 16; i++) bytes.push(random[i]);
    } else {
      for (i = 0; i < 16; i++) bytes.push(Math.floor(Math.random() * 256));
    }
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    for (i = 0; i < 16; i++) {
      hex += (bytes[i] + 256).toString(16).slice(1);
      if (i === 3 || i === 5 || i === 7 || i === 9) hex += "-";
    }
    return hex;
  }

  function record(type, lesson, extra) {
    state.events.push({id: uuid(), type: type, lesson: lesson, at: new Date().toISOString(), data: extra || {}});
    save();
  }

  function roundHalfEven(x) {  // Python's round(), so the file and the server agree on every score
    var floor = Math.floor(x), rest = x - floor;
    if (rest > 0.5) return floor + 1;
    if (rest < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function grade(check, answers) {
    // The server's rule: a question is right when exactly its right answers are chosen.
    var ids = Object.keys(check.questions), right = 0, results = {};
    ids.forEach(function (id) {
      var chosen = (answers[id] || []).filter(function (a, i, all) { return all.indexOf(a) === i; }).sort();
      var expected = check.questions[id].right;
      var correct = chosen.length === expected.length && chosen.every(function (a, i) { return a === expected[i]; });
      if (correct) right += 1;
      results[id] = correct;
    });
    var score = ids.length ? roundHalfEven(100 * right / ids.length) : 0;
    return {score: score, passed: score >= data.pass, results: results};
  }

  function lastAnswers(lesson) {
    var found = null;
    state.events.forEach(function (event) {
      if (event.type === "quiz_answered" && event.lesson === lesson) found = event.data.answers;
    });
    return found;
  }

  function isDone(lesson) {
    var check = data.checks[lesson];
    return state.events.some(function (event) {
      if (event.lesson !== lesson) return false;
      if (check) return event.type === "quiz_answered" && grade(check, event.data.answers).passed;
      return event.type === "lesson_completed";
    });
  }

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function showResult(section, check, answers) {
    var graded = grade(check, answers);
    each("fieldset.question", function (fieldset) {
      var id = fieldset.getAttribute("data-question"), chosen = answers[id] || [];
      fieldset.className = "question " + (graded.results[id] ? "right" : "wrong");
      each("input", function (input) { input.checked = chosen.indexOf(input.value) !== -1; }, fieldset);
      each(".explanation", function (p) {
        var answer = p.getAttribute("data-answer");
        p.hidden = !(chosen.indexOf(answer) !== -1 || (graded.passed && p.className.indexOf("right") !== -1));
      }, fieldset);
    }, section);
    var result = section.querySelector(".check-result");
    result.textContent = S.score.replace("{score}", graded.score) + " " + (graded.passed ? S.passed : S.again);
    result.className = "check-result flash " + (graded.passed ? "flash-success" : "flash-error");
  }

  function refresh() {
    each(".lesson-done", function (p) {
      var lesson = p.getAttribute("data-lesson");
      p.hidden = false;
      if (isDone(lesson)) {
        p.textContent = S.done;
        p.className = "lesson-done flash flash-success";
      }
    });
    each("[data-done-tag]", function (tag) { tag.hidden = !isDone(tag.getAttribute("data-done-tag")); });
    var pending = document.querySelector(".send .pending");
    pending.textContent = state.events.length ? S.pending.replace("{n}", state.events.length) : S.none;
  }

  load();
  each(".quiz[data-check]", function (section) {
    var lesson = section.getAttribute("data-check"), check = data.checks[lesson];
    var button = section.querySelector(".check-answers");
    var previous = lastAnswers(lesson);
    if (previous) showResult(section, check, previous);
    button.hidden = false;
    button.addEventListener("click", function () {
      var answers = {}, missing = false;
      each("fieldset.question", function (fieldset) {
        var id = fieldset.getAttribute("data-question"), chosen = [];
        each("input:checked", function (input) { chosen.push(input.value); }, fieldset);
        if (!chosen.length) missing = true;
        answers[id] = chosen;
      }, section);
      var result = section.querySelector(".check-result");
      if (missing) {
        result.textContent = S.answerAll;
        result.className = "check-result flash flash-error";
        return;
      }
      record("quiz_answered", lesson, {answers: answers, language: check.language});
      showResult(section, check, answers);
      refresh();
    });
  });
  each(".lesson-done .tick", function (button) {
    button.addEventListener("click", function () {
      var lesson = button.parentNode.getAttribute("data-lesson");
      if (!isDone(lesson)) record("lesson_completed", lesson);
      refresh();
    });
  });
  document.querySelector(".send-form").addEventListener("submit", function (event) {
    if (!state.events.length) {
      event.preventDefault();
      document.querySelector(".send .pending").textContent = S.none;
      return;
    }
    this.elements.events.value = JSON.stringify(state.events);
  });
  document.querySelector(".no-script").hidden = true;
  document.getElementById("send").hidden = false;
  document.querySelector("[data-send-link]").hidden = false;
  if (!storage) {
    var warning = document.createElement("p");
    warning.className = "flash flash-info";
    warning.textContent = S.noStorage;
    document.getElementById("send").insertBefore(warning, document.querySelector(".send .pending"));
  }
  refresh();
}());
