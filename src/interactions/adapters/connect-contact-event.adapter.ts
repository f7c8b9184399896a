import {
  type Channel,
  type Direction,
  type Interaction,
  INTERACTION_LIMITS as L,
  type Participant,
} from '../model/index.ts';
import { compact, finishInteraction, noRedaction } from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Amazon Connect contact event';

/** Connect channels that are conversations; TASK contacts carry no conversation and yield nothing. */
export function connectChannel(word: string, node: PayloadNode, key: string): Channel | undefined {
  switch (word.toUpperCase()) {
    case 'VOICE':
      return 'voice';
    case 'CHAT':
      return 'chat';
    case 'EMAIL':
      return 'email';
    case 'TASK':
      return undefined;
    default:
      return node.fail('must be VOICE, CHAT, EMAIL or TASK', key);
  }
}

/** How a Connect contact started, as a direction (a transfer keeps the unknown original direction). */
export function connectDirection(method: string | undefined): Direction {
  switch (method?.toUpperCase()) {
    case 'INBOUND':
    case 'API':
    case 'WEBRTC_API':
      return 'inbound';
    case 'OUTBOUND':
    case 'CALLBACK':
    case 'CAMPAIGN':
      return 'outbound';
    default:
      return 'unknown';
  }
}

/**
 * Amazon Connect contact events, either as EventBridge delivers them (envelope with `detail`) or
 * the bare `detail` object. One event is one lifecycle step of a contact; its source id is the
 * contact id, the same as the Contact Lens file of that contact, so merging joins them.
 */
export function parseConnectContactEvent(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  const envelope = root.has('detail') ? root : undefined;
  if (envelope !== undefined) {
    const detailType = envelope.optStr('detail-type', L.labelChars);
    if (detailType !== undefined && detailType !== 'Amazon Connect Contact Event') {
      envelope.fail('must be "Amazon Connect Contact Event"', 'detail-type');
    }
  }
  const detail = envelope?.obj('detail') ?? root;
  const channel = connectChannel(detail.str('channel', L.labelChars), detail, 'channel');
  if (channel === undefined) return interactionsOnly([]);
  const queueInfo = detail.optObj('queueInfo') ?? detail.optObj('QueueInfo');
  const agentInfo = detail.optObj('agentInfo') ?? detail.optObj('AgentInfo');
  const agentArn =
    agentInfo?.optText('agentArn', L.sourceIdChars) ?? agentInfo?.optText('AgentArn', L.sourceIdChars);
  const times = [
    detail.optTime('initiationTimestamp'),
    detail.optTime('connectedToSystemTimestamp'),
    queueInfo?.optTime('enqueueTimestamp'),
    agentInfo?.optTime('connectedToAgentTimestamp'),
    detail.optTime('disconnectTimestamp'),
  ].filter((t): t is number => t !== undefined);
  const participants: Participant[] =
    agentArn === undefined ? [] : [{ ref: 'agent', role: 'agent', externalId: agentArn }];
  const initialContactId = detail.optText('initialContactId', L.idChars);
  const interaction: Interaction = {
    schemaVersion: 1,
    source: compact({
      platform: 'amazon-connect' as const,
      adapter: 'amazon-connect-contact-event',
      id: detail.str('contactId', L.idChars),
      threadId: initialContactId,
      revision: envelope?.optTime('time') ?? (times.length > 0 ? Math.max(...times) : context.receivedAtMs),
      externalIds: compact({
        instanceArn: detail.optText('instanceArn', L.sourceIdChars),
        initialContactId,
        previousContactId: detail.optText('previousContactId', L.idChars),
        eventId: envelope?.optText('id', L.idChars),
      }) as Record<string, string>,
    }),
    channel,
    direction: connectDirection(detail.optStr('initiationMethod', L.labelChars)),
    ...compact({
      startedAtMs: detail.optTime('initiationTimestamp'),
      endedAtMs: detail.optTime('disconnectTimestamp'),
      status: detail.optText('eventType', L.labelChars),
      queue: queueInfo?.has('queueArn') ? { id: queueInfo.str('queueArn', L.idChars) } : undefined,
    }),
    participants,
    segments: [],
    media: [],
    attributes: {},
    categories: [],
    redaction: noRedaction(),
  };
  return interactionsOnly([finishInteraction(interaction)]);
}
