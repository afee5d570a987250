// Popup entry. Placeholder until the extension issue lands the real popup.
import browser from 'webextension-polyfill';

const app = document.getElementById('app');
if (app) {
  const heading = document.createElement('h1');
  heading.textContent = browser.i18n.getMessage('extName');
  app.append(heading);
}
