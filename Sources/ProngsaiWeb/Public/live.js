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

// While a document job runs, its progress updates in place; the page reloads once the job has finished.
// Without JavaScript the page refreshes itself instead (a <noscript> refresh to the page's own address).
(function () {
  var job = document.querySelector('[data-job-running]');
  if (!job || !window.fetch) return;
  var url = job.getAttribute('data-job');
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 3000); return; }
        if (data.status === 'done' || data.status === 'failed') { location.replace(location.pathname); return; }
        var percent = data.steps > 0 ? Math.floor(data.step * 100 / data.steps) : 0;
        var bar = document.querySelector('[data-job-progress]');
        if (bar) { bar.value = percent; bar.textContent = percent + '%'; }
        var step = document.querySelector('[data-job-step]');
        if (step) step.textContent = data.step + ' / ' + data.steps;
        var message = document.querySelector('[data-job-message]');
        if (message && data.message) message.textContent = data.message;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
