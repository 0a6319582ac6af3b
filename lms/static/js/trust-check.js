/* The Check button of "Keep lessons on this phone": a phone that trusts the centre loads
   a tiny image from its secure address; one that does not gets an error. */
(function () {
  "use strict";
  var box = document.querySelector(".trust-check[data-probe]");
  if (!box) return;
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = false;
    var image = new Image();
    function finish(trusted) {
      if (done) return;
      done = true;
      status.textContent = trusted ? box.getAttribute("data-yes") : box.getAttribute("data-no");
      box.className = "trust-check " + (trusted ? "trusted" : "untrusted");
    }
    status.textContent = box.getAttribute("data-wait");
    box.className = "trust-check";
    setTimeout(function () { finish(false); }, 10000);
    image.onload = function () { finish(true); };
    image.onerror = function () { finish(false); };
    image.src = box.getAttribute("data-probe") + "?t=" + Date.now();
  });
})();
