/* Record a voice note in the page: the browser's media recorder fills the form's plain file input, which is
   sent with the form as a recording from the phone's own recorder would be. Without JavaScript, or without a
   recorder, the file input alone still opens the phone's recorder. */
(function () {
  "use strict";

  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia
      || !window.DataTransfer || !window.File) return;
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];

  function enhance(box) {
    var input = box.querySelector('input[type="file"]');
    if (!input || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var say = function (name, n) { return (box.getAttribute("data-" + name) || "").replace("{n}", n); };
    var max = Number(box.getAttribute("data-max")) || 180;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "record";
    button.textContent = say("record");
    var status = document.createElement("p");
    status.className = "hint";
    status.setAttribute("role", "status");
    box.appendChild(button);
    box.appendChild(status);
    var recorder = null, started = 0, ticker = null, limit = null;

    function stop() {
      if (recorder && recorder.state !== "inactive") recorder.stop();
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var type = TYPES.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0];
        var chunks = [];
        recorder = type ? new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 24000 })
          : new MediaRecorder(stream);
        recorder.ondataavailable = function (event) { if (event.data && event.data.size) chunks.push(event.data); };
        recorder.onstop = function () {
          clearInterval(ticker);
          clearTimeout(limit);
          stream.getTracks().forEach(function (track) { track.stop(); });
          var seconds = Math.round((Date.now() - started) / 1000);
          var mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
          var extension = mime.indexOf("ogg") >= 0 ? ".ogg" : mime.indexOf("mp4") >= 0 ? ".m4a" : ".webm";
          var files = new DataTransfer();
          files.items.add(new File(chunks, "voice-note" + extension, { type: mime }));
          input.files = files.files;
          button.textContent = say("again");
          status.textContent = say("recorded", seconds);
          recorder = null;
        };
        started = Date.now();
        recorder.start(1000);
        button.textContent = say("stop");
        status.textContent = say("recording", 0);
        ticker = setInterval(function () {
          status.textContent = say("recording", Math.round((Date.now() - started) / 1000));
        }, 1000);
        limit = setTimeout(stop, max * 1000);  // never longer than the server takes
      }).catch(function () {
        button.hidden = true;  // no microphone, or refused: the file input is still there
      });
    }

    button.addEventListener("click", function () {
      if (recorder) stop(); else start();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".voice-recorder"), enhance);
})();
