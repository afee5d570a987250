import type { Translation } from '../localize.js';

const de: Translation = {
  $code: 'de',
  $name: 'Deutsch',
  $dir: 'ltr',

  'common.close': 'Schließen',
  'common.cancel': 'Abbrechen',
  'common.retry': 'Erneut versuchen',
  'common.loading': 'Wird geladen…',
  'common.never': 'Nie',
  'common.status.active': 'Aktiv',
  'common.status.revoked': 'Widerrufen',
  'common.status.expired': 'Abgelaufen',
  'common.status.expiring': 'Läuft bald ab',
};

export default de;
