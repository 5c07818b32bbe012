// Live preview of the weight sliders: shows each slider's value as it moves and, after a
// short pause, asks the server for the before/after preview (HTML) and puts it in place.
// Without this script the page works the same with its Preview button.
(function () {
  "use strict";
  var form = document.querySelector("form.weights-form[data-preview-url]");
  var target = document.getElementById("preview");
  if (!form || !target || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = 0;

  function refresh() {
    var ticket = ++asked;
    var body = new FormData(form);
    var token = form.querySelector("input[name=csrf_token]");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {}
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (ticket === asked) {  // an older answer arriving late must not replace a newer one
        target.innerHTML = html;
      }
    }).catch(function () { /* the Preview button still works */ });
  }

  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.type !== "range") {
      return;
    }
    var output = document.getElementById(input.id + "-value");
    if (output) {
      output.textContent = input.value;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
}());
