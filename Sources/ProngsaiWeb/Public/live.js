// Keeps response counts on the dashboard and the survey page current while a survey is open.
(function () {
  var source = document.querySelector('[data-live-source]');
  if (!source || !window.fetch) return;
  function update() {
    fetch(source.getAttribute('data-live-source'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        (data.parts || []).forEach(function (part) {
          document.querySelectorAll('[data-live-count="' + part.id + '"]').forEach(function (e) { e.textContent = part.responses; });
          document.querySelectorAll('[data-live-progress="' + part.id + '"]').forEach(function (e) { e.value = part.progress; });
        });
      })
      .catch(function () {});
  }
  setInterval(update, 20000);
})();
