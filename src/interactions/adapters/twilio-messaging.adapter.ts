import {
  type Channel,
  type Interaction,
  INTERACTION_LIMITS as L,
  type Media,
  type Participant,
  type ParticipantRole,
} from '../model/index.ts';
import { compact, finishInteraction, isOwnAddress, noRedaction, speakerRole } from './adapter.support.ts';
import type { AdapterContext } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';
import { parseJsonText } from './payload-text.ts';
import { mediumOf, partyFrom, phoneOf, TWILIO_WHAT } from './twilio.support.ts';

const MAX_MEDIA = 20;
/** Conversations message sources through which a customer writes (agents use the SDK or the API). */
const CUSTOMER_SOURCES = new Set(['SMS', 'MMS', 'WHATSAPP', 'EMAIL', 'FACEBOOK_MESSENGER', 'GBM', 'RCS']);

function channelOfMedium(medium: string | undefined): Channel {
  if (medium === undefined || medium === 'sms' || medium === 'mms') return 'sms';
  if (medium === 'email') return 'email';
  return 'chat';
}

function base(
  adapter: string,
  id: string,
  revision: number,
  parts: Partial<Interaction>,
  accountSid?: string,
): Interaction {
  return finishInteraction({
    schemaVersion: 1,
    source: {
      platform: 'twilio',
      adapter,
      id,
      revision,
      externalIds: compact({ accountSid }) as Record<string, string>,
    },
    channel: 'sms',
    direction: 'unknown',
    participants: [],
    segments: [],
    media: [],
    attributes: {},
    categories: [],
    redaction: noRedaction(),
    ...parts,
  });
}

/** Incoming message webhook and message status callback (SMS, MMS, WhatsApp): one message per interaction. */
export function parseTwilioMessage(params: PayloadNode, context: AdapterContext): Interaction {
  const sid = params.optText('MessageSid', L.idChars) ?? params.str('SmsSid', L.idChars);
  const from = params.optText('From', L.phoneChars);
  const status = params.optText('MessageStatus', L.labelChars) ?? params.optText('SmsStatus', L.labelChars);
  const body = params.optStr('Body', L.segmentTextChars);
  // A status callback reports on a message Vigil's customer sent; a request with a body is one received.
  const outbound =
    isOwnAddress(context, phoneOf(from)) ||
    (body === undefined && status !== undefined && status !== 'received');
  const senderRole: ParticipantRole = outbound ? 'agent' : 'customer';
  const participants = [
    partyFrom(params, 'From', senderRole),
    partyFrom(params, 'To', outbound ? 'customer' : 'agent'),
  ].filter((p): p is Participant => p !== undefined);
  const count = Math.trunc(params.optNumeric('NumMedia') ?? 0);
  if (count > MAX_MEDIA) params.tooLarge(`more than ${MAX_MEDIA} media`, 'NumMedia');
  const media: Media[] = [];
  for (let i = 0; i < count; i++) {
    const uri = params.optText(`MediaUrl${i}`, L.uriChars);
    if (uri === undefined) continue;
    media.push(
      compact({
        id: `media-${i}`,
        kind: 'attachment' as const,
        uri,
        contentType: params.optText(`MediaContentType${i}`, L.labelChars),
        segmentId: sid,
      }),
    );
  }
  const medium = mediumOf(from);
  return base(
    'twilio',
    sid,
    context.receivedAtMs,
    {
      channel: channelOfMedium(medium),
      direction: outbound ? 'outbound' : 'inbound',
      ...compact({ medium, status }),
      participants,
      segments:
        body === undefined
          ? []
          : [compact({ id: sid, role: senderRole, participantRef: participants[0]?.ref, text: body })],
      media,
    },
    params.optText('AccountSid', L.idChars),
  );
}

/**
 * Conversations post-event webhooks. The conversation SID is the source id, so message and
 * participant events merge into one interaction; removals and delivery receipts yield nothing
 * (Vigil keeps what it was given).
 */
