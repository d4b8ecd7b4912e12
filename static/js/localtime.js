// Shows every <time data-style> in the page's language and the reader's own time zone.
// The server's text (UTC) stays when the browser lacks Intl or the value is not a date.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;

  // The language the server wrote the page in (<html lang>), so dates read like the text
  // around them, in the reader's own variant of it when the browser asks for one (en-GB
  // writes "10 April", en-US "April 10").
  function pageLanguage() {
    var page = document.documentElement.lang;
    if (!page) return undefined;
    var base = page.split("-")[0].toLowerCase();
    var wanted = navigator.languages || [navigator.language];
    for (var i = 0; i < wanted.length; i++) {
      if (wanted[i] && wanted[i].split("-")[0].toLowerCase() === base) return wanted[i];
    }
    return page;
  }
  var language = pageLanguage();
  var dayFormat, localDayFormat, momentFormat;
  try {
    // A plain day (YYYY-MM-DD) has no time zone: it is the same day everywhere.
    dayFormat = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" });
    localDayFormat = new Intl.DateTimeFormat(language, { dateStyle: "long" });
    momentFormat = new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" });
  } catch (error) {
    return; // an old browser without dateStyle, or a language tag it refuses: keep the server's text
  }
  var relative = Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(language, { numeric: "auto" }) : null;
  var units = [
    ["year", 31536000], ["month", 2592000], ["week", 604800],
    ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]
  ];
  var plainDay = /^\d{4}-\d{2}-\d{2}$/;

  function ago(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === "second") {
        return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
  }

  function localiseOne(el) {
    var value = el.getAttribute("datetime") || "";
    var isDay = plainDay.test(value);
    var date = new Date(isDay ? value + "T00:00:00Z" : value);
    if (isNaN(date.getTime())) return;
    if (el.dataset.style === "relative" && !isDay) {
      el.title = momentFormat.format(date);
      el.textContent = relative ? ago(date) : momentFormat.format(date);
    } else {
      el.textContent = (isDay ? dayFormat : localDayFormat).format(date);
    }
  }

  function localise(root) {
    root.querySelectorAll("time[data-style]").forEach(localiseOne);
  }

  window.talksLocalise = localise;
  localise(document);
})();
