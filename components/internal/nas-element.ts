import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../localize/localize.js';
import { explicitDir } from './direction.js';
import { errorMessage } from './errors.js';

/**
 * Base of every component: makes `lang` and `dir` reactive (so a host page can switch language
 * or direction on the element) and provides the localize controller. Components extend this,
 * never LitElement directly.
 */
export class NasElement extends LitElement {
  @property() override lang!: string;
  @property() override dir!: string;

  protected readonly localize = new LocalizeController(this);

  /** The `dir` for the component's root element, or undefined to inherit it (see `explicitDir`). */
  protected get contentDir(): 'ltr' | 'rtl' | undefined {
    return explicitDir(this, () => this.localize.dir());
  }

  /** What to tell the user about a failure: its message, else the translated "unknown error". */
  protected failureText(error: unknown): string {
    return errorMessage(error, this.localize.term('manager.unknownError'));
  }
}
