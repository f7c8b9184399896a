import {
  type Channel,
  type Direction,
  INTERACTION_LIMITS as L,
  type Media,
  type Participant,
  type ParticipantRole,
  type Segment,
} from '../model/index.ts';
import { compact, finishInteraction, noRedaction } from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Chatwoot webhook';
const MAX_MESSAGES = 10_000;
const MESSAGE_EVENTS = new Set(['message_created', 'message_updated']);
const CONVERSATION_EVENTS = new Set([
  'conversation_created',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
  'conversation_status_changed',
]);
const MESSAGE_ROLES: Record<string, ParticipantRole> = {
  incoming: 'customer',
  '0': 'customer',
  outgoing: 'agent',
  '1': 'agent',
  activity: 'system',
  '2': 'system',
  template: 'bot',
  '3': 'bot',
};

/**
 * Chatwoot webhooks. Every event about a conversation becomes that conversation's interaction,
 * with the stable source id `conversation/<id>`, so the message and conversation events of one
 * conversation merge into one interaction. Only chosen fields are read: platform tokens
 * (`pubsub_token`, the contact inbox `source_id`, HMAC values) and avatar links never reach the output.
 * Events that are not about a conversation's content (typing, contacts, a widget opened without a
 * conversation) yield no interaction.
 */
export function parseChatwoot(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const event = root.str('event', L.labelChars);
  if (MESSAGE_EVENTS.has(event)) return fromConversation(root.obj('conversation'), root, context);
  if (CONVERSATION_EVENTS.has(event)) return fromConversation(root, undefined, context);
  if (event === 'webwidget_triggered' && root.has('current_conversation')) {
    return fromConversation(root.obj('current_conversation'), undefined, context);
  }
  return interactionsOnly([]);
}

function fromConversation(
  conversation: PayloadNode,
  message: PayloadNode | undefined,
  context: AdapterContext,
) {
  // `id` is the per-account display id in current payloads; older ones sent it as `display_id`.
  const conversationId = conversation.optId('id', L.idChars) ?? conversation.id('display_id', L.idChars);
  const participants = new Map<string, Participant>();
  const meta = conversation.optObj('meta');
  const contact = meta?.optObj('sender');
  if (contact !== undefined) addPerson(participants, contact, 'contact');
  const assignee = meta?.optObj('assignee');
  if (assignee !== undefined) addPerson(participants, assignee, 'user');
  const messages = conversation.optArr('messages', MAX_MESSAGES);
  const media: Media[] = [];
  const ordered = readMessages(
    message === undefined ? messages : [...messages, message],
    participants,
    media,
  );
  const times = ordered.map((s) => s.sentAtMs).filter((t): t is number => t !== undefined);
  const lastActivity = conversation.optTime('timestamp');
  const inbox = message?.optObj('inbox');
  const team = meta?.optObj('team');
  const account = message?.optObj('account');
  const interaction = finishInteraction({
    schemaVersion: 1,
    source: {
      platform: 'chatwoot',
      adapter: 'chatwoot',
      id: `conversation/${conversationId}`,
      revision: revisionOf([lastActivity, ...times, ...updatedTimes(messages, message)], context),
      externalIds: compact({
        accountId: account?.optId('id', L.idChars),
        inboxId: conversation.optId('inbox_id', L.idChars) ?? inbox?.optId('id', L.idChars),
        conversationId,
      }) as Record<string, string>,
    },
    channel: channelOf(conversation.optStr('channel', L.labelChars)),
    direction: directionOf(ordered),
    ...compact({
      medium: conversation.optText('channel', L.labelChars),
      startedAtMs: conversation.optTime('created_at') ?? (times.length > 0 ? Math.min(...times) : undefined),
      status: conversation.optText('status', L.labelChars),
      queue: namedRef(inbox),
      team: namedRef(team),
    }),
    participants: [...participants.values()],
    segments: ordered,
    media,
    attributes: readAttributes(conversation.optObj('custom_attributes')),
    categories: conversation.optArr('labels', L.categories).map((l) => l.asStr(L.labelChars)),
    redaction: noRedaction(),
  });
  return interactionsOnly([interaction]);
}

/** Messages in time order, deduplicated by id (the event's own message also appears in the conversation). */
function readMessages(
  nodes: PayloadNode[],
  participants: Map<string, Participant>,
  media: Media[],
): Segment[] {
  const segments = new Map<string, Segment>();
  for (const node of nodes) {
    const segment = readMessage(node, participants, media);
    segments.set(segment.id ?? `#${segments.size}`, segment);
  }
  return [...segments.values()].sort((a, b) => (a.sentAtMs ?? 0) - (b.sentAtMs ?? 0));
}

