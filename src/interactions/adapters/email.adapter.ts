import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import {
  type Direction,
  INTERACTION_LIMITS as L,
  MAX_PAYLOAD_BYTES,
  type Media,
  type Participant,
  type ParticipantRole,
} from '../model/index.ts';
import { compact, contentSourceId, finishInteraction, isOwnAddress, noRedaction } from './adapter.support.ts';
import type { AdapterContext, AdapterResult, AttachmentContent } from './adapter.types.ts';
import { adapterError } from './adapters.errors.ts';

const WHAT = 'email message';
const MAX_RECIPIENTS = 200;
const MAX_ATTACHMENTS = 100;

function invalid(problem: string): Error {
  return adapterError('PAYLOAD_INVALID', `Invalid ${WHAT}: ${problem}`, { details: { problem } });
}

/**
 * An RFC 5322 message (`.eml` bytes), parsed with mailparser: multipart, transfer encodings and
 * charsets are decoded; the whole text body is kept, quoted replies included, because what the
 * customer quoted back can hold the card number the agent must not keep. The Message-ID is the
 * source id (a content hash when absent) and References/In-Reply-To give the thread. Attachment
 * bytes are returned apart from the interaction, which lists them as media.
 */
export async function parseEmail(payload: unknown, context: AdapterContext): Promise<AdapterResult> {
  const raw = toBuffer(payload);
  const mail = await readMessage(raw);
  const sourceId = mail.messageId ?? contentSourceId(raw);
  if (sourceId.length > L.sourceIdChars)
    throw invalid(`Message-ID: longer than ${L.sourceIdChars} characters`);
  const { participants, direction, senderRole } = readParticipants(mail, context);
  const { media, attachments } = readAttachments(mail, sourceId);
  const text = readBody(mail);
  const sentAtMs =
    mail.date === undefined || Number.isNaN(mail.date.getTime()) ? undefined : mail.date.getTime();
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  const interaction = finishInteraction({
    schemaVersion: 1,
    source: compact({
      platform: 'email' as const,
      adapter: 'email',
      id: sourceId,
      threadId: references[0] ?? mail.inReplyTo ?? sourceId,
      // A message never changes: redelivering it must read as the same revision.
      revision: sentAtMs ?? 0,
      externalIds: compact({ inReplyTo: mail.inReplyTo }) as Record<string, string>,
    }),
    channel: 'email',
    direction,
    ...compact({
      startedAtMs: sentAtMs,
      subject: mail.subject,
      language: headerText(mail, 'content-language'),
    }),
    participants,
    segments: [
      compact({
        id: 'body',
        role: senderRole,
        participantRef: participants[0]?.ref,
        text,
        contentType: 'text/plain',
        sentAtMs,
      }),
    ],
    media,
    attributes: {},
    categories: [],
    redaction: noRedaction(),
  });
  return { interactions: [interaction], attachments };
}

async function readMessage(raw: Buffer): Promise<ParsedMail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch {
    throw invalid('not a readable MIME message');
  }
  if (mail.from === undefined && mail.messageId === undefined && mail.date === undefined) {
    throw invalid('no From, Message-ID or Date header: not an RFC 5322 message');
  }
  return mail;
}

/** The text body; for an HTML-only message, mailparser's text rendering of the HTML. */
function readBody(mail: ParsedMail): string {
  const text = mail.text ?? '';
  if (text.length > L.segmentTextChars) {
    throw adapterError(
      'PAYLOAD_TOO_LARGE',
      `Invalid ${WHAT}: body: longer than ${L.segmentTextChars} characters`,
    );
  }
  return text;
}

function toBuffer(payload: unknown): Buffer {
  let raw: Buffer;
  if (typeof payload === 'string') raw = Buffer.from(payload, 'utf8');
  else if (payload instanceof Uint8Array)
    raw = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  else throw invalid('expected the raw message bytes (RFC 5322 text)');
  if (raw.byteLength > MAX_PAYLOAD_BYTES) {
    throw adapterError('PAYLOAD_TOO_LARGE', `Invalid ${WHAT}: larger than ${MAX_PAYLOAD_BYTES} bytes`);
  }
  return raw;
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  return typeof value === 'string' && value.length >= 2 && value.length <= L.languageChars
    ? value
    : undefined;
}

