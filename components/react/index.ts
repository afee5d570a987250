/**
 * `@nas-key-manager/components/react`: React wrappers (made with `@lit/react`) for the five
 * elements, named like their classes (`<ApiKeyManager service={…} onNasKeySave={…} />`), and JSX
 * types for the raw tags. Importing it registers the tags.
 *
 * The wrappers take every element property as a prop (`service`, `keys`, `capabilities`, …) and
 * every event as an `onNas…` prop (`onNasKeyAction`, `onNasKeySave`, …), in React 18 and 19.
 * React 19 can also render the raw tags: importing this module types them in `JSX.IntrinsicElements`
 * (properties as props, events as `onnas-key-save`-style props, as React 19 binds them).
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { LitElement } from 'lit';
import {
  ApiKeyForm as ApiKeyFormElement,
  ApiKeyManager as ApiKeyManagerElement,
  ApiKeyTable as ApiKeyTableElement,
  DeleteKeyDialog as DeleteKeyDialogElement,
  KeyRevealDialog as KeyRevealDialogElement,
} from '../define/index.js';
import type { NasColumnsChangeEvent } from '../events/columns-change.js';
import type { NasDeleteConfirmEvent } from '../events/delete-confirm.js';
import type { NasDialogCloseEvent } from '../events/dialog-close.js';
import type { NasFilterChangeEvent } from '../events/filter-change.js';
import type { NasFormCancelEvent } from '../events/form-cancel.js';
import type { NasKeyActionEvent } from '../events/key-action.js';
import type { NasKeyCopyEvent } from '../events/key-copy.js';
import type { NasKeySaveEvent } from '../events/key-save.js';
import type { NasKeySubmitEvent } from '../events/key-submit.js';
import type { NasRequestCloseEvent } from '../events/request-close.js';
import type { NasRetryEvent } from '../events/retry.js';
import type { NasSelectionChangeEvent } from '../events/selection-change.js';
import type { NasSortChangeEvent } from '../events/sort-change.js';

/** The events each element dispatches, by DOM event name (what the manifest lists). */
interface ManagerEvents {
  'nas-key-action': NasKeyActionEvent;
  'nas-key-save': NasKeySaveEvent;
  'nas-key-copy': NasKeyCopyEvent;
}
interface TableEvents {
  'nas-key-action': NasKeyActionEvent;
  'nas-retry': NasRetryEvent;
  'nas-columns-change': NasColumnsChangeEvent;
  'nas-sort-change': NasSortChangeEvent;
  'nas-filter-change': NasFilterChangeEvent;
  'nas-selection-change': NasSelectionChangeEvent;
}
interface FormEvents {
  'nas-key-submit': NasKeySubmitEvent;
  'nas-form-cancel': NasFormCancelEvent;
}
interface RevealEvents {
  'nas-key-copy': NasKeyCopyEvent;
  'nas-key-save': NasKeySaveEvent;
  'nas-request-close': NasRequestCloseEvent;
  'nas-close': NasDialogCloseEvent;
}
interface DeleteEvents {
  'nas-delete-confirm': NasDeleteConfirmEvent;
  'nas-request-close': NasRequestCloseEvent;
  'nas-close': NasDialogCloseEvent;
}

// `EventName<E>` is @lit/react's branded event name: the cast is how its API types a listener.
export const ApiKeyManager = createComponent({
  react: React,
  tagName: 'api-key-manager',
  elementClass: ApiKeyManagerElement,
  events: {
    onNasKeyAction: 'nas-key-action' as EventName<NasKeyActionEvent>,
    onNasKeySave: 'nas-key-save' as EventName<NasKeySaveEvent>,
    onNasKeyCopy: 'nas-key-copy' as EventName<NasKeyCopyEvent>,
  },
});
export const ApiKeyTable = createComponent({
  react: React,
  tagName: 'api-key-table',
  elementClass: ApiKeyTableElement,
  events: {
    onNasKeyAction: 'nas-key-action' as EventName<NasKeyActionEvent>,
    onNasRetry: 'nas-retry' as EventName<NasRetryEvent>,
    onNasColumnsChange: 'nas-columns-change' as EventName<NasColumnsChangeEvent>,
    onNasSortChange: 'nas-sort-change' as EventName<NasSortChangeEvent>,
    onNasFilterChange: 'nas-filter-change' as EventName<NasFilterChangeEvent>,
    onNasSelectionChange: 'nas-selection-change' as EventName<NasSelectionChangeEvent>,
  },
});
export const ApiKeyForm = createComponent({
  react: React,
  tagName: 'api-key-form',
  elementClass: ApiKeyFormElement,
  events: {
    onNasKeySubmit: 'nas-key-submit' as EventName<NasKeySubmitEvent>,
    onNasFormCancel: 'nas-form-cancel' as EventName<NasFormCancelEvent>,
  },
});
export const KeyRevealDialog = createComponent({
  react: React,
  tagName: 'key-reveal-dialog',
  elementClass: KeyRevealDialogElement,
  events: {
    onNasKeyCopy: 'nas-key-copy' as EventName<NasKeyCopyEvent>,
    onNasKeySave: 'nas-key-save' as EventName<NasKeySaveEvent>,
    onNasRequestClose: 'nas-request-close' as EventName<NasRequestCloseEvent>,
    onNasClose: 'nas-close' as EventName<NasDialogCloseEvent>,
  },
});
export const DeleteKeyDialog = createComponent({
  react: React,
  tagName: 'delete-key-dialog',
  elementClass: DeleteKeyDialogElement,
  events: {
    onNasDeleteConfirm: 'nas-delete-confirm' as EventName<NasDeleteConfirmEvent>,
    onNasRequestClose: 'nas-request-close' as EventName<NasRequestCloseEvent>,
    onNasClose: 'nas-close' as EventName<NasDialogCloseEvent>,
  },
});

/** True when `{ [K]: T[K] }` is the same with and without `readonly`: K can be set. */
type IsWritable<T, K extends keyof T> =
  (<U>() => U extends { [Q in K]: T[K] } ? 1 : 2) extends <U>() => U extends { -readonly [Q in K]: T[K] } ? 1 : 2 ? true : false;
/** The element's own settable data properties (not methods, not getters, not what every LitElement has). */
type ElementProperties<E> = {
  [K in Exclude<keyof E, keyof LitElement> as E[K] extends (...args: never[]) => unknown ? never : IsWritable<E, K> extends true ? K : never]?: E[K];
};
/** Props of a raw tag in React 19: attributes, the element's properties, `on<event-name>` listeners. */
export type IntrinsicElementProps<E extends HTMLElement, M> = React.HTMLAttributes<E> &
  React.RefAttributes<E> &
  ElementProperties<E> & { [N in keyof M & string as `on${N}`]?: (event: M[N]) => void };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace
  namespace JSX {
    interface IntrinsicElements {
      'api-key-manager': IntrinsicElementProps<ApiKeyManagerElement, ManagerEvents>;
      'api-key-table': IntrinsicElementProps<ApiKeyTableElement, TableEvents> & { dataProvider?: ApiKeyTableElement['dataProvider'] };
      'api-key-form': IntrinsicElementProps<ApiKeyFormElement, FormEvents>;
      'key-reveal-dialog': IntrinsicElementProps<KeyRevealDialogElement, RevealEvents>;
      'delete-key-dialog': IntrinsicElementProps<DeleteKeyDialogElement, DeleteEvents>;
    }
  }
}
