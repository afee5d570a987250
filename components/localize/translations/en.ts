/**
 * English terms: the canonical table. Every other language must provide every key (the type
 * checker enforces it). Keys are namespaced by component: `common.*`, `table.*`, `form.*`,
 * `reveal.*`, `delete.*`, `manager.*`. Functions take arguments for plurals and interpolation.
 */
const en = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  'common.close': 'Close',
  'common.cancel': 'Cancel',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'common.never': 'Never',
  'common.status.active': 'Active',
  'common.status.revoked': 'Revoked',
  'common.status.expired': 'Expired',
  'common.status.expiring': 'Expiring soon',
} as const;

export default en;
