// Participant's page on the night: it follows the evening live. The server
// sends the page's state (the round under way, the published schedule, a
// digest of this participant's programme) as server-sent events from
// /p/<secret>/flux; while that stream is down the script polls the same URL.
// A new schedule: the programme and rating lists are fetched again and put in
// place; if this participant's own programme changed since the page was
// loaded, a banner says so. The highlighted meeting follows the room's round.
(function () {
  'use strict'
  var root = document.querySelector('[data-live-banner]')
  if (!root) return
  var streamUrl = root.getAttribute('data-stream-url')
  var pageUrl = root.getAttribute('data-page-url')
  var loadedProgramme = root.getAttribute('data-programme')
  var shown = { stamp: root.getAttribute('data-stamp'), programme: loadedProgramme }
  var work = Promise.resolve()

  function mark(round) {
    var list = document.querySelector('[data-schedule]')
    if (!list) return
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

  // The page as the server renders it now: its live parts replace ours.
  function refreshParts() {
    return fetch(pageUrl, { headers: { accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null })
      .then(function (html) {
        if (!html) return false
        var fresh = new DOMParser().parseFromString(html, 'text/html')
        document.querySelectorAll('[data-live]').forEach(function (part) {
          var next = fresh.querySelector('[data-live="' + part.getAttribute('data-live') + '"]')
          if (next) part.replaceWith(document.importNode(next, true))
        })
        return true
      })
  }

  function banner() {
    if (root.firstChild) return
    var p = document.createElement('p')
    p.className = 'notice warn'
    p.textContent = root.getAttribute('data-changed')
    root.appendChild(p)
  }

  function accept(state) {
    work = work.then(function () {
      var changed = state.stamp !== shown.stamp || state.programme !== shown.programme
      return (changed ? refreshParts() : Promise.resolve(true)).then(function (done) {
        if (!done) return
        shown = { stamp: state.stamp, programme: state.programme }
        if (state.programme !== loadedProgramme) banner()
        mark(state.round)
      })
    }).catch(function () { /* offline: keep what is shown, the next state tries again */ })
  }

  var source = null
  var connectedAt = 0
  function connect() {
    if (!window.EventSource) return
    connectedAt = Date.now()
    source = new EventSource(streamUrl)
    source.addEventListener('state', function (e) { accept(JSON.parse(e.data)) })
  }
  connect()
  function poll(force) {
    if (!force && source && source.readyState === 1) return
    // a stream refused for good (the server restarting answered 503) is tried again every 10 s
    if (source && source.readyState === 2 && Date.now() - connectedAt > 10000) connect()
    fetch(streamUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (s) { if (s) accept(s) })
      .catch(function () { /* offline: keep what is shown */ })
  }
  setInterval(function () { poll(false) }, 3000)
  // back to the page (a phone woken up): check at once, the stream may have missed something while asleep
  document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(true) })
})()
