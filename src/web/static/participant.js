// Participant's schedule on the night: the highlighted meeting follows the room's round
// (every 30 seconds, and whenever the phone comes back to this page).
(function () {
  'use strict'
  var list = document.querySelector('[data-schedule]')
  if (!list) return
  function mark(round) {
    list.querySelectorAll('li[data-round]').forEach(function (li) {
      var now = String(round) === li.getAttribute('data-round')
      li.classList.toggle('current', now)
      if (now) li.setAttribute('aria-current', 'true')
      else li.removeAttribute('aria-current')
      var badge = li.querySelector('.badge.ok')
      if (now && !badge) {
        badge = document.createElement('span')
        badge.className = 'badge ok'
        badge.textContent = ' ' + list.getAttribute('data-now')
        li.querySelector('strong').after(badge)
      } else if (!now && badge) badge.remove()
    })
  }
  function refresh() {
    fetch(list.getAttribute('data-round-url'), { headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (s) { if (s) mark(s.round) })
      .catch(function () { /* offline: keep what is shown */ })
  }
  setInterval(refresh, 30000)
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh() })
})()
