/** Fixed hardware facts for `system.info` (a plausible small NAS). */
export const os = {
  hostname: 'truenas',
  physmem: 34_359_738_368,
  model: 'Intel(R) Xeon(R) CPU E3-1230 v6 @ 3.50GHz',
  cores: 8,
  physicalCores: 4,
  serial: 'SIM-0000001',
  product: 'NAS Simulator',
  manufacturer: 'NAS Key Manager',
  buildTime: Date.UTC(2025, 0, 15, 12, 0, 0),
  /** When this process "booted". */
  bootTime: Date.now() - 3 * 86_400_000,
};
