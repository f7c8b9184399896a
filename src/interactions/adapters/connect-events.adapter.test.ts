import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { mergeInteractions } from '../model/index.ts';
import {
  clone,
  context,
  listPayloads,
  loadPayload,
  loadTolerant,
  readPayload,
} from './adapters.test-support.ts';
import { parseConnectAgentEvent } from './connect-agent-event.adapter.ts';
import { parseConnectContactEvent } from './connect-contact-event.adapter.ts';
import { parseContactLens } from './contact-lens.adapter.ts';
import { parseJsonText } from './payload-text.ts';

const DETAIL = 'amazon-connect/contact-event-detail.json';
const EVENTBRIDGE = 'amazon-connect/contact-event-eventbridge.doc.jsonc';
const AGENT_RECORD = 'amazon-connect/agent-event-stream-record.doc.jsonc';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

/** The AWS excerpt closes CurrentAgentSnapshot one brace early; this puts Configuration and Contacts back inside. */
function repairedAgentRecord(): Record<string, unknown> {
  const text = readPayload(AGENT_RECORD).toString('utf8');
  const repaired = text.replace(/\}\s*\}\s*,(\s*"Configuration")/, '},$1');
  expect(repaired).not.toBe(text);
  return parseJsonText(repaired, { jsonc: true }) as Record<string, unknown>;
}