function addresses(
  value: AddressObject | AddressObject[] | undefined,
): Array<{ name?: string; address?: string }> {
  if (value === undefined) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])));
}

interface ParticipantsRead {
  participants: Participant[];
  direction: Direction;
  senderRole: ParticipantRole;
}

function readParticipants(mail: ParsedMail, context: AdapterContext): ParticipantsRead {
  const sender = addresses(mail.from)[0];
  const recipients = [
    ...addresses(mail.to).map((a) => ({ ...a, kind: 'to' })),
    ...addresses(mail.cc).map((a) => ({ ...a, kind: 'cc' })),
  ];
  if (recipients.length > MAX_RECIPIENTS) {
    throw adapterError('PAYLOAD_TOO_LARGE', `Invalid ${WHAT}: To/Cc: more than ${MAX_RECIPIENTS} recipients`);
  }
  const senderOwn = isOwnAddress(context, sender?.address);
  const allRecipientsOwn = recipients.length > 0 && recipients.every((r) => isOwnAddress(context, r.address));
  const direction: Direction = senderOwn ? (allRecipientsOwn ? 'internal' : 'outbound') : 'inbound';
  const senderRole: ParticipantRole = senderOwn ? 'agent' : 'customer';
  const participants: Participant[] = [];
  if (sender !== undefined) participants.push(person('from', senderRole, sender));
  const counters = { to: 0, cc: 0 };
  for (const recipient of recipients) {
    const index = ++counters[recipient.kind as 'to' | 'cc'];
    const role: ParticipantRole = isOwnAddress(context, recipient.address)
      ? 'agent'
      : senderOwn
        ? 'customer'
        : 'unknown';
    participants.push(person(`${recipient.kind}-${index}`, role, recipient));
  }
  return { participants, direction, senderRole };
}

/** Refs are positions (`from`, `to-1`), never addresses: a ref is not encrypted, an address is. */
function person(ref: string, role: ParticipantRole, value: { name?: string; address?: string }): Participant {
  const name = value.name?.trim();
  const email = value.address?.trim();
  if (name !== undefined && name.length > L.nameChars)
    throw invalid(`${ref}: display name longer than ${L.nameChars} characters`);
  if (email !== undefined && email.length > L.emailChars)
    throw invalid(`${ref}: address longer than ${L.emailChars} characters`);
  return compact({ ref, role, name: name || undefined, email: email || undefined });
}

function readAttachments(
  mail: ParsedMail,
  sourceId: string,
): { media: Media[]; attachments: AttachmentContent[] } {
  if (mail.attachments.length > MAX_ATTACHMENTS) {
    throw adapterError('PAYLOAD_TOO_LARGE', `Invalid ${WHAT}: more than ${MAX_ATTACHMENTS} attachments`);
  }
  const media: Media[] = [];
  const attachments: AttachmentContent[] = [];
  mail.attachments.forEach((attachment, index) => {
    const id = `attachment-${index + 1}`;
    if (attachment.size > L.attachmentBytes) {
      throw adapterError(
        'PAYLOAD_TOO_LARGE',
        `Invalid ${WHAT}: ${id}: larger than ${L.attachmentBytes} bytes`,
      );
    }
    const fileName = attachment.filename?.slice(0, L.nameChars) || undefined;
    media.push(
      compact({
        id,
        kind: 'attachment' as const,
        contentType: attachment.contentType.slice(0, L.labelChars),
        sizeBytes: attachment.size,
        fileName,
        sha256: createHash('sha256').update(attachment.content).digest('hex'),
        segmentId: 'body',
      }),
    );
    attachments.push({ sourceId, mediaId: id, content: attachment.content });
  });
  return { media, attachments };
}
