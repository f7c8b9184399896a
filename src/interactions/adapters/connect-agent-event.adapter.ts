import { type Interaction, INTERACTION_LIMITS as L, type Participant } from '../model/index.ts';
import { compact, finishInteraction, noRedaction } from './adapter.support.ts';
import { type AdapterContext, type AdapterResult, interactionsOnly } from './adapter.types.ts';
import { connectChannel, connectDirection } from './connect-contact-event.adapter.ts';
import { PayloadNode } from './payload-reader.ts';

const WHAT = 'Amazon Connect agent event stream record';
const MAX_CONTACTS = 100;

/**
 * Amazon Connect agent event stream records (Kinesis). A record describes an agent; each contact in
 * its current snapshot becomes an interaction with that agent as participant. Heartbeats, logins
 * and status changes with no contact yield no interaction.
 */
export function parseConnectAgentEvent(payload: unknown, context: AdapterContext): AdapterResult {
  const root = PayloadNode.root(payload, WHAT).asObject();
  // Every agent event names its type; a record without one is not an agent event.
  root.str('EventType', L.labelChars);
  const revision = root.optTime('EventTimestamp') ?? context.receivedAtMs;
  const agentArn = root.optText('AgentARN', L.sourceIdChars);
  const snapshot = root.optObj('CurrentAgentSnapshot');
  if (snapshot === undefined) return interactionsOnly([]);
  const configuration = snapshot.optObj('Configuration');
  const name = [
    configuration?.optText('FirstName', L.nameChars),
    configuration?.optText('LastName', L.nameChars),
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  const agent: Participant = compact({
    ref: 'agent',
    role: 'agent' as const,
    externalId: agentArn,
    name: name === '' ? undefined : name.slice(0, L.nameChars),
    handle: configuration?.optText('Username', L.handleChars),
  });
  const interactions: Interaction[] = [];
  for (const contact of snapshot.optArr('Contacts', MAX_CONTACTS)) {
    const interaction = contactInteraction(contact.asObject(), root, agent, revision);
    if (interaction !== undefined) interactions.push(interaction);
  }
  return interactionsOnly(interactions);
}

/** One contact of the agent's snapshot as an interaction (undefined for a TASK). */
function contactInteraction(contact: PayloadNode, root: PayloadNode, agent: Participant, revision: number) {
  const channel = connectChannel(contact.str('Channel', L.labelChars), contact, 'Channel');
  if (channel === undefined) return undefined;
  const queue = contact.optObj('Queue');
  const initialContactId = contact.optText('InitialContactId', L.idChars);
  return finishInteraction({
    schemaVersion: 1,
    source: compact({
      platform: 'amazon-connect' as const,
      adapter: 'amazon-connect-agent-event',
      id: contact.str('ContactId', L.idChars),
      threadId: initialContactId,
      revision,
      externalIds: compact({
        instanceArn: root.optText('InstanceARN', L.sourceIdChars),
        initialContactId,
        agentEventId: root.optText('EventId', L.idChars),
        agentEventType: root.optText('EventType', L.labelChars),
      }) as Record<string, string>,
    }),
    channel,
    direction: connectDirection(contact.optStr('InitiationMethod', L.labelChars)),
    ...compact({
      startedAtMs: contact.optTime('QueueTimestamp') ?? contact.optTime('ConnectedToAgentTimestamp'),
      status: contact.optText('State', L.labelChars),
      queue:
        queue === undefined
          ? undefined
          : compact({ id: queue.optText('ARN', L.idChars), name: queue.optText('Name', L.labelChars) }),
    }),
    participants: [agent],
    segments: [],
    media: [],
    attributes: {},
    categories: [],
    redaction: noRedaction(),
  });
}