export function parseTwilioConversationEvent(
  params: PayloadNode,
  context: AdapterContext,
): Interaction | undefined {
  const event = params.str('EventType', L.labelChars);
  const conversationSid = params.str('ConversationSid', L.idChars);
  const accountSid = params.optText('AccountSid', L.idChars);
  const revision = params.optTime('DateUpdated') ?? params.optTime('DateCreated') ?? context.receivedAtMs;
  if (event === 'onMessageAdded' || event === 'onMessageUpdated') {
    return base('twilio', conversationSid, revision, conversationMessage(params, context), accountSid);
  }
  if (event === 'onParticipantAdded' || event === 'onParticipantUpdated') {
    const participant = conversationParticipant(params, context);
    const medium =
      mediumOf(params.optText('MessagingBinding.Address', L.phoneChars)) ?? bindingMedium(params);
    return base(
      'twilio',
      conversationSid,
      revision,
      { channel: channelOfMedium(medium), participants: [participant] },
      accountSid,
    );
  }
  if (
    event === 'onConversationAdded' ||
    event === 'onConversationUpdated' ||
    event === 'onConversationStateUpdated'
  ) {
    const state = params.optText('StateTo', L.labelChars) ?? params.optText('State', L.labelChars);
    const medium =
      mediumOf(params.optText('MessagingBinding.Address', L.phoneChars)) ?? bindingMedium(params);
    return base(
      'twilio',
      conversationSid,
      revision,
      compact({
        channel: channelOfMedium(medium),
        status: state,
        subject: params.optText('FriendlyName', L.subjectChars),
        startedAtMs: params.optTime('DateCreated'),
        endedAtMs: state === 'closed' ? revision : undefined,
      }),
      accountSid,
    );
  }
  return undefined;
}

function bindingMedium(params: PayloadNode): string | undefined {
  const type =
    params.optText('MessagingBinding.Type', L.labelChars) ?? params.optText('Source', L.labelChars);
  return type === undefined || type === 'SDK' || type === 'API' ? 'chat' : type.toLowerCase();
}

function authorRole(
  params: PayloadNode,
  author: string | undefined,
  context: AdapterContext,
): ParticipantRole {
  if (author === 'system') return 'system';
  if (author !== undefined && isOwnAddress(context, phoneOf(author) ?? author)) return 'agent';
  if (
    author !== undefined &&
    context.speakerRoles !== undefined &&
    Object.hasOwn(context.speakerRoles, author)
  ) {
    return speakerRole(context, author);
  }
  return CUSTOMER_SOURCES.has(params.optText('Source', L.labelChars)?.toUpperCase() ?? '')
    ? 'customer'
    : 'unknown';
}

function conversationMessage(params: PayloadNode, context: AdapterContext): Partial<Interaction> {
  const author = params.optText('Author', L.handleChars);
  const role = authorRole(params, author, context);
  const participantSid = params.optText('ParticipantSid', L.idChars);
  const ref = participantSid ?? (author === 'system' ? 'system' : undefined);
  const participants: Participant[] =
    ref === undefined
      ? []
      : [
          compact({
            ref,
            role,
            phone: phoneOf(author),
            handle: author === 'system' || phoneOf(author) ? undefined : author,
          }),
        ];
  const messageSid = params.str('MessageSid', L.idChars);
  const media = readConversationMedia(params, messageSid);
  const source = params.optText('Source', L.labelChars);
  return {
    channel: channelOfMedium(
      source === undefined || source === 'SDK' || source === 'API' ? 'chat' : source.toLowerCase(),
    ),
    participants,
    segments: [
      compact({
        id: messageSid,
        role,
        participantRef: ref,
        text: params.optStr('Body', L.segmentTextChars) ?? '',
        sentAtMs: params.optTime('DateCreated'),
      }),
    ],
    media,
  };
}

function conversationParticipant(params: PayloadNode, context: AdapterContext): Participant {
  const address = params.optText('MessagingBinding.Address', L.phoneChars);
  const identity =
    params.optText('Identity', L.handleChars) ?? params.optText('ClientIdentity', L.handleChars);
  const role: ParticipantRole = address !== undefined ? 'customer' : authorRole(params, identity, context);
  return compact({
    ref: params.str('ParticipantSid', L.idChars),
    role,
    phone: phoneOf(address),
    handle: identity ?? (phoneOf(address) === undefined ? address : undefined),
  });
}

/** `Media` is a JSON array of `{Sid, Filename, ContentType, Size}` inside one form parameter. */
function readConversationMedia(params: PayloadNode, messageSid: string): Media[] {
  const text = params.optStr('Media', 64 * 1024);
  if (text === undefined || text === '') return [];
  const root = PayloadNode.root(
    parseJsonText(text, { what: `${TWILIO_WHAT} Media` }),
    `${TWILIO_WHAT} Media`,
  );
  if (!Array.isArray(root.value)) root.fail('expected an array');
  return PayloadNode.root({ Media: root.value }, TWILIO_WHAT)
    .arr('Media', MAX_MEDIA)
    .map((item) => {
      item.asObject();
      const size = item.optNumeric('Size');
      return compact({
        id: item.str('Sid', L.idChars),
        kind: 'attachment' as const,
        fileName: item.optText('Filename', L.nameChars),
        contentType: item.optText('ContentType', L.labelChars),
        sizeBytes: size === undefined ? undefined : Math.max(0, Math.trunc(size)),
        segmentId: messageSid,
      });
    });
}
