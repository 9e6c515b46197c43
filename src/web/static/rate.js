// Rating screen: hide the questions that do not apply when the meeting did not take place.
(function () {
  'use strict'
  var form = document.querySelector('[data-rating-form]')
  if (!form) return
  var held = form.querySelector('[data-when-held]')
  function update() {
    var no = form.querySelector('input[name=tookPlace][value=no]').checked
    held.hidden = no
  }
  form.querySelectorAll('input[name=tookPlace]').forEach(function (i) { i.addEventListener('change', update) })
  update()
})()
