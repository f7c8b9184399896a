import type { Interaction } from './interaction.schema.ts';

/** A small valid interaction with every personal field filled, for model tests. */
export function sampleInteraction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    schemaVersion: 1,
    source: {
      platform: 'generic',
      adapter: 'generic',
      id: 'conv-1',
      revision: 10,
      externalIds: { accountId: 'acct-9' },
    },
    channel: 'chat',
    direction: 'inbound',
    startedAtMs: 1_000,
    endedAtMs: 5_000,
    subject: 'Refund for order 5376897',
    participants: [
      {
        ref: 'c1',
        role: 'customer',
        name: 'Dana Reyes',
        phone: '+14155550123',
        email: 'dana@example.com',
        address: '1 Main St',
      },
      { ref: 'a1', role: 'agent', name: 'Sam Lee', handle: 'slee', externalId: 'agent-42' },
    ],
    segments: [
      {
        id: 'm1',
        role: 'customer',
        participantRef: 'c1',
        text: 'my card is 4111 1111 1111 1111',
        sentAtMs: 1_000,
      },
      { id: 'm2', role: 'agent', participantRef: 'a1', text: 'thanks Dana', sentAtMs: 2_000 },
    ],
    media: [
      {
        id: 'att-1',
        kind: 'attachment',
        uri: 's3://bucket/dana-id.png',
        fileName: 'dana-id.png',
        contentType: 'image/png',
      },
    ],
    attributes: { crmCaseId: 'case-77', dob: '1990-01-01' },
    categories: ['refund'],
    redaction: { platformState: 'none', requestedEntityTypes: [] },
    ...overrides,
  };
}
