import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import '@nas-key-manager/components/define';
import { NasKeyActionEvent, de, registerTranslation } from '@nas-key-manager/components';
import { MemoryKeyService, MODERN, makeKey } from '@nas-key-manager/components/testing';

registerTranslation(de);

@Component({
  selector: 'app-root',
  // The custom elements are not Angular components: let the template compiler accept their tags.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <button id="german" type="button" (click)="lang.set('de')">Deutsch</button>
    <output id="actions">{{ actions().join(' ') }}</output>
    <api-key-manager id="manager" [service]="service" [lang]="lang()" (nas-key-action)="onAction($event)"></api-key-manager>
  `,
})
export class AppComponent {
  readonly service = new MemoryKeyService(MODERN, [makeKey({ id: 1, name: 'backup-script' }), makeKey({ id: 2, name: 'home-assistant' })]);
  readonly lang = signal('en');
  readonly actions = signal<string[]>([]);

  onAction(event: Event): void {
    if (!(event instanceof NasKeyActionEvent)) return;
    event.preventDefault(); // this app handles deletes itself
    this.actions.update((list) => [...list, `${event.detail.action}:${event.detail.key.name}`]);
  }
}
