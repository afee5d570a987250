// The demo page's own texts (its chrome around <api-key-manager>), in every language the page
// offers. Elements carry `data-term="<key>"`; demo.ts fills them in when the language changes.

const en = {
  'demo.pageTitle': 'NAS Key Manager: component demo',
  'demo.loading': 'Loading…',
  'demo.settings': 'Demo settings',
  'demo.language': 'Language',
  'demo.direction': 'Direction',
  'demo.ltr': 'Left to right',
  // The page ships no right-to-left language; say so instead of implying a translation.
  'demo.rtl': 'Right to left (mirrors the layout only; the text stays in the chosen language)',
  'demo.colours': 'Colours',
  'demo.scheme.auto': 'Follow the system',
  'demo.scheme.light': 'Light',
  'demo.scheme.dark': 'Dark',
  'demo.accent': 'Accent (--nas-color-accent)',
  'demo.accent.default': 'Default',
  'demo.accent.purple': 'Purple',
  'demo.accent.green': 'Green',
  'demo.tryThis':
    'Try: Add (name, owner, expiry presets) → the key is shown once → Copy / Save to vault / export formats; Edit, Reset (also on revoked keys), Delete (tick Confirm). To see a legacy NAS with the allowlist editor, start with',
  'demo.status.connecting': (profile: string, url: string) => `TrueNAS ${profile} simulator at ${url}: connecting…`,
  'demo.status.loopbackOnly': (profile: string, url: string) => `TrueNAS ${profile} simulator at ${url}: open this page from 127.0.0.1 to sign in.`,
  'demo.status.signedIn': (profile: string, url: string, user: string) => `TrueNAS ${profile} simulator at ${url}, signed in as ${user}.`,
  'demo.status.failed': (message: string) => `Could not reach the simulator: ${message}`,
  'demo.vaultLog': (name: string) => `The page received key "${name}" for its vault (a real host would encrypt and store it; the demo discards it).`,
};

export type DemoTerms = typeof en;
export type DemoTerm = keyof DemoTerms;

const de: DemoTerms = {
  'demo.pageTitle': 'NAS Key Manager: Komponenten-Demo',
  'demo.loading': 'Wird geladen…',
  'demo.settings': 'Demo-Einstellungen',
  'demo.language': 'Sprache',
  'demo.direction': 'Richtung',
  'demo.ltr': 'Links nach rechts',
  'demo.rtl': 'Rechts nach links (spiegelt nur das Layout; der Text bleibt in der gewählten Sprache)',
  'demo.colours': 'Farben',
  'demo.scheme.auto': 'Wie das System',
  'demo.scheme.light': 'Hell',
  'demo.scheme.dark': 'Dunkel',
  'demo.accent': 'Akzent (--nas-color-accent)',
  'demo.accent.default': 'Standard',
  'demo.accent.purple': 'Lila',
  'demo.accent.green': 'Grün',
  'demo.tryThis':
    'Probieren Sie: Hinzufügen (Name, Eigentümer, Ablauf-Schnellwahl) → der Schlüssel wird einmal angezeigt → Kopieren / Im Tresor speichern / Exportformate; Bearbeiten, Zurücksetzen (auch bei widerrufenen Schlüsseln), Löschen („Bestätigen“ ankreuzen). Ein älteres NAS mit dem Allowlist-Editor sehen Sie nach einem Start mit',
  'demo.status.connecting': (profile, url) => `TrueNAS-${profile}-Simulator unter ${url}: Verbindung wird aufgebaut…`,
  'demo.status.loopbackOnly': (profile, url) => `TrueNAS-${profile}-Simulator unter ${url}: Öffnen Sie diese Seite über 127.0.0.1, um sich anzumelden.`,
  'demo.status.signedIn': (profile, url, user) => `TrueNAS-${profile}-Simulator unter ${url}, angemeldet als ${user}.`,
  'demo.status.failed': (message) => `Der Simulator ist nicht erreichbar: ${message}`,
  'demo.vaultLog': (name) => `Die Seite hat den Schlüssel „${name}“ für ihren Tresor erhalten (eine echte Anwendung würde ihn verschlüsselt speichern; die Demo verwirft ihn).`,
};

export const DEMO_TERMS: Record<string, DemoTerms> = { en, de };

/** The page's terms in `lang` (its base language, else English). */
export function demoTerms(lang: string): DemoTerms {
  return DEMO_TERMS[lang] ?? DEMO_TERMS[lang.split('-')[0] ?? ''] ?? en;
}
