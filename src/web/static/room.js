// Room screen: draws the server's clock and sends start / pause / next.
// The clock state lives on the server; this script only interpolates between polls.
(function () {
  'use strict'
  var boot = JSON.parse(document.getElementById('room-data').textContent)
  var data = boot.data
  var msg = boot.messages
  var state = boot.clock
  var receivedAt = Date.now()
  var rang = false

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? String(values[name]) : whole })
  }
  function elapsedNow() {
    return state.running ? state.elapsedMs + (Date.now() - receivedAt) : state.elapsedMs
  }
  function mmss(ms) {
    var s = Math.ceil(Math.abs(ms) / 1000)
    var m = Math.floor(s / 60)
    return (ms < 0 ? '+' : '') + String(m).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0')
  }
  function list(el, lines) {
    el.textContent = ''
    lines.forEach(function (line) {
      var li = document.createElement('li')
      li.textContent = line
      el.appendChild(li)
    })
  }
  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)()
      var osc = ctx.createOscillator()
      osc.frequency.value = 660
      osc.connect(ctx.destination)
      osc.start()
      osc.stop(ctx.currentTime + 0.8)
    } catch (e) { /* no sound: the screen still shows the time */ }
  }

  var title = document.getElementById('room-round')
  var clockEl = document.getElementById('room-clock')
  var stateEl = document.getElementById('room-state')
  var nowEl = document.getElementById('room-now')
  var nextEl = document.getElementById('room-next')
  var lastKey = ''

  function drawLists() {
    var key = state.round + ':' + state.onBreak
    if (key === lastKey) return
    lastKey = key
    var finished = state.round > state.rounds
    var current = state.round >= 1 && !finished && !state.onBreak ? data.rounds[state.round - 1] || [] : []
    var upcomingRound = state.round === 0 ? 1 : state.round + 1
    var upcoming = !finished && upcomingRound <= state.rounds ? data.rounds[upcomingRound - 1] || [] : []
    if (data.rounds.every(function (r) { return r.length === 0 })) {
      list(nowEl, [msg.noSchedule])
      list(nextEl, [])
      return
    }
    // Big events (30+ tables): smaller clock and type, more columns, so everything fits one screen.
    var rows = Math.max(current.length, upcoming.length)
    document.querySelector('.room').setAttribute('data-many', rows > 24 ? 'lots' : rows > 12 ? 'many' : '')
    list(nowEl, current.map(function (m) { return fill(msg.tableLine, m) }))
    list(nextEl, upcoming.map(function (m) { return fill(msg.moves, { name: m.moving, table: m.table }) }))
  }

  function draw() {
    var finished = state.round > state.rounds
    if (state.round === 0) title.textContent = msg.before
    else if (finished) title.textContent = msg.finished
    else if (state.onBreak) title.textContent = msg.break
    else title.textContent = fill(msg.round, { round: state.round, rounds: state.rounds })
    var remaining = state.durationMs - elapsedNow()
    clockEl.textContent = finished ? '' : mmss(remaining)
    clockEl.className = 'clock' + (remaining < 0 ? ' over' : remaining <= 60000 ? ' low' : '')
    stateEl.textContent = state.round === 0 || finished ? '' : !state.running ? msg.paused : remaining < 0 ? msg.over : remaining <= 60000 ? msg.low : ''
    if (state.running && remaining <= 0 && !rang) { rang = true; beep() }
    if (remaining > 0) rang = false
    drawLists()
  }

  function accept(next) {
    state = next
    receivedAt = Date.now()
    draw()
  }

  // One action at a time, in key order: three quick presses of N move three rounds.
  var queue = Promise.resolve()
  function send(action) {
    queue = queue.then(function () { return post(action) }).catch(function () {})
    return queue
  }
  function post(action) {
    return fetch(boot.stateUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ action: action }),
    }).then(function (r) { return r.ok ? r.json() : null }).then(function (s) { if (s) accept(s) })
  }

  function poll() {
    fetch(boot.stateUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (s) { if (s) accept(s) })
      .catch(function () { /* offline: keep counting locally */ })
  }

  document.querySelectorAll('form[action$="/etat"]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault()
      send(form.querySelector('input[name=action]').value)
    })
  })

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return
    var k = e.key.toLowerCase()
    var action = k === ' ' ? 'toggle' : k === 'n' || k === 'arrowright' ? 'next' : k === 'p' || k === 'arrowleft' ? 'previous' : k === 'r' ? 'restart' : null
    if (action) {
      e.preventDefault()
      send(action)
    } else if (k === 'f') {
      if (document.fullscreenElement) document.exitFullscreen()
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {})
    }
  })

  draw()
  setInterval(draw, 250)
  setInterval(poll, 2000)
})()
