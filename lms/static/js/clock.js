// Offer the phone's own time in the "Set the clock" form: phones keep the time from their network.
(function () {
  var field = document.getElementById("clock-moment");
  var offset = document.getElementById("clock-offset");
  if (!field || !offset) return;
  offset.value = String(new Date().getTimezoneOffset());
  // A time she typed and the server refused stays as she typed it: the message beside it is about that value.
  if (field.value && field.getAttribute("aria-invalid") === "true") return;
  var now = new Date();
  function two(n) { return (n < 10 ? "0" : "") + n; }
  field.value = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) +
    "T" + two(now.getHours()) + ":" + two(now.getMinutes());
  offset.value = String(now.getTimezoneOffset());
  var note = document.getElementById("phone-time-note");
  if (note) note.hidden = false;
})();
