// Click-to-load players: a placeholder becomes the provider's frame only when the reader asks.
// Nothing is fetched from the provider before that click. Without this script the placeholder
// stays what it is in the HTML, a link to the talk on the provider's site.
"use strict";
document.addEventListener("click", (event) => {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
    return; // a new tab or window: let the link do what the reader asked
  }
  const placeholder = event.target.closest("a.embed-placeholder[data-embed-src]");
  if (!placeholder) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = placeholder.dataset.embedSrc;
  frame.title = placeholder.dataset.embedTitle;
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
  placeholder.replaceWith(frame);
  frame.focus();
});
