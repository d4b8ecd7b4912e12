// Moments: a comment's link to a time in the video (data-seek, in seconds) or to a slide
// (data-slide) restarts the talk page's own player there instead of leaving the page. The
// link itself goes to the provider's page at that moment, for readers without JavaScript.
(function () {
  "use strict";

  // How each provider's player is told where to start.
  var STARTS = {
    "YouTube": function (url, seconds) {
      url.searchParams.set("start", seconds);
      url.searchParams.set("autoplay", "1");
    },
    "Vimeo": function (url, seconds) {
      url.searchParams.set("autoplay", "1");
      url.hash = "t=" + seconds + "s";
    },
    "Speaker Deck": function (url, slide) {
      url.searchParams.set("slide", slide);
    }
  };

  function moved(src, provider, where) {
    var url = new URL(src, document.baseURI);
    STARTS[provider](url, where);
    return url.toString();
  }

  function restart(player, where) {
    var provider = player.dataset.provider;
    if (!STARTS[provider]) return false;
    var frame = player.querySelector("iframe");
    if (frame) {
      frame.src = moved(frame.src, provider, where);
    } else {
      // A player not loaded yet (a click-to-load placeholder names its frame's address in
      // data-embed-src, static/js/embeds.js): it is built starting at the moment.
      var placeholder = player.querySelector("[data-embed-src]");
      if (!placeholder) return false;
      placeholder.dataset.embedSrc = moved(placeholder.dataset.embedSrc, provider, where);
      placeholder.click();
    }
    player.scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-seek], a[data-slide]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var seek = link.dataset.seek !== undefined;
    var player = document.querySelector('[data-player="' + (seek ? "video" : "slides") + '"]');
    if (player && restart(player, seek ? link.dataset.seek : link.dataset.slide)) {
      event.preventDefault();
    }
  });
})();
