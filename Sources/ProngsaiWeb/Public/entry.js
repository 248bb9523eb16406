// Paper questionnaire entry: a valid keystroke moves to the next answer, so an assessor types a
// whole questionnaire without the mouse (1–4 for scales, y/n for yes/no; Tab skips a blank).
(function () {
  var form = document.getElementById('entry');
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type=text], input:not([type])'));
  inputs.forEach(function (input, i) {
    input.addEventListener('input', function () {
      var v = input.value.trim().toLowerCase();
      var ok = input.placeholder === 'y/n' ? /^(y|n|yes|no)$/.test(v) : /^[1-9]$/.test(v);
      if (ok && i + 1 < inputs.length) inputs[i + 1].focus();
      if (ok && i + 1 === inputs.length) form.querySelector('button[type=submit]').focus();
    });
  });
  if (inputs.length && !form.querySelector('[aria-invalid=true]')) inputs[0].focus();
})();
