// Leave quickly: replace this page with a neutral site, so that the Back
// button does not bring it back (location.replace adds nothing to the
// history). Without scripts the button is a plain link that works too.
// Pressing Esc three times in a row (within two seconds) does the same.
(function () {
  "use strict";
  var link = document.getElementById("leave-quickly");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.title = "";
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var presses = 0;
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    var now = Date.now();
    presses = now - last < 2000 ? presses + 1 : 1;
    last = now;
    if (presses >= 3) {
      leave(event);
    }
  });
})();
