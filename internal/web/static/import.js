// import.js: shows how far the upload of a large file has gone. Without it (or without
// JavaScript) the form posts as usual and the browser shows the result page the same way.
(function () {
  'use strict';
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
    return;
  }
  bind();

  // bind enhances the import form of the page, if it has one.
  function bind() {
    var form = document.getElementById('import-form');
    if (!form) {
      return;
    }
    var input = form.querySelector('input[type=file]');
    var button = form.querySelector('button[type=submit]');
    var box = document.getElementById('import-progress');
    var bar = document.getElementById('import-bar');
    var status = document.getElementById('import-status');

    function say(text) {
      status.textContent = text;
    }

    function stop(text) {
      button.disabled = false;
      bar.value = 0;
      say(text);
    }

    // show puts the server's page in place of this one, as a plain form post would have.
    function show(html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      document.title = doc.title;
      document.documentElement.lang = doc.documentElement.lang;
      document.body.replaceWith(document.adoptNode(doc.body));
      var heading = document.getElementById('result') || document.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
      bind(); // the page shown may hold the form again (a refused file): enhance it too
    }

    form.addEventListener('submit', function (ev) {
      if (!input.files || input.files.length !== 1) {
        return; // the browser tells that a file is required
      }
      var max = Number(form.dataset.max);
      if (max && input.files[0].size > max) {
        ev.preventDefault();
        box.hidden = false;
        say(form.dataset.toolarge);
        return;
      }
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      box.hidden = false;
      button.disabled = true;
      bar.max = 100;
      bar.value = 0;
      say(form.dataset.sending);
      var announced = 0;
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) {
          return;
        }
        var pct = Math.floor((e.loaded / e.total) * 100);
        bar.value = pct;
        bar.textContent = pct + ' %';
        if (pct >= announced + 25) { // a screen reader hears every quarter, not every byte
          announced = pct - (pct % 25);
          say(form.dataset.sending + ' ' + pct + ' %');
        }
      };
      xhr.upload.onload = function () {
        bar.removeAttribute('value'); // reading takes a while too: an indeterminate bar
        say(form.dataset.reading);
      };
      xhr.onload = function () {
        var type = xhr.getResponseHeader('Content-Type') || '';
        if (type.indexOf('text/html') === 0) {
          show(xhr.responseText);
          return;
        }
        var detail = '';
        try {
          detail = JSON.parse(xhr.responseText).detail || '';
        } catch (e) {
          detail = '';
        }
        stop(detail || form.dataset.failed);
      };
      xhr.onerror = function () {
        stop(form.dataset.failed);
      };
      xhr.send(new FormData(form));
    });
  }
})();
