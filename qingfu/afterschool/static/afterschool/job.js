// A background job's page while the job runs: fetch the page again every second or two and
// put its #job section in place of this one, until the job has finished; then move focus
// to the result so that a screen reader (and a person on a phone) hears it. A static file,
// not inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";
  var DELAY = 1500;

  function poll() {
    var job = document.getElementById("job");
    var url = job && job.getAttribute("data-poll");
    if (!url) return;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job");
        if (!fresh) throw new Error("no #job");
        job.replaceWith(document.importNode(fresh, true));
        if (fresh.getAttribute("data-poll")) {
          window.setTimeout(poll, DELAY);
        } else {
          var result = document.getElementById("job-result");
          if (result) result.focus();
        }
      })
      .catch(function () {
        window.setTimeout(poll, DELAY * 4); // a slow or broken connection: try again later
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(poll, DELAY);
  });
})();
