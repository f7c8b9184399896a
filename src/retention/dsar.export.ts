import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle, StoredDocument, SubjectExport } from '../interactions/index.ts';
import type { Db } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { LegalHolds } from './retention.holds.ts';

/** Everything Vigil holds about the subjects of an access request (GDPR Art. 15, CCPA §1798.110, PIPEDA 4.9). */
export interface AccessExport {
  type: 'vigil.dsar-export';
  version: 1;
  caseId: string;
  tenantId: string;
  receivedAt: string;
  generatedAt: string;
  generatedBy: string;
  subjects: {
    id: string;
    region: string | null;
    firstSeen: string;
    lastSeen: string;
    erasedAt: string | null;
    keyStatus: string;
    heldBy: string | null;
    /** Interactions that could not be decrypted any more (the customer's key was destroyed). */
    unreadable: number;
    interactions: ExportedInteraction[];
  }[];
  notes: string[];
}

export interface ExportedInteraction {
  id: string;
  ingestedAt: string;
  channel: string;
  direction: string;
  startedAt: string | null;
  endedAt: string | null;
  language: string | null;
  queue: string | null;
  subject: string | null;
  participants: Record<string, string>[];
  segments: { role: string; speaker: string | null; at: string | null; text: string }[];
  attributes: Record<string, string>;
  /** The original values behind redacted spans (never card numbers, security codes or PINs). */
  redactedValues: Record<string, string>;
  recordings: number;
}

export const EXPORT_NOTES = [
  'Card numbers are never kept with conversations: they are replaced by vault tokens ([CARD_NUMBER ****1234]); security codes and PINs are never stored at all.',
  'Redacted values are shown in the redactedValues section of each interaction; the transcript keeps the placeholder where they appeared.',
  'Recordings are stored redacted and encrypted; a copy can be provided on request through the recording endpoint of each interaction listed.',
  'The audit log records who accessed this data; its entries identify you only through keyed hashes and are kept for the period the law requires.',
];

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A stored (redacted, decrypted) interaction in the shape a requester reads. */
export function exportInteraction(item: SubjectExport): ExportedInteraction {
  const d: StoredDocument = item.document;
  return {
    id: item.id,
    ingestedAt: iso(item.ingestedAt)!,
    channel: d.channel,
    direction: d.direction,
    startedAt: iso(d.startedAtMs),
    endedAt: iso(d.endedAtMs),
    language: d.language ?? null,
    queue: d.queue?.name ?? d.queue?.id ?? null,
    subject: d.subject ?? null,
    participants: d.participants.map(
      (p) =>
        Object.fromEntries(Object.entries(p).filter(([, v]) => typeof v === 'string')) as Record<
          string,
          string
        >,
    ),
    segments: d.segments.map((s) => ({
      role: s.role,
      speaker: s.participantRef ?? null,
      at: iso(s.sentAtMs) ?? (s.startMs === undefined ? null : `+${(s.startMs / 1000).toFixed(1)}s`),
      text: s.text,
    })),
    attributes: d.attributes,
    redactedValues: item.redactedValues,
    recordings: d.media.filter((m) => m.kind === 'recording').length,
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Every value in the page is escaped: transcripts come from customers and must never run as markup. */
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const row = (label: string, value: unknown) =>
  `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;

function interactionHtml(i: ExportedInteraction): string {
  const people = i.participants
    .map(
      (p) =>
        `<li>${Object.entries(p)
          .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`)
          .join(', ')}</li>`,
    )
    .join('');
  const turns = i.segments
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.at ?? '')}</td><td>${escapeHtml(s.speaker ?? s.role)}</td><td>${escapeHtml(s.text)}</td></tr>`,
    )
    .join('');
  const values = Object.entries(i.redactedValues)
    .map(([k, v]) => row(k, v))
    .join('');
  const attributes = Object.entries(i.attributes)
    .map(([k, v]) => row(k, v))
    .join('');
  return `<section class="interaction"><h3>${escapeHtml(i.channel)} ${escapeHtml(i.direction)} — ${escapeHtml(i.startedAt ?? i.ingestedAt)}</h3>
