import type { ExtTranslation } from './index.js';

/** German extension terms. */
const de: ExtTranslation = {
  $code: 'de',
  $name: 'Deutsch',
  $dir: 'ltr',

  'ext.error.badRequest': (field: string) => `Die Erweiterung hat eine ungültige Anfrage erhalten: „${field}“ fehlt, ist zu lang oder hat den falschen Typ.`,
  'ext.error.forbidden': 'Diese Anfrage kam nicht von einer Seite der Erweiterung und wurde abgelehnt.',
  'ext.error.internal': 'In der Erweiterung ist etwas schiefgegangen. Versuchen Sie es erneut; tritt der Fehler weiter auf, laden Sie die Erweiterung neu.',
  'ext.error.clipboard': 'Die Zwischenablage konnte nicht beschrieben werden. Kopieren Sie den Schlüssel stattdessen von Hand aus dem Dialog.',
  'ext.error.unknownType': (type: string) => `Unbekannter Anfragetyp „${type}“.`,

  'ext.settings.error.autoLock': 'Die Sperrzeit muss eine ganze Zahl von 0 bis 1440 Minuten sein.',
  'ext.settings.error.clipboard': 'Die Verzögerung zum Leeren der Zwischenablage muss 0 (nie) oder 1 Sekunde bis 1 Stunde sein.',
  'ext.settings.error.notifications': 'Benachrichtigungen müssen ein- oder ausgeschaltet sein.',
  'ext.settings.error.expiringDays': 'Der Zeitraum für bald ablaufende Schlüssel muss eine ganze Zahl von 1 bis 365 Tagen sein.',
  'ext.settings.error.unknown': (key: string) => `Unbekannte Einstellung „${key}“.`,

  'ext.host.error.addressEmpty': 'Geben Sie die NAS-Adresse ein, zum Beispiel https://nas.local oder 192.168.1.10.',
  'ext.host.error.addressSpaces': 'Die Adresse darf keine Leerzeichen enthalten.',
  'ext.host.error.addressInvalid': (text: string) => `„${text}“ ist keine gültige Adresse. Verwenden Sie einen Hostnamen oder eine IP, zum Beispiel https://nas.local oder 192.168.1.10:8443.`,
  'ext.host.error.addressScheme': (scheme: string) => `„${scheme}“-Adressen werden nicht unterstützt. Verwenden Sie https:// (oder http:// in einem vertrauenswürdigen Netz).`,
  'ext.host.error.addressCredentials': 'Tragen Sie Benutzername und Passwort nicht in die Adresse ein, sondern unter „Anmeldung“.',
  'ext.host.error.addressPort': 'Der Port muss eine Zahl von 1 bis 65535 sein.',
};

export default de;
