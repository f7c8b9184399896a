import { describe, expect, it } from 'vitest';
import { type Interaction, mergeInteractions } from '../model/index.ts';
import {
  clone,
  context,
  listPayloads,
  loadPayload,
  loadTolerant,
  readPayload,
  rejectionOf,
} from './adapters.test-support.ts';
import { parseChatwoot } from './chatwoot.adapter.ts';

const FILES = [
  'chatwoot/conversation_opened.json',
  'chatwoot/conversation_resolved.json',
  'chatwoot/conversation_status_changed.json',
  'chatwoot/message_created.json',
  'chatwoot/message_updated.json',
];
const ANNOTATED = 'chatwoot/message_created.annotated.doc.jsonc';
const WIDGET = 'chatwoot/webwidget_triggered.json';

function parseOne(file: string): Interaction {
  const { interactions } = parseChatwoot(loadPayload(file), context());
  expect(interactions).toHaveLength(1);
  return interactions[0]!;
}

describe('Chatwoot webhooks on the shared samples', () => {
  it('covers every Chatwoot sample', () => {
    expect(listPayloads('chatwoot')).toEqual([...FILES.slice(0, 3), ANNOTATED, ...FILES.slice(3), WIDGET]);
  });

  it('reads message_created: the new message, the conversation messages, inbox, contact and assignee', () => {
    const interaction = parseOne('chatwoot/message_created.json');
    expect(interaction.source).toMatchObject({
      platform: 'chatwoot',
      id: 'conversation/10',
      externalIds: { accountId: '1', inboxId: '1', conversationId: '10' },
    });
    expect(interaction).toMatchObject({
      channel: 'chat',
      direction: 'inbound',
      medium: 'Channel::WebWidget',
      status: 'open',
    });
    expect(interaction.queue).toEqual({ id: '1', name: 'Acme Support' });
    expect(interaction.segments.map((s) => [s.id, s.role, s.participantRef, s.text])).toEqual([
      ['118', 'customer', 'contact:14', 'hi'],
      ['120', 'bot', undefined, 'Get notified by email'],
    ]);
    expect(interaction.segments[0]!.sentAtMs).toBe(Date.parse('2021-07-23T18:02:48.000Z'));
    expect(interaction.participants).toEqual([
      { ref: 'contact:14', role: 'customer', name: 'little-haze-776' },
      { ref: 'user:1', role: 'agent', name: 'John' },
    ]);
  });

  it('reads every conversation event with the same stable source id and the contact e-mail', () => {
    for (const file of [
      'chatwoot/conversation_opened.json',
      'chatwoot/conversation_resolved.json',
      'chatwoot/conversation_status_changed.json',
    ]) {
      const interaction = parseOne(file);
      expect(interaction.source.id).toBe('conversation/10');
      expect(interaction.participants[0]).toEqual({
        ref: 'contact:12',
        role: 'customer',
        name: 'jane',
        email: 'jane@acme.inc',
      });
    }
    expect(parseOne('chatwoot/conversation_opened.json').status).toBe('pending');
    expect(parseOne('chatwoot/conversation_resolved.json').source.revision).toBe(1627063520000);
  });

  it('merges all events of the conversation into one interaction, whatever their order', () => {
    const parsed = FILES.map(parseOne);
    const forward = parsed.reduce((a, b) => mergeInteractions(a, b));
    const backward = parsed.toReversed().reduce((a, b) => mergeInteractions(a, b));
    for (const merged of [forward, backward]) {
      expect(merged.source.id).toBe('conversation/10');
      expect(merged.segments.map((s) => s.id)).toEqual(['118', '120']);
      expect(merged.source.revision).toBe(1627063520000);
      expect(merged.queue).toEqual({ id: '1', name: 'Acme Support' });
    }
    expect(forward.participants).toEqual(backward.participants);
  });

  it('never outputs platform tokens, the contact inbox source id or avatar links', () => {
    for (const file of [...FILES, WIDGET]) {
      const raw = readPayload(file).toString('utf8');
      const output = JSON.stringify(parseChatwoot(loadPayload(file), context()));
      for (const secret of raw.match(
        /"(pubsub_token|source_id|avatar_url|avatar|thumbnail)":\s*"([^"]+)"/g,
      ) ?? []) {
        const value = secret.split('"')[3]!;
        expect(output).not.toContain(value);
      }
      expect(output).not.toContain('pubsub');
    }
  });

  it('yields nothing for a widget opened without a conversation, and reads one that has one', () => {
    expect(parseChatwoot(loadPayload(WIDGET), context()).interactions).toEqual([]);
    const withConversation = clone(loadPayload(WIDGET)) as Record<string, unknown>;
    withConversation['current_conversation'] = clone(loadPayload('chatwoot/conversation_opened.json'));
    expect(parseChatwoot(withConversation, context()).interactions[0]!.source.id).toBe('conversation/10');
  });

  it('reads the legacy annotated excerpt once jsonc recovery fills its missing comma', async () => {
    expect((await rejectionOf(() => loadPayload(ANNOTATED))).message).toMatch(
      /line 10, column 3: comma expected/,
    );
    const [interaction] = parseChatwoot(loadTolerant(ANNOTATED).value, context()).interactions;
    expect(interaction!.source.id).toBe('conversation/1');
    expect(interaction!.segments).toEqual([
      expect.objectContaining({
        id: '1',
        role: 'customer',
        text: 'Hi',
        sentAtMs: Date.parse('2020-03-03T13:05:57Z'),
      }),
    ]);
  });

  it('marks private notes internal, agent replies outbound, bot messages as bot, and keeps attachments as media', () => {
    const payload = clone(loadPayload('chatwoot/message_created.json')) as Record<string, unknown> & {
      conversation: { messages: unknown[] };
    };
    Object.assign(payload, {
      id: 300,
      content: 'internal: customer sounded upset',
      message_type: 'outgoing',
      private: true,
      sender: { id: 1, name: 'John', type: 'user' },
      attachments: [
        {
          id: 7,
          file_type: 'image',
          data_url: 'https://chat.example/rails/active_storage/7.png',
          file_size: 2048,
        },
      ],
    });
    payload.conversation.messages = [];
    const [interaction] = parseChatwoot(payload, context()).interactions;
    expect(interaction!.segments).toEqual([
      expect.objectContaining({ id: '300', role: 'agent', participantRef: 'user:1', internal: true }),
    ]);
    expect(interaction!.direction).toBe('outbound');
    expect(interaction!.media).toEqual([
      {
        id: 'attachment:7',
        kind: 'attachment',
        uri: 'https://chat.example/rails/active_storage/7.png',
        sizeBytes: 2048,
        segmentId: '300',
      },
    ]);
  });

  it('yields nothing for events that are not about conversation content', () => {
    expect(parseChatwoot({ event: 'contact_created', id: 4, name: 'x' }, context()).interactions).toEqual([]);
    expect(
      parseChatwoot({ event: 'conversation_typing_on', conversation: {} }, context()).interactions,
    ).toEqual([]);
  });
});

