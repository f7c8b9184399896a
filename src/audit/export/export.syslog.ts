import type { AuditEventView } from '../audit.events.ts';

/**
 * Structured-data ID of Vigil's parameters. 32473 is the private enterprise number RFC 5612
 * reserves for documentation; an operator with a registered number can rename it in the SIEM.
 */
export const SYSLOG_SD_ID = 'vigil@32473';
const FACILITY_LOG_AUDIT = 13;
const SEVERITY = { informational: 6, warning: 4 } as const;
const BOM = '\uFEFF';

// RFC 5424 header fields are PRINTUSASCII without spaces; anything else is replaced.
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean.length > 0 ? clean : '-';
}

// SD-PARAM values escape '"', '\' and ']' (RFC 5424 section 6.3.3).
const sdValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

function structuredData(params: Record<string, string | number | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}="${sdValue(String(v))}"`);
  return `[${SYSLOG_SD_ID} ${parts.join(' ')}]`;
}

export interface SyslogHeader {
  hostname: string;
  appName?: string;
}

/** An RFC 5424 message for an audit event: key fields as structured data, the OCSF JSON as MSG. */
export function formatEventSyslog(event: AuditEventView, ocsfJson: string, header: SyslogHeader): string {
  const severity = event.outcome === 'success' ? SEVERITY.informational : SEVERITY.warning;
  const sd = structuredData({
    tenant: event.tenantId,
    seq: event.seq,
    id: event.id,
    actor: event.actor.id,
    outcome: event.outcome,
    target: event.target?.id,
  });
  return formatSyslog(
    FACILITY_LOG_AUDIT * 8 + severity,
    event.occurredAt,
    event.action,
    sd,
    ocsfJson,
    header,
  );
}

/** An RFC 5424 message carrying a signed checkpoint note. */
export function formatCheckpointSyslog(
  checkpoint: { tenantId: string; treeSize: number; createdAt: number; note: string },
  header: SyslogHeader,
): string {
  const sd = structuredData({ tenant: checkpoint.tenantId, treeSize: checkpoint.treeSize });
  const pri = FACILITY_LOG_AUDIT * 8 + SEVERITY.informational;
  return formatSyslog(
    pri,
    checkpoint.createdAt,
    'audit.checkpoint',
    sd,
    JSON.stringify({ note: checkpoint.note }),
    header,
  );
}

function formatSyslog(
  pri: number,
  timeMs: number,
  msgId: string,
  sd: string,
  msg: string,
  header: SyslogHeader,
): string {
  const timestamp = new Date(timeMs).toISOString();
  const host = headerField(header.hostname, 255);
  const app = headerField(header.appName ?? 'vigil', 48);
  return `<${pri}>1 ${timestamp} ${host} ${app} - ${headerField(msgId, 32)} ${sd} ${BOM}${msg}`;
}

/** RFC 6587 octet-counting frame: "<length in bytes> <message>", safe for messages with newlines. */
export function frameOctetCounting(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
