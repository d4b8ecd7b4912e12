// Shows every <time data-style> in the reader's own language and time zone.
// The server's text (UTC) stays when the browser lacks Intl.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;

  var dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeZone: "UTC" });
  var momentFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });
  var relative = Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var units = [
    ["year", 31536000], ["month", 2592000], ["week", 604800],
    ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]
  ];

  function ago(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === "second") {
        return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
  }

  function localise(root) {
    root.querySelectorAll("time[data-style]").forEach(function (el) {
      var value = el.getAttribute("datetime");
      if (el.dataset.style === "date") {
        // A plain day has no time zone: show it as that same day everywhere.
        el.textContent = dateFormat.format(new Date(value + "T00:00:00Z"));
        return;
      }
      var date = new Date(value);
      if (isNaN(date)) return;
      el.title = momentFormat.format(date);
      el.textContent = relative ? ago(date) : momentFormat.format(date);
    });
  }

  window.talksLocalise = localise;
  localise(document);
})();
