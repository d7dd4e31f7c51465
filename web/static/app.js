// Steady's subscribe page: fill in the browser's time zone and say in
// plain words how often prompts will come. The form works without it.
(function () {
  "use strict";
  var form = document.getElementById("subscribe");
  if (!form) return;
  var tz = form.elements.namedItem("timezone");
  if (tz && !tz.value) {
    try {
      tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) { /* leave it for the person to type */ }
  }
  var names = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };
  var out = document.getElementById("how-often");
  var weekly = document.getElementById("weekly-days");
  var everyN = document.getElementById("every-n");

  // clock says "20:00" as the server's hint does: "20:00 (8 pm)".
  function clock(at) {
    var h = parseInt(at.slice(0, 2), 10), m = parseInt(at.slice(3), 10);
    var words;
    if (h === 0 && m === 0) words = "midnight";
    else if (h === 12 && m === 0) words = "noon";
    else words = ((h + 11) % 12 + 1) + (m ? ":" + at.slice(3) : "") + (h < 12 ? " am" : " pm");
    return at + " (" + words + ")";
  }
  var timeHint = document.getElementById("time-hint");

  function cadence() {
    var c = form.querySelector("input[name=cadence]:checked");
    return c ? c.value : "";
  }

  function describe() {
    var at = form.elements.namedItem("time").value;
    var zone = tz && tz.value ? " (" + tz.value + " time)" : "";
    if (!/^\d{2}:\d{2}$/.test(at)) return "Choose a time of day for your prompts.";
    at = clock(at);
    switch (cadence()) {
      case "daily":
        return "You'll get one prompt every day at " + at + zone + ".";
      case "weekly":
        var days = [];
        form.querySelectorAll("input[name=days]:checked").forEach(function (d) { days.push(names[d.value]); });
        if (days.length === 0) return "Choose at least one day of the week.";
        if (days.length === 7) return "You'll get one prompt every day at " + at + zone + ".";
        var list = days.length > 1 ? days.slice(0, -1).join(", ") + " and " + days[days.length - 1] : days[0];
        return "You'll get one prompt every " + list + " at " + at + zone + ".";
      case "every_n_days":
        var n = parseInt(form.elements.namedItem("every").value, 10);
        if (!(n >= 2 && n <= 30)) return "Choose a number of days from 2 to 30.";
        return "You'll get one prompt every " + n + " days at " + at + zone + ", counting from today.";
    }
    return "Choose how often you'd like a prompt.";
  }

  function update() {
    var c = cadence();
    if (weekly) weekly.hidden = c !== "weekly";
    if (everyN) everyN.hidden = c !== "every_n_days";
    if (out) out.textContent = describe();
    var at = form.elements.namedItem("time").value;
    if (timeHint && /^\d{2}:\d{2}$/.test(at)) timeHint.textContent = clock(at) + ", your local time.";
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
