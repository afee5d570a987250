/**
 * The MIDDLEWARE audit database (24.04+): what `log_audit_message` writes
 * (MW@TS-25.10.6:main.py:999-1041) and `audit.query` reads. Records live in memory only; a
 * failed key login may hold a raw key string (MW@TS-25.10.6:plugins/auth.py:1172-1185), so the
 * simulator never prints records anywhere.
 */
import { randomUUID } from 'node:crypto';
import type { Row } from './query.js';

/** MW@TS-25.10.6:plugins/audit/utils.py:16 AUDIT_LIFETIME (days; the setting allows 1-30). */
export const DEFAULT_RETENTION_DAYS = 7;

export interface AuditRecord {
  auditId: string;
  /** Epoch ms. */
  at: number;
  address: string;
  username: string;
  session: string | null;
  event: string;
  serviceData: Row | null;
  eventData: Row | null;
  success: boolean;
}

export class AuditLog {
  records: AuditRecord[] = [];
  retentionDays = DEFAULT_RETENTION_DAYS;

  add(record: Omit<AuditRecord, 'auditId'>): AuditRecord {
    const full = { auditId: randomUUID(), ...record };
    this.records.push(full);
    return full;
  }

  /** Records within retention (the backend deletes older ones periodically). */
  live(now = Date.now()): AuditRecord[] {
    const cutoff = now - this.retentionDays * 86_400_000;
    return this.records.filter((r) => r.at >= cutoff);
  }

  clear(): void {
    this.records = [];
    this.retentionDays = DEFAULT_RETENTION_DAYS;
  }
}
