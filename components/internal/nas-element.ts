import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../localize/localize.js';

/**
 * Base of every component: makes `lang` and `dir` reactive (so a host page can switch language
 * or direction on the element) and provides the localize controller. Components extend this,
 * never LitElement directly.
 */
export class NasElement extends LitElement {
  @property() override lang!: string;
  @property() override dir!: string;

  protected readonly localize = new LocalizeController(this);
}
