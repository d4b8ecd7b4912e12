// Live preview of a comment: the server renders the text exactly as it will store it, and only
// that server-rendered, sanitised HTML goes into the preview.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form || !window.fetch) return;
  var source = form.querySelector("[data-preview-source]");
  var output = document.getElementById(form.dataset.previewTarget);
  var status = document.getElementById(form.dataset.previewTarget + "-status");
  if (!source || !output) return;

  var DELAY = 400;
  var timer = null;
  var controller = null;
  var shown = null;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  function render() {
    var text = source.value;
    if (text === shown) return;
    if (controller) controller.abort();
    if (!text.trim()) {
      shown = text;
      output.replaceChildren();
      say("");
      return;
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: new URLSearchParams({ body: text }),
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        }, function () {
          return { ok: false, data: { message: form.dataset.previewUnavailable } };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          say(result.data.message);
          return;
        }
        shown = text;
        output.innerHTML = result.data.html;
        say("");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") say(form.dataset.previewUnavailable);
      });
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, DELAY);
  });
})();