/** Who spoke first: a conversation an agent opened is outbound. */
function directionOf(segments: Segment[]): Direction {
  const first = segments.find((s) => s.role === 'customer' || s.role === 'agent');
  if (first === undefined) return segments.length > 0 ? 'inbound' : 'unknown';
  return first.role === 'agent' ? 'outbound' : 'inbound';
}

function namedRef(node: PayloadNode | undefined): { id?: string; name?: string } | undefined {
  return node === undefined
    ? undefined
    : compact({ id: node.optId('id', L.idChars), name: node.optText('name', L.labelChars) });
}

function updatedTimes(messages: PayloadNode[], message: PayloadNode | undefined): Array<number | undefined> {
  const all = message === undefined ? messages : [...messages, message];
  return all.map((m) => m.asObject().optTime('updated_at'));
}

/** The latest platform time in the payload: a later event about the conversation has a higher revision. */
function revisionOf(times: Array<number | undefined>, context: AdapterContext): number {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length > 0 ? Math.max(...known) : context.receivedAtMs;
}

function channelOf(channel: string | undefined): Channel {
  switch (channel) {
    case 'Channel::Email':
      return 'email';
    case 'Channel::Sms':
    case 'Channel::TwilioSms':
      return 'sms';
    default:
      return 'chat';
  }
}

/** Adds a contact (`contact:<id>`), an agent (`user:<id>`) or a bot (`bot:<id>`) with only its personal fields. */
function addPerson(participants: Map<string, Participant>, node: PayloadNode, fallbackKind: string): string {
  node.asObject();
  const type = node.optStr('type', L.labelChars) ?? fallbackKind;
  const kind = type === 'contact' ? 'contact' : type === 'agent_bot' ? 'bot' : 'user';
  const ref = `${kind}:${node.id('id', L.idChars)}`;
  const role: ParticipantRole = kind === 'contact' ? 'customer' : kind === 'bot' ? 'bot' : 'agent';
  const person: Participant = compact({
    ref,
    role,
    name: node.optText('available_name', L.nameChars) ?? node.optText('name', L.nameChars),
    email: node.optText('email', L.emailChars),
    phone: node.optText('phone_number', L.phoneChars),
    handle: node.optText('identifier', L.handleChars),
  });
  const known = participants.get(ref);
  participants.set(ref, known === undefined ? person : { ...person, ...known });
  return ref;
}

function readMessage(node: PayloadNode, participants: Map<string, Participant>, media: Media[]): Segment {
  node.asObject();
  const id = node.optId('id', L.idChars);
  const type = node.optId('message_type', L.labelChars) ?? 'incoming';
  const senderType = node.optStr('sender_type', L.labelChars);
  let role = MESSAGE_ROLES[type] ?? 'unknown';
  if (senderType === 'AgentBot') role = 'bot';
  let participantRef: string | undefined;
  const sender = node.optObj('sender');
  if (sender !== undefined && (role === 'customer' || role === 'agent' || role === 'bot')) {
    participantRef = addPerson(participants, sender, role === 'customer' ? 'contact' : 'user');
  } else if (node.has('sender_id') && senderType !== undefined) {
    const kind = senderType === 'Contact' ? 'contact' : senderType === 'AgentBot' ? 'bot' : 'user';
    participantRef = `${kind}:${node.id('sender_id', L.idChars)}`;
    if (!participants.has(participantRef)) participants.set(participantRef, { ref: participantRef, role });
  }
  for (const attachment of node.optArr('attachments', 100)) media.push(readAttachment(attachment, id));
  return compact({
    id,
    role,
    participantRef,
    text: node.optStr('content', L.segmentTextChars) ?? '',
    contentType: node.optText('content_type', L.labelChars),
    sentAtMs: node.optTime('created_at'),
    internal: node.optBool('private') === true ? true : undefined,
  });
}

function readAttachment(node: PayloadNode, messageId: string | undefined): Media {
  node.asObject();
  const fileType = node.optText('file_type', L.labelChars);
  return compact({
    id: `attachment:${node.id('id', L.idChars)}`,
    kind: 'attachment' as const,
    uri: node.optText('data_url', L.uriChars),
    contentType: fileType?.includes('/') ? fileType : undefined,
    sizeBytes: node.optNum('file_size'),
    segmentId: messageId,
  });
}

/** Custom attributes as strings; values that are objects are kept as their JSON text. */
function readAttributes(node: PayloadNode | undefined): Record<string, string> {
  if (node === undefined) return {};
  const entries = Object.entries(node.value as Record<string, unknown>);
  if (entries.length > L.attributes) node.tooLarge(`more than ${L.attributes} entries`);
  return Object.fromEntries(
    entries
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (key.length > L.attributeKeyChars)
          node.tooLarge(`a key longer than ${L.attributeKeyChars} characters`);
        if (text.length > L.attributeValueChars)
          node.tooLarge(`longer than ${L.attributeValueChars} characters`, key);
        return [key, text];
      }),
  );
}
