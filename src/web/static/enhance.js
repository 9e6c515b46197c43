// Small progressive enhancements; every page works without this script.
(function () {
  'use strict'
  // Print buttons.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print() })
  })
  // Forms that run the solver: say it is working and avoid double submits.
  document.querySelectorAll('form[data-busy]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var button = form.querySelector('button[type=submit]')
      if (button) {
        button.disabled = true
        button.textContent = form.getAttribute('data-busy')
      }
      // a solve longer than a second shows where it stands (phase and share done), polled every half second
      var url = form.getAttribute('data-progress')
      var bar = form.querySelector('[data-progress-bar]')
      var text = form.querySelector('[data-progress-text]')
      if (!url || !bar || !text) return
      var phases = JSON.parse(form.getAttribute('data-phases') || '{}')
      var started = Date.now()
      var poll = function () {
        fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.json() })
          .then(function (p) {
            if (p.running && Date.now() - started > 1000) {
              bar.hidden = false
              text.hidden = false
              bar.value = p.fraction || 0
              text.textContent = (phases[p.phase] || p.phase || '') + (p.fraction ? ' — ' + Math.round(100 * p.fraction) + '\u00a0%' : '')
            }
          })
          .catch(function () {})
          .then(function () { setTimeout(poll, 500) })
      }
      setTimeout(poll, 500)
    })
  })
})()
