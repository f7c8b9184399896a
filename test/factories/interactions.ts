import type { Vigil } from '../../src/main.ts';

/** Realistic generic-format interactions for tests, with the sensitive values they contain. */
export const SAMPLE = {
  pan: '4111111111111111',
  spokenPan: 'four one one one, one one one one',
  spokenPanRest: 'one one one one, one one one one',
  cvv: '737',
  ssn: '219-09-9999',
  email: 'maria.lopez@example.com',
  phone: '+1 416 555 0199',
  name: 'Maria Lopez',
};

export function genericVoiceCall(
  sourceId: string,
  overrides: {
    revision?: number;
    texts?: string[];
    phone?: string;
    email?: string;
    queue?: string;
    agentId?: string;
  } = {},
) {
  const texts = overrides.texts ?? [
    'Thank you for calling, how can I help?',
    `Hi, I want to pay my bill. My card number is ${SAMPLE.pan}.`,
    'Thanks. And the three digits on the back?',
    `It's ${SAMPLE.cvv}. You can also email me at ${SAMPLE.email}.`,
  ];
  return {
    sourceId,
    revision: overrides.revision ?? 1,
    channel: 'voice',
    direction: 'inbound',
    startedAt: '2026-11-20T15:04:05Z',
    endedAt: '2026-11-20T15:09:00Z',
    language: 'en-US',
    queue: overrides.queue ?? 'billing',
    participants: [
      {
        ref: 'cust',
        role: 'customer',
        name: SAMPLE.name,
        phone: overrides.phone ?? SAMPLE.phone,
        email: overrides.email ?? SAMPLE.email,
      },
      { ref: 'agent', role: 'agent', name: 'Sam Rivera', externalId: overrides.agentId ?? 'agent-007' },
    ],
    segments: texts.map((text, i) => ({
      participant: i % 2 === 0 ? 'agent' : 'cust',
      text,
      startMs: i * 4000,
      endMs: i * 4000 + 3500,
    })),
  };
}

/** Parses a generic-format payload and ingests it through the real pipeline, as a system actor. */
export async function ingestGeneric(vigil: Vigil, tenantId: string, payload: unknown) {
  const { interactions } = await vigil.interactions.parser.parse('generic', payload, {
    receivedAtMs: vigil.clock.now(),
  });
  return vigil.interactions.ingest.ingest(
    { tenantId, actor: { type: 'system', id: 'test-ingest' } },
    interactions,
  );
}
