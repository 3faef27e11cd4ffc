/* The progress page of an import: asks for the run's status every 2 seconds and updates the figures;
   the sentence in the live region (role="status") is read out when it changes. When the run ends the
   page reloads, to show the result or every problem found. Without JavaScript: the "Refresh" link. */
(function () {
  "use strict";
  var root = document.querySelector("[data-mcee-import-status]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-mcee-import-status");
  var message = root.querySelector("[data-mcee-import-message]");
  var delay = 2000;
  var failures = 0;

  function show(data) {
    if (message && message.textContent !== data.message) { message.textContent = data.message; }
    root.querySelectorAll("[data-mcee-import-field]").forEach(function (element) {
      var name = element.getAttribute("data-mcee-import-field");
      var value = name === "status_label" ? data.status_label : data.figures[name];
      if (value !== undefined && element.textContent !== value) { element.textContent = value; }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // Signed out, or the server is restarting: try less often, and stop after a while.
        failures += 1;
        if (failures < 10) { window.setTimeout(poll, delay * (failures + 1)); }
      });
  }

  window.setTimeout(poll, delay);
})();
