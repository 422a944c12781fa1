// Small enhancements; every page works without them.
document.addEventListener('click', function (e) {
  var copy = e.target.closest('[data-copy]');
  if (copy) {
    var source = document.getElementById(copy.getAttribute('data-copy'));
    navigator.clipboard.writeText(source.textContent.trim()).then(function () { copy.textContent = 'Copied'; });
  }
});
document.addEventListener('change', function (e) {
  if (e.target.matches('[data-select-all]')) {
    document.querySelectorAll('input[name="sensorId"]').forEach(function (box) { box.checked = e.target.checked; });
  }
});
// Forms that ask first (the Content-Security-Policy allows no inline handlers).
document.addEventListener('submit', function (e) {
  var ask = e.target.getAttribute && e.target.getAttribute('data-confirm');
  if (ask && !window.confirm(ask)) {
    e.preventDefault();
  }
});
// "/" anywhere outside a text field goes to the search box (so does the accesskey K).
document.addEventListener('keydown', function (e) {
  var t = e.target;
  var typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
  var find = document.getElementById('find');
  if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey && find) {
    e.preventDefault();
    find.focus();
  }
});
