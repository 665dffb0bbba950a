// Live updates without a reload: every 10 s, fetch this page again and replace each [data-live] region by id.
// Nothing is replaced while an action form is being used or a detail is open, and polling stops for good once the
// session has ended (the fetch is redirected to /login): it never signs in again or extends anything.
(function () {
  'use strict';
  var interval = 10000;
  var status = document.getElementById('live-status');

  function busy() {
    var active = document.activeElement;
    if (active && active.closest && active.closest('form[method=post]')) {
      return true;
    }

    var fields = document.querySelectorAll('form[method=post] input[type=text], form[method=post] input[type=checkbox]');
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].type === 'checkbox' ? fields[i].checked : fields[i].value) {
        return true;
      }
    }

    return document.querySelector('[data-live] details[open]') !== null;
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function refresh() {
    if (busy()) {
      return Promise.resolve(true);
    }

    return fetch(location.href, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual', headers: { 'X-Dashboard-Poll': '1' } })
      .then(function (response) {
        if (response.type === 'opaqueredirect' || !response.ok) {
          say(response.type === 'opaqueredirect' ? 'Live updates stopped: the session has ended. Reload to sign in.' : 'Live update failed (' + response.status + '); retrying.');
          return response.type !== 'opaqueredirect';
        }

        return response.text().then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          document.querySelectorAll('[data-live]').forEach(function (region) {
            var next = fresh.getElementById(region.id);
            if (next) {
              region.replaceWith(document.importNode(next, true));
            }
          });
          say('Updated ' + new Date().toISOString().substring(11, 19) + 'Z');
          return true;
        });
      })
      .catch(function () {
        say('Live update failed; retrying.');
        return true;
      });
  }

  function loop() {
    refresh().then(function (again) {
      if (again) {
        setTimeout(loop, interval);
      }
    });
  }

  if (document.querySelector('[data-live]')) {
    setTimeout(loop, interval);
  }
})();
