// Room screen: draws the server's clock and sends start / pause / next.
// The clock state lives on the server; this script interpolates between updates.
// Updates come live (server-sent events from /salle/flux: the clock, and the
// rotation after a publication or a re-plan); while that stream is down the
// script polls the same URL every 2 seconds.
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
  var whenEl = document.getElementById('room-when')
  var nextWhenEl = document.getElementById('room-next-when')
  var lastKey = ''

  // The clock times of the round under way (or next), of the break and of the next round, by the timetable.
  function roundTime(round) {
    var time = data.times && data.times.rounds[round - 1]
    return time ? fill(msg.roundTime, { round: round, time: time }) : ''
  }
  function breakTime(afterRound) {
    var time = data.times && data.times.breaks[String(afterRound)]
    return time ? fill(msg.breakTime, { time: time }) : ''
  }
  function drawTimes() {
    var finished = state.round > state.rounds
    var now = ''
    var next = ''
    if (state.round === 0) {
      now = data.times ? fill(msg.startsAt, { time: data.times.start }) : ''
      next = roundTime(1)
    } else if (!finished && state.onBreak) {
      now = breakTime(state.round)
      next = state.round < state.rounds ? roundTime(state.round + 1) : ''
    } else if (!finished) {
      now = roundTime(state.round)
      var upcoming = state.round < state.rounds ? roundTime(state.round + 1) : ''
      var pause = state.round < state.rounds ? breakTime(state.round) : ''
      next = pause && upcoming ? fill(msg.then, { first: pause, second: upcoming }) : upcoming
    }
    if (whenEl.textContent !== now) whenEl.textContent = now
    if (nextWhenEl.textContent !== next) nextWhenEl.textContent = next
  }

  function drawLists() {
    var key = state.round + ':' + state.onBreak
    if (key === lastKey) return
    lastKey = key
    drawTimes()
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

  // A new rotation (publication, re-plan) or new times: redraw the lists.
  function acceptData(next) {
    data = next
    lastKey = ''
    draw()
  }

  // Live: the server pushes the clock and the rotation as they change.
  var source = null
  var connectedAt = 0
  function connect() {
    if (!window.EventSource) return
    connectedAt = Date.now()
    source = new EventSource(boot.streamUrl)
    source.addEventListener('clock', function (e) { accept(JSON.parse(e.data)) })
    source.addEventListener('data', function (e) { acceptData(JSON.parse(e.data)) })
    // EventSource reconnects by itself; while it is not open, poll() fills in
  }
  function streaming() {
    return source !== null && source.readyState === 1
  }

  // The fallback: the same state as JSON, the rotation only when it changed.
  function poll() {
    if (streaming()) return
    // a stream refused for good (the server restarting answered 503) is tried again every 10 s
    if (source && source.readyState === 2 && Date.now() - connectedAt > 10000) connect()
    fetch(boot.streamUrl + '?stamp=' + encodeURIComponent(data.stamp), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (s) {
        if (!s) return
        if (s.data) acceptData(s.data)
        accept(s.clock)
      })
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
  connect()
  setInterval(draw, 250)
  setInterval(poll, 2000)
})()
