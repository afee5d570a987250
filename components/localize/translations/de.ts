import type { Translation } from '../localize.js';
import deBase from './de-base.js';

/** German: the base terms (de-base.ts), then the delete dialog's and the manager's. */
const de: Translation = {
  ...deBase,

  'delete.title': 'API-Schlüssel löschen',
  'delete.question': (name: string) => `Den API-Schlüssel „${name}“ löschen?`,
  'delete.owner': (username: string) => `Eigentümer: ${username}`,
  'delete.consequence': 'Anwendungen und Skripte, die ihn verwenden, funktionieren sofort nicht mehr. Das lässt sich nicht rückgängig machen.',
  'delete.confirm': 'Bestätigen',
  'delete.delete': 'Löschen',
  'delete.deleting': 'Wird gelöscht…',
  'delete.failed': (message: string) => `Der Schlüssel wurde nicht gelöscht: ${message}`,
  'manager.title': 'API-Schlüssel',
  'manager.add': 'Hinzufügen',
  'manager.docs': 'API-Dokumentation',
  'manager.newTab': '(öffnet in einem neuen Tab)',
  'manager.addTitle': 'API-Schlüssel hinzufügen',
  'manager.editTitle': (name: string) => `API-Schlüssel „${name}“ bearbeiten`,
  'manager.created': (name: string) => `API-Schlüssel „${name}“ erstellt.`,
  'manager.updated': (name: string) => `API-Schlüssel „${name}“ aktualisiert.`,
  'manager.wasReset': (name: string) => `API-Schlüssel „${name}“ zurückgesetzt.`,
  'manager.trouble.insecure': 'Er ist weiterhin widerrufen: TrueNAS hat ihn wegen Nutzung über eine unverschlüsselte Verbindung widerrufen. Setzen Sie ihn zurück und verwenden Sie danach überall https:// (wss://).',
  'manager.trouble.ownerGone': 'Er ist weiterhin widerrufen: Seinen Besitzer gibt es auf dem NAS nicht mehr, daher stellt nichts ihn wieder her. Löschen Sie ihn, oder erstellen Sie einen Schlüssel für einen vorhandenen Benutzer.',
  'manager.trouble.expired': 'Er ist abgelaufen und funktioniert nicht: Bearbeiten Sie ihn und setzen Sie ein neues Ablaufdatum.',
  'manager.trouble.unknown': (reason: string) => `Er ist weiterhin widerrufen (${reason}); das NAS nennt keinen Grund.`,
  'manager.trouble.noReason': 'kein Grund angegeben',
  'manager.deleted': (name: string) => `API-Schlüssel „${name}“ gelöscht.`,
  'manager.resetFailed': (name: string, message: string) => `Problem beim Zurücksetzen von „${name}“: ${message}`,
  'manager.loadFailed': (message: string) => `API-Schlüssel konnten nicht geladen werden: ${message}`,
  'manager.dismiss': 'Ausblenden',
  'manager.discard.title': 'Änderungen verwerfen?',
  'manager.discard.text': 'Ihre Änderungen an diesem Schlüssel wurden nicht gespeichert.',
  'manager.discard.confirm': 'Verwerfen',
  'manager.discard.back': 'Weiter bearbeiten',
  // Manager (issue 10): connection state and the empty state's Add.
  'manager.connection.connecting': 'Verbindung wird aufgebaut…',
  'manager.connection.signedIn': 'Angemeldet',
  'manager.connection.reconnecting': 'Verbindung wird wiederhergestellt…',
  'manager.connection.offline': 'Offline',
  'manager.addFirst': 'Schlüssel hinzufügen',
  'common.error.invalid_url': 'Die NAS-Adresse ist nicht verwendbar; prüfen Sie sie.',
  // Manager (issue 10): a call the client never sent because the NAS cannot be reached now.
  'common.error.unreachable': 'Das NAS ist gerade nicht erreichbar; es wurde nichts gesendet. Prüfen Sie, ob es eingeschaltet und erreichbar ist, und versuchen Sie es dann erneut.',
  // Manager (issue 10): the same failures of a read, which changed nothing (see NasElement.failureText).
  'common.error.timeout.read': 'Das NAS hat nicht rechtzeitig geantwortet. Versuchen Sie es erneut.',
  'common.error.connection_closed.read': 'Die Verbindung zum NAS wurde getrennt, bevor es geantwortet hat. Versuchen Sie es erneut.',
  'common.error.transport': 'Keine Verbindung zum NAS. Nutzt es ein selbstsigniertes Zertifikat (die Voreinstellung), öffnen Sie seine Webseite einmal in diesem Browser, akzeptieren Sie das Zertifikat und versuchen Sie es erneut.',
  'common.error.connection_closed': 'Die Verbindung zum NAS wurde getrennt, bevor es geantwortet hat; eine Änderung wurde vielleicht ausgeführt, vielleicht nicht. Laden Sie neu und prüfen Sie das, bevor Sie es erneut versuchen.',
  'common.error.protocol': 'Das NAS hat unerwartet geantwortet (kein TrueNAS oder eine nicht unterstützte Version).',
  'common.error.timeout': 'Das NAS hat nicht rechtzeitig geantwortet. Es führt die Anfrage vielleicht noch aus; laden Sie neu und prüfen Sie das.',
  'common.error.client_closed': 'Die Verbindung wurde von der Anwendung geschlossen.',
  'common.error.insecure_transport': 'Nicht gesendet: Die Anmeldedaten würden unverschlüsselt übertragen. TrueNAS 25.04 und neuer widerrufen einen API-Schlüssel, der über eine unsichere Verbindung (http:// oder ws://) benutzt wird. Verbinden Sie sich stattdessen über https://.',
  'common.error.rate_limited': 'Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es erneut (TrueNAS sperrt Clients nach 20 Versuchen für 10 Minuten).',
  'common.error.request_too_large': 'Die Anfrage ist größer, als das NAS annimmt; es wurde nichts gesendet.',
  'common.error.not_found': 'Das NAS hat keinen solchen Eintrag; vielleicht wurde er gelöscht.',
  'common.error.method_not_found': 'Diese NAS-Version unterstützt diese Aktion nicht.',
  'common.error.not_authenticated': 'Nicht beim NAS angemeldet (die Sitzung ist vielleicht abgelaufen). Melden Sie sich erneut an.',
  'common.error.auth': 'Das NAS hat die Anmeldung abgelehnt: Die Anmeldedaten sind falsch, abgelaufen oder widerrufen (TrueNAS 25.04 und neuer widerrufen einen API-Schlüssel, der über eine unsichere Verbindung benutzt wird), oder ein Einmalcode wird benötigt.',
};

export default de;
