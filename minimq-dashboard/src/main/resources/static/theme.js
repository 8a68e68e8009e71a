// Follow the operating system's light/dark preference with Bootstrap 5.3 colour modes.
// Loaded in <head>, before the stylesheets apply, so the page never flashes the wrong theme.
(function () {
  'use strict';
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    document.documentElement.dataset.bsTheme = dark.matches ? 'dark' : 'light';
    document.dispatchEvent(new CustomEvent('minimq:theme'));
  };
  apply();
  dark.addEventListener('change', apply);
})();
