/**
 * The kit: what the components are built from, for elements that should look and behave like
 * them (the browser extension's popup and options pages use it). Public and semver-covered, at
 * `@nas-key-manager/components/kit`; everything under internal/ that is not re-exported here may
 * change in any release.
 */
export { NasElement } from './internal/nas-element.js';
export { defineElement } from './internal/define.js';
/** Shared styles: `tokens` (the --nas-* custom properties and their defaults), `controls`
 * (buttons, fields, focus rings), `dialogStyles` (native <dialog> chrome). */
export { controls, dialogStyles, tokens } from './internal/controls.styles.js';
/** Text from a NAS made safe to show: control characters visible, bidi isolated, blank named. */
export { displayText, isBlank, isolate } from './internal/display-text.js';
export { nasText } from './internal/nas-text.js';
/** A human message for any error the client or a service throws (never a method name). */
export { errorMessage } from './internal/errors.js';
export { icon, type IconName } from './internal/icons.js';
