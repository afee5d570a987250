import { expect } from '@open-wc/testing';
import * as lib from './index.js';

const TAGS = {
  'api-key-table': 'ApiKeyTable',
  'api-key-form': 'ApiKeyForm',
  'key-reveal-dialog': 'KeyRevealDialog',
  'delete-key-dialog': 'DeleteKeyDialog',
  'api-key-manager': 'ApiKeyManager',
  'scoped-key-form': 'ScopedKeyForm',
} as const;

describe('package entry points', () => {
  it('the barrel exports classes, events, model and localize, and registers nothing', () => {
    for (const [tag, name] of Object.entries(TAGS)) {
      expect(lib[name], name).to.be.a('function');
      expect(customElements.get(tag), `${tag} not registered by the barrel`).to.equal(undefined);
    }
    expect(lib.NasKeySubmitEvent.eventName).to.equal('nas-key-submit');
    expect(lib.NasKeyActionEvent.eventName).to.equal('nas-key-action');
    expect(lib.keyStatus({ revoked: true, expiresAt: null })).to.equal('revoked');
    expect(lib.en.$code).to.equal('en');
    expect(lib.de.$code).to.equal('de');
  });

  it('define/index registers every tag with the exported classes; a second copy only warns', async () => {
    await import('./define/index.js');
    for (const [tag, name] of Object.entries(TAGS)) {
      expect(customElements.get(tag), tag).to.equal(lib[name]);
    }
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      const { defineElement } = await import('./internal/define.js');
      class Other extends HTMLElement {}
      defineElement('api-key-form', Other);
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('api-key-form')).to.equal(lib.ApiKeyForm);
    expect(String(warnings[0])).to.contain('already defined');
  });

  it('a host can register a class under its own tag name', async () => {
    class MyForm extends lib.ApiKeyForm {}
    customElements.define('my-key-form', MyForm);
    const el = document.createElement('my-key-form') as lib.ApiKeyForm;
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('form')).to.exist;
    el.remove();
  });
});