<table class="facts">${row('Interaction id', i.id)}${row('Stored since', i.ingestedAt)}${row('Queue', i.queue ?? '')}${row('Language', i.language ?? '')}${i.subject ? row('Subject', i.subject) : ''}${row('Recordings', i.recordings)}</table>
<h4>Participants</h4><ul>${people}</ul>
<h4>Conversation (as stored, redacted)</h4><table class="turns"><thead><tr><th>When</th><th>Who</th><th>Text</th></tr></thead><tbody>${turns}</tbody></table>
${values ? `<h4>Values behind redactions</h4><table class="facts">${values}</table>` : ''}${attributes ? `<h4>Other attributes</h4><table class="facts">${attributes}</table>` : ''}</section>`;
}

/** The readable copy of the export: one self-contained HTML page, no scripts, no external resources. */
export function exportHtml(data: AccessExport): string {
  const subjects = data.subjects
    .map(
      (s) => `<section class="subject"><h2>Customer record ${escapeHtml(s.id)}</h2>
<table class="facts">${row('First seen', s.firstSeen)}${row('Last seen', s.lastSeen)}${row('Region', s.region ?? 'not recorded')}${row('Erased', s.erasedAt ?? 'no')}${row('Encryption key', s.keyStatus)}${s.heldBy ? row('Held', s.heldBy) : ''}${s.unreadable ? row('Erased interactions (unreadable)', s.unreadable) : ''}</table>
<p>${s.interactions.length} interaction(s).</p>${s.interactions.map(interactionHtml).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Your personal data — request ${escapeHtml(data.caseId)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;color:#111}table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4;width:14em}.turns th{width:auto}section.interaction{border-top:2px solid #444;margin-top:1.5em}</style></head>
<body><h1>Your personal data</h1>
<table class="facts">${row('Request', data.caseId)}${row('Received', data.receivedAt)}${row('Produced', data.generatedAt)}${row('Customer records found', data.subjects.length)}</table>
${data.subjects.length === 0 ? '<p>We hold no personal data matching the identifier you gave.</p>' : subjects}
<h2>About this copy</h2><ul>${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></body></html>
`;
}

export interface CollectDeps {
  db: Db;
  subjects: Pick<SubjectsService, 'get'>;
  lifecycle: Pick<InteractionsLifecycle, 'exportSubject' | 'listOfSubject'>;
  keys: Pick<Keyring, 'subjectKeyState'>;
  holds: Pick<LegalHolds, 'heldAmong'>;
}

/** Everything held about each subject, decrypted; an erased subject's leftovers are counted as unreadable. */
export async function collectSubjects(
  deps: CollectDeps,
  tenantId: string,
  subjectIds: readonly string[],
  now: number,
): Promise<AccessExport['subjects']> {
  const out: AccessExport['subjects'] = [];
  for (const id of subjectIds) {
    const subject = await deps.subjects.get(deps.db, tenantId, id);
    if (!subject) continue;
    let items: SubjectExport[] = [];
    let unreadable = 0;
    try {
      items = await deps.lifecycle.exportSubject(deps.db, tenantId, id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SUBJECT_KEY_DESTROYED') throw error;
      unreadable = (await deps.lifecycle.listOfSubject(deps.db, tenantId, id)).length;
    }
    const key = await deps.keys.subjectKeyState(deps.db, { tenantId, subjectId: id });
    const held = await deps.holds.heldAmong(
      deps.db,
      tenantId,
      [{ id, category: 'customer_profile', subjectId: id, createdAt: subject.createdAt }],
      now,
    );
    out.push({
      id,
      region: subject.region,
      firstSeen: new Date(subject.createdAt).toISOString(),
      lastSeen: new Date(subject.lastSeenAt).toISOString(),
      erasedAt: subject.erasedAt === null ? null : new Date(subject.erasedAt).toISOString(),
      keyStatus: key ? key.status : 'none (nothing encrypted under a customer key)',
      heldBy: held.get(id) ?? null,
      unreadable,
      interactions: items.map(exportInteraction),
    });
  }
  return out;
}
