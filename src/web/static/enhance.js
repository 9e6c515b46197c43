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
    })
  })
})()