describe('Amazon Connect contact events', () => {
  it('covers both contact event samples', () => {
    expect(listPayloads('amazon-connect').filter((f) => f.includes('contact-event'))).toEqual([
      DETAIL,
      EVENTBRIDGE,
    ]);
  });

  it('reads a bare detail object: contact, channel, direction, queue, agent and times', () => {
    const [interaction] = parseConnectContactEvent(loadPayload(DETAIL), context()).interactions;
    expect(interaction).toMatchObject({
      source: {
        platform: 'amazon-connect',
        id: '11111111-1111-1111-1111-111111111111',
        revision: Date.parse('2021-08-04T17:29:09.000Z'),
      },
      channel: 'voice',
      direction: 'inbound',
      status: 'CONNECTED_TO_AGENT',
      startedAtMs: Date.parse('2021-08-04T17:17:53.000Z'),
      queue: { id: expect.stringMatching(/\/queue\//) },
      participants: [{ ref: 'agent', role: 'agent', externalId: expect.stringMatching(/\/agent\//) }],
      segments: [],
    });
    expect(interaction!.endedAtMs).toBeUndefined();
  });

  it('reads the EventBridge envelope (JSONC excerpt with a trailing comma), with its mixed-case fields', () => {
    const [interaction] = parseConnectContactEvent(loadPayload(EVENTBRIDGE), context()).interactions;
    expect(interaction).toMatchObject({
      source: {
        id: '11111111-1111-1111-1111-111111111111',
        threadId: '11111111-2222-3333-4444-555555555555',
        revision: Date.parse('2021-08-04T17:43:48Z'),
        externalIds: {
          eventId: 'abcabcab-abca-abca-abca-abcabcabcabc',
          previousContactId: '11111111-2222-3333-4444-555555555555',
        },
      },
      channel: 'voice',
      direction: 'outbound',
      status: 'DISCONNECTED',
      startedAtMs: Date.parse('2021-08-04T17:17:53.000Z'),
      endedAtMs: Date.parse('2021-08-04T17:18:37.000Z'),
      participants: [{ ref: 'agent', role: 'agent', externalId: 'arn' }],
    });
  });

  it('merges a contact event with the Contact Lens file of the same contact', () => {
    const lens = clone(loadPayload('amazon-connect/contact-lens-chat-analysis-original.json')) as {
      CustomerMetadata: { ContactId: string };
    };
    lens.CustomerMetadata.ContactId = '11111111-1111-1111-1111-111111111111';
    const event = clone(loadPayload(DETAIL)) as Record<string, unknown>;
    event['channel'] = 'CHAT';
    const [fromLens] = parseContactLens(lens, context()).interactions;
    const [fromEvent] = parseConnectContactEvent(event, context()).interactions;
    const merged = mergeInteractions(fromLens!, fromEvent!);
    expect(merged.segments).toHaveLength(31);
    expect(merged.direction).toBe('inbound');
    expect(merged.queue?.id).toMatch(/\/queue\//);
  });

  it('yields nothing for a TASK contact and refuses an unknown channel or a foreign detail-type', () => {
    const task = { ...(clone(loadPayload(DETAIL)) as object), channel: 'TASK' };
    expect(parseConnectContactEvent(task, context()).interactions).toEqual([]);
    expect(failure(() => parseConnectContactEvent({ ...task, channel: 'PIGEON' }, context())).message).toBe(
      'Invalid Amazon Connect contact event: channel: must be VOICE, CHAT, EMAIL or TASK',
    );
    const envelope = clone(loadPayload(EVENTBRIDGE)) as Record<string, unknown>;
    expect(
      failure(() => parseConnectContactEvent({ ...envelope, 'detail-type': 'EC2 Instance State' }, context()))
        .message,
    ).toContain('detail-type: must be "Amazon Connect Contact Event"');
  });

  it('refuses a missing contact id, a wrong type and a bad timestamp, naming the path', () => {
    const envelope = clone(loadPayload(EVENTBRIDGE)) as { detail: Record<string, unknown> };
    delete envelope.detail['contactId'];
    expect(failure(() => parseConnectContactEvent(envelope, context()))).toEqual({
      code: 'PAYLOAD_INVALID',
      message: 'Invalid Amazon Connect contact event: detail.contactId: required',
    });
    const wrongType = clone(loadPayload(DETAIL)) as Record<string, unknown>;
    wrongType['queueInfo'] = 'queue';
    expect(failure(() => parseConnectContactEvent(wrongType, context())).message).toBe(
      'Invalid Amazon Connect contact event: queueInfo: expected an object',
    );
    const badTime = { ...(clone(loadPayload(DETAIL)) as object), initiationTimestamp: 'yesterday-ish' };
    expect(failure(() => parseConnectContactEvent(badTime, context())).message).toBe(
      'Invalid Amazon Connect contact event: initiationTimestamp: not a valid timestamp',
    );
  });
});

describe('Amazon Connect agent event stream records', () => {
  it('refuses the AWS excerpt as JSONC (a stray brace), then reads the recovered and the repaired record', () => {
    expect(() => loadPayload(AGENT_RECORD)).toThrow(
      /not valid JSON at line \d+, column \d+: end of file expected/,
    );
    // Recovery stops at the stray brace, so the record loses its EventType: refused, naming it.
    expect(failure(() => parseConnectAgentEvent(loadTolerant(AGENT_RECORD).value, context())).message).toBe(
      'Invalid Amazon Connect agent event stream record: EventType: required',
    );
    // Repaired, it is a heartbeat of an agent with no contact: nothing to store.
    expect(parseConnectAgentEvent(repairedAgentRecord(), context())).toEqual({
      interactions: [],
      attachments: [],
    });
  });

  it('turns each contact of the current snapshot into an interaction with the agent (documented Contacts fields)', () => {
    const record = repairedAgentRecord() as {
      CurrentAgentSnapshot: Record<string, unknown>;
      EventType: string;
    };
    record.EventType = 'STATE_CHANGE';
    record.CurrentAgentSnapshot['Contacts'] = [
      {
        Channel: 'CHAT',
        ConnectedToAgentTimestamp: '2019-08-13T20:58:40.000Z',
        ContactId: 'c0ffee00-0000-4000-8000-000000000001',
        InitialContactId: null,
        InitiationMethod: 'API',
        Queue: {
          ARN: 'arn:aws:connect:us-west-2:012345678901:instance/i/queue/q',
          Name: 'Omni-channel-queue',
        },
        QueueTimestamp: '2019-08-13T20:58:32.000Z',
        State: 'CONNECTED',
        StateStartTimestamp: '2019-08-13T20:58:40.000Z',
      },
      { Channel: 'TASK', ContactId: 'c0ffee00-0000-4000-8000-000000000002', State: 'CONNECTED' },
    ];
    const { interactions } = parseConnectAgentEvent(record, context());
    expect(interactions).toHaveLength(1);
    expect(interactions[0]).toMatchObject({
      source: {
        id: 'c0ffee00-0000-4000-8000-000000000001',
        revision: Date.parse('2019-08-13T20:58:44.031Z'),
      },
      channel: 'chat',
      direction: 'inbound',
      status: 'CONNECTED',
      startedAtMs: Date.parse('2019-08-13T20:58:32.000Z'),
      queue: { name: 'Omni-channel-queue' },
      participants: [{ ref: 'agent', role: 'agent', name: 'AgentEventStreamTest Agent', handle: 'aestest' }],
    });
  });

  it('refuses a snapshot whose contacts are not a list', () => {
    const record = repairedAgentRecord() as { CurrentAgentSnapshot: Record<string, unknown> };
    record.CurrentAgentSnapshot['Contacts'] = { ContactId: 'x' };
    expect(failure(() => parseConnectAgentEvent(record, context())).message).toBe(
      'Invalid Amazon Connect agent event stream record: CurrentAgentSnapshot.Contacts: expected an array',
    );
  });
});
