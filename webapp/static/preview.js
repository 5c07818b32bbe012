/* Live preview of an opening while the association types (progressive enhancement).
 *
 * Without this script the "Preview" button re-renders the page with the panel. With it,
 * the form is posted (with its CSRF token) to the preview endpoint in `data-preview-url`
 * a moment after the last change, and the answer (the panel's HTML) replaces the panel.
 * The endpoint saves nothing. */
(function () {
  "use strict";
  var form = document.getElementById("opening-form");
  var panel = document.getElementById("preview-panel");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var DELAY_MS = 600;
  var timer = null;
  var latest = 0;

  function refresh() {
    var asked = ++latest;
    var data = new FormData(form);
    data.set("action", "preview");
    fetch(url, {method: "POST", body: data, credentials: "same-origin",
                headers: {"X-Requested-With": "fetch"}})
      .then(function (response) {
        // Only the panel itself (also with the form's errors), never an error page.
        if (!response.headers.get("X-Preview-Panel")) {
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null && asked === latest) {  // an older answer arriving late must not overwrite a newer one
          panel.innerHTML = html;
        }
      })
      .catch(function () { /* offline: the Preview button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
