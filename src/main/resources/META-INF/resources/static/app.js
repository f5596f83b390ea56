// Copy buttons: <button data-copy="id-of-element"> copies that element's text; and the setup link below.
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) return;
  var source = document.getElementById(button.getAttribute('data-copy'));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    var label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});

// A setup link carries its secret in the URL's fragment, which the browser never sends: this page posts it
// once, and takes it out of the address bar and the history first.
(function () {
  var form = document.getElementById('setup-link');
  if (!form || location.hash.length < 2 || document.getElementById('link-error')) return;
  form.elements.secret.value = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  form.submit();
})();