describe('Chatwoot webhooks, malformed', () => {
  it('refuses a payload without event, a message without conversation, wrong types and huge content', async () => {
    expect((await rejectionOf(() => parseChatwoot({ id: 1 }, context()))).message).toBe(
      'Invalid Chatwoot webhook: event: required',
    );
    const noConversation = clone(loadPayload('chatwoot/message_created.json')) as Record<string, unknown>;
    delete noConversation['conversation'];
    expect((await rejectionOf(() => parseChatwoot(noConversation, context()))).message).toBe(
      'Invalid Chatwoot webhook: conversation: required',
    );
    const wrong = clone(loadPayload('chatwoot/conversation_resolved.json')) as {
      messages: Array<Record<string, unknown>>;
    };
    wrong.messages[0]!['created_at'] = { at: 'noon' };
    expect((await rejectionOf(() => parseChatwoot(wrong, context()))).message).toBe(
      'Invalid Chatwoot webhook: messages[0].created_at: not a valid timestamp',
    );
    const huge = clone(loadPayload('chatwoot/message_created.json')) as Record<string, unknown>;
    huge['content'] = 'a'.repeat(500_001);
    expect(await rejectionOf(() => parseChatwoot(huge, context()))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Invalid Chatwoot webhook: content: longer than 500000 characters',
    });
  });
});
