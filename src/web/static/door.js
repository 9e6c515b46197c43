// The door (check-in tab) and the partnership board, a little faster with JavaScript.
// Without it every form still posts and the page comes back to the row (#p-<id>).
(function () {
  'use strict'

  // Lower case, without accents: the same rule as searchKey() in src/web/organiser/checkin.tsx.
  function key(text) {
    return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  }

  var bar = document.querySelector('[data-door]')
  if (bar) {
    var live = document.getElementById('door-live')
    var shownText = document.getElementById('door-shown')
    var none = document.querySelector('[data-door-none]')
    var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-search]'))

    // ---- search as you type (filters the rows already on the page) ----
    var search = document.getElementById('door-q')
    var searchForm = document.querySelector('[data-door-search]')
    function filter() {
      var wanted = key(search.value.trim())
      var shown = 0
      rows.forEach(function (row) {
        var match = row.getAttribute('data-search').indexOf(wanted) !== -1
        row.hidden = !match
        if (match) shown++
      })
      if (shownText) {
        shownText.textContent = shownText.getAttribute('data-shown-template').replace('{shown}', shown).replace('{total}', rows.length)
      }
      if (none) none.hidden = shown > 0 || rows.length === 0
      // the list scrolled under the bar: bring its top back just below the bar, so the matches show
      var list = document.querySelector('.checkin')
      var gap = list ? list.getBoundingClientRect().top - bar.getBoundingClientRect().bottom : 0
      if (gap < 0) window.scrollBy(0, gap)
    }
    if (search) {
      search.addEventListener('input', filter)
      searchForm.addEventListener('submit', function (e) {
        e.preventDefault()
        filter()
      })
    }

    // ---- marking present / absent / walk-in without reloading ----
    function say(text, refused) {
      // emptied first, so that the same words twice are announced twice; a refusal is shown in full
      live.textContent = ''
      live.classList.toggle('bad', Boolean(refused))
      window.setTimeout(function () { live.textContent = text }, 30)
    }
    function setCounts(counts) {
      Object.keys(counts).forEach(function (name) {
        var el = bar.querySelector('[data-count="' + name + '"]')
        if (el) el.textContent = String(counts[name])
      })
    }
    document.querySelectorAll('form[data-door-mark]').forEach(function (form) {
      form.addEventListener('submit', function (e) {
        var button = e.submitter || form.querySelector('button[aria-pressed="true"]')
        if (!button || !window.fetch) return
        e.preventDefault()
        if (form.getAttribute('aria-busy') === 'true') return
        form.setAttribute('aria-busy', 'true')
        var body = new URLSearchParams()
        body.set('attendance', button.value)
        fetch(form.action, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
          credentials: 'same-origin',
        })
          .then(function (response) {
            return response.json().then(function (data) { return { ok: response.ok, data: data } })
          })
          .then(function (result) {
            var data = result.data || {}
            if (!result.ok || !data.ok) {
              say(data.message || form.getAttribute('aria-label'), true)
              return
            }
            form.querySelectorAll('button[name="attendance"]').forEach(function (b) {
              b.setAttribute('aria-pressed', b.value === data.attendance ? 'true' : 'false')
            })
            var row = form.closest('tr')
            var badge = row && row.querySelector('[data-state]')
            if (badge) {
              badge.textContent = data.label
              badge.className = 'badge ' + (data.attendance === 'absent' ? 'bad' : data.attendance === 'registered' ? '' : 'ok')
            }
            setCounts(data.counts)
            say(data.message)
          })
          .catch(function () {
            // the network failed: fall back to the ordinary form post
            form.removeAttribute('aria-busy')
            var fallback = document.createElement('input')
            fallback.type = 'hidden'
            fallback.name = 'attendance'
            fallback.value = button.value
            form.appendChild(fallback)
            form.submit()
          })
          .then(function () { form.removeAttribute('aria-busy') })
      })
    })
  }

  // ---- the board: the reason field shows (and is required) for « Abandonné » ----
  document.querySelectorAll('form[data-move]').forEach(function (form) {
    var select = form.querySelector('select[name="status"]')
    var reason = form.querySelector('[data-reason]')
    if (!select || !reason) return
    var input = reason.querySelector('input, textarea')
    function toggle() {
      var abandoning = select.value === 'abandoned'
      reason.hidden = !abandoning
      if (input) input.required = abandoning
    }
    select.addEventListener('change', toggle)
    toggle()
  })
})()
