// Reply in place: a comment's Reply link moves the comment form under that comment and fills in
// which comment it answers. Without JavaScript the same link loads the page with the form
// filled in (?reply=<id>#comment-form).
(function () {
  "use strict";
  var box = document.getElementById("comment-form-box");
  var home = document.getElementById("comment-form-home");
  var form = document.getElementById("comment-form");
  if (!box || !home || !form) return;
  var parent = form.querySelector("input[name=parent]");
  var note = form.querySelector("[data-replying-to]");
  var name = note && note.querySelector("[data-reply-name]");
  if (!parent || !note || !name) return;

  function focusText() {
    var text = form.querySelector("textarea");
    if (text) text.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-reply]");
    if (link) {
      event.preventDefault();
      var comment = link.closest("[data-comment]");
      // Under the comment's own text, before its replies.
      var controls = link.closest(".comment-controls") || comment.querySelector(".comment-body");
      controls.after(box);
      parent.value = link.dataset.reply;
      name.textContent = link.dataset.replyName;
      note.hidden = false;
      focusText();
      return;
    }
    if (event.target.closest("a[data-cancel-reply]")) {
      event.preventDefault();
      home.after(box);
      parent.value = "";
      note.hidden = true;
      focusText();
    }
  });
})();
