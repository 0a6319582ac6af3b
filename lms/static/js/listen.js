/* Listen to this lesson: the phone's own speech synthesis reads the lesson aloud, sentence by sentence,
   with the sentence being read highlighted. Nothing goes over the network (only voices on the phone are
   used), so it works on a lesson saved for offline too. The button appears only when the phone has a voice
   for the lesson's language; without it (or without JavaScript) the page is unchanged. */
(function () {
  "use strict";

  var script = document.currentScript;
  var synth = window.speechSynthesis;
  var article = document.querySelector("article.lesson");
  if (!script || !synth || !window.SpeechSynthesisUtterance || !article) return;
  var language = (article.getAttribute("lang") || document.documentElement.getAttribute("lang") || "").toLowerCase();
  if (!language) return;
  var BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,blockquote,figcaption,caption,td,th,pre";
  var SKIP = "script,style,button,select,form,.listen";
  var RATES = [0.75, 1, 1.25, 1.5];
  var text = function (name) { return script.getAttribute("data-" + name) || name; };

  var voice = null;
  var sentences = null; // [{text, spans}], made on the first Listen
  var at = 0;           // the sentence being read, or to read on Resume
  var state = "idle";   // idle, playing or paused
  var turn = 0;         // ends of utterances from an earlier turn (cancelled) are ignored
  var controls, listenButton, stopButton, rateSelect;

  // A voice on the phone for this language: the exact tag first (fr-SN), then the language (fr).
  function findVoice() {
    var local = synth.getVoices().filter(function (v) { return v.localService !== false && v.lang; });
    var tag = function (v) { return v.lang.toLowerCase().replace("_", "-"); };
    return local.filter(function (v) { return tag(v) === language; })[0]
      || local.filter(function (v) { return tag(v).split("-")[0] === language.split("-")[0]; })[0] || null;
  }

  // Wrap the lesson's sentences in spans, so that the one being read can be highlighted.
  function collect() {
    var roots = article.querySelectorAll("h1, .objectives-box, .content");
    var found = [];
    var current = null;
    var close = function () { if (current && current.text.trim()) found.push(current); current = null; };
    Array.prototype.forEach.call(roots, function (root) {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      var block = null;
      nodes.forEach(function (node) {
        var owner = node.parentElement.closest(BLOCKS) || root;
        if (owner !== block) { close(); block = owner; }
        var pieces = node.nodeValue.match(/[^.!?…]+(?:[.!?…]+["»”’)\]]*\s*|$)|[.!?…]+\s*/g) || [];
        var fragment = document.createDocumentFragment();
        pieces.forEach(function (piece) {
          if (!piece.trim()) { fragment.appendChild(document.createTextNode(piece)); return; }
          var span = document.createElement("span");
          span.className = "listen-sentence";
          span.textContent = piece;
          fragment.appendChild(span);
          current = current || { text: "", spans: [] };
          current.text += piece;
          current.spans.push(span);
          if (/[.!?…]["»”’)\]]*\s*$/.test(piece)) close();
        });
        node.parentNode.replaceChild(fragment, node);
      });
      close();
    });
    return found;
  }

  function highlight(index) {
    Array.prototype.forEach.call(article.querySelectorAll(".listen-now"), function (s) {
      s.classList.remove("listen-now");
    });
    if (index < 0 || !sentences[index]) return;
    sentences[index].spans.forEach(function (s) { s.classList.add("listen-now"); });
    if (sentences[index].spans[0].scrollIntoView) sentences[index].spans[0].scrollIntoView({ block: "nearest" });
  }

  function speak(index, mine) {
    if (mine !== turn) return;
    if (index >= sentences.length) { stop(); return; }
    at = index;
    highlight(index);
    var utterance = new SpeechSynthesisUtterance(sentences[index].text);
    utterance.lang = voice.lang || language;
    utterance.voice = voice;
    utterance.rate = Number(rateSelect.value) || 1;
    utterance.onend = function () { speak(index + 1, mine); };
    utterance.onerror = function (event) {
      if (event.error !== "interrupted" && event.error !== "canceled") speak(index + 1, mine);
    };
    synth.speak(utterance);
  }

  // Pausing cancels and resumes from the start of the sentence: pause() is unreliable on Android.
  function play() {
    turn += 1;
    synth.cancel();
    state = "playing";
    show();
    speak(at, turn);
  }

  function pause() {
    turn += 1;
    synth.cancel();
    state = "paused";
    show();
  }

  function stop() {
    turn += 1;
    synth.cancel();
    at = 0;
    state = "idle";
    highlight(-1);
    show();
  }

  function show() {
    listenButton.textContent = text(state === "playing" ? "pause" : state === "paused" ? "resume" : "listen");
    listenButton.setAttribute("aria-pressed", state === "playing" ? "true" : "false");
    stopButton.hidden = state === "idle";
  }

  function build() {
    controls = document.createElement("div");
    controls.className = "listen";
    controls.setAttribute("lang", document.documentElement.getAttribute("lang") || "");
    listenButton = document.createElement("button");
    listenButton.type = "button";
    listenButton.className = "listen-button";
    stopButton = document.createElement("button");
    stopButton.type = "button";
    stopButton.textContent = text("stop");
    var label = document.createElement("label");
    label.textContent = text("speed") + " ";
    rateSelect = document.createElement("select");
    RATES.forEach(function (rate) {
      var option = document.createElement("option");
      option.value = String(rate);
      option.textContent = "× " + rate;
      option.selected = rate === 1;
      rateSelect.appendChild(option);
    });
    label.appendChild(rateSelect);
    controls.appendChild(listenButton);
    controls.appendChild(stopButton);
    controls.appendChild(label);
    listenButton.addEventListener("click", function () {
      if (!sentences) sentences = collect();
      if (state === "playing") pause(); else play();
    });
    stopButton.addEventListener("click", stop);
    rateSelect.addEventListener("change", function () { if (state === "playing") play(); });
    window.addEventListener("pagehide", function () { if (state !== "idle") stop(); });
    var title = article.querySelector("h1");
    title.parentNode.insertBefore(controls, title.nextSibling);
    show();
  }

  function offer() {
    if (controls) return;
    voice = findVoice();
    if (voice) build();
  }

  offer();
  // Voices often arrive a moment after the page: offer the button when they do.
  if (!controls && synth.addEventListener) synth.addEventListener("voiceschanged", offer);
})();
