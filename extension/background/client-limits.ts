/**
 * Limits the extension sets on its NAS connections. Kept apart from connections.ts (which needs the
 * browser's extension APIs) so tests can read them.
 */

/**
 * Largest frame the extension accepts from a NAS: 8 MiB (the library's default is 32 MiB). A key
 * list that big is far beyond any real NAS (10,000 keys are about 3 MB), and a popup must not
 * hold, parse and cache a hostile reply several times its size.
 */
export const MAX_INCOMING_FRAME = 8 * 1024 * 1024;
