/**
 * The demo tenant's people and conversations. Card numbers are the card networks' public test
 * numbers; names, phones and addresses are invented. Everything is redacted on the way in, exactly
 * as real traffic would be.
 */

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  roles: string[];
}

export const DEMO_ADMIN: DemoPerson = {
  key: 'admin',
  name: 'Sam Okafor',
  email: 'sam.okafor@demo.vigil.test',
  roles: ['security_admin'],
};

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { key: 'agent', name: 'Alex Moreau', email: 'alex.moreau@demo.vigil.test', roles: ['agent'] },
  { key: 'agent2', name: 'Priya Nair', email: 'priya.nair@demo.vigil.test', roles: ['agent'] },
  { key: 'supervisor', name: 'Sue Lindqvist', email: 'sue.lindqvist@demo.vigil.test', roles: ['supervisor'] },
  { key: 'qa', name: 'Quinn Adeyemi', email: 'quinn.adeyemi@demo.vigil.test', roles: ['qa_analyst'] },
  {
    key: 'payments',
    name: 'Paolo Rossi',
    email: 'paolo.rossi@demo.vigil.test',
    roles: ['payments_specialist'],
  },
  {
    key: 'compliance',
    name: 'Chloé Martin',
    email: 'chloe.martin@demo.vigil.test',
    roles: ['compliance_officer'],
  },
  { key: 'auditor', name: 'Ada Fischer', email: 'ada.fischer@demo.vigil.test', roles: ['auditor'] },
];

type Channel = 'voice' | 'chat' | 'email' | 'sms';

/** The customer under a legal hold, and the one who asked for a copy of their data. */
export const DEMO_HOLD_EMAIL = 'j.carter@example.net';
export const DEMO_DSAR_EMAIL = 'maria.lopez@example.com';

interface Customer {
  name: string;
  phone: string;
  email: string;
}

const CUSTOMERS: readonly Customer[] = [
  { name: 'Maria Lopez', phone: '+1 416 555 0199', email: 'maria.lopez@example.com' },
  { name: 'James Carter', phone: '+1 212 555 0143', email: 'j.carter@example.net' },
  { name: 'Aiko Tanaka', phone: '+44 20 7946 0958', email: 'aiko.tanaka@example.org' },
  { name: 'Olumide Bello', phone: '+1 312 555 0178', email: 'olumide.b@example.com' },
];

/** Turns of each conversation: [speaker, text]; `a` is the agent, `c` the customer. */
const SCRIPTS: Record<Channel, readonly (readonly ['a' | 'c', string])[][]> = {
  voice: [
    [
      ['a', 'Thank you for calling Northwind Energy, this is Alex. How can I help?'],
      ['c', 'Hi, I would like to pay my overdue bill by card.'],
      ['a', 'Of course. Can you read me the card number please?'],
      ['c', 'Sure, it is four one one one, one one one one'],
      ['c', 'one one one one, one one one one, expiring oh nine twenty eight.'],
      ['a', 'Thanks. And the three digit security code on the back?'],
      ['c', 'Seven three seven.'],
      ['a', 'Payment done. You will get a receipt at your email address.'],
    ],
    [
      ['a', 'Northwind Energy, Priya speaking.'],
      ['c', 'Hello, I moved to 42 Harbour Street, Toronto, and need to update my address.'],
      ['a', 'Happy to help. Can you confirm your date of birth?'],
      ['c', 'It is March 3rd, 1985.'],
      ['a', 'Thank you, the address is updated.'],
    ],
  ],
  chat: [
    [
      ['c', 'Hi, my card 5555 5555 5555 4444 was charged twice this month.'],
      ['a', 'Sorry about that! Let me check the two payments.'],
      ['c', 'You can reach me on +1 212 555 0143 if easier.'],
      ['a', 'I see the duplicate and refunded it. It shows in 3 to 5 days.'],
    ],
  ],
  email: [
    [
      [
        'c',
        'Hello, please update my payment card to 3782 822463 10005, expiry 11/27. My SSN is 219-09-9999 if you need it. Regards',
      ],
      ['a', 'Dear customer, we never need your social security number. Your card is updated.'],
    ],
  ],
  sms: [
    [
      ['c', 'PAY 6011111111111117 CVV 123'],
      ['a', 'Please never text card details. We blocked this message; call us to pay securely.'],
    ],
  ],
};

interface DemoInteractionInput {
  sourceId: string;
  channel: Channel;
  agentUserId: string;
  agentName: string;
  queue: string;
  startedAtMs: number;
  customerIndex: number;
  script: readonly (readonly ['a' | 'c', string])[];
}

/** One interaction in Vigil's generic ingest format (what a platform would POST). */
function demoInteraction(input: DemoInteractionInput) {
  const customer = CUSTOMERS[input.customerIndex % CUSTOMERS.length]!;
  const voice = input.channel === 'voice';
  const turnMs = voice ? 6000 : 45_000;
  return {
    sourceId: input.sourceId,
    revision: 1,
    channel: input.channel,
    direction: 'inbound',
    startedAt: new Date(input.startedAtMs).toISOString(),
    endedAt: new Date(input.startedAtMs + input.script.length * turnMs).toISOString(),
    language: 'en-US',
    queue: input.queue,
    ...(input.channel === 'email' ? { subject: 'Payment card update' } : {}),
    participants: [
      { ref: 'cust', role: 'customer', name: customer.name, phone: customer.phone, email: customer.email },
      { ref: 'agent', role: 'agent', name: input.agentName, externalId: input.agentUserId },
    ],
    segments: input.script.map(([who, text], i) => ({
      participant: who === 'a' ? 'agent' : 'cust',
      text,
      ...(voice
        ? { startMs: i * turnMs, endMs: i * turnMs + turnMs - 500 }
        : { sentAt: new Date(input.startedAtMs + i * turnMs).toISOString() }),
    })),
  };
}

export interface DemoAgents {
  agent: { id: string; name: string };
  agent2: { id: string; name: string };
}

const DAY_MS = 86_400_000;

/** A fortnight of traffic: every channel, both agents, spread over the last 13 days. */
export function demoInteractions(agents: DemoAgents, now: number) {
  const out: ReturnType<typeof demoInteraction>[] = [];
  const channels: Channel[] = ['voice', 'chat', 'voice', 'email', 'sms', 'voice', 'chat'];
  for (let day = 0; day < 13; day++) {
    const perDay = 1 + ((day * 7) % 3);
    for (let n = 0; n < perDay; n++) {
      const channel = channels[(day + n) % channels.length]!;
      const scripts = SCRIPTS[channel];
      const who = (day + n) % 2 === 0 ? agents.agent : agents.agent2;
      out.push(
        demoInteraction({
          sourceId: `demo-${channel}-${day}-${n}`,
          channel,
          agentUserId: who.id,
          agentName: who.name,
          queue: channel === 'email' || channel === 'sms' ? 'payments' : 'billing',
          startedAtMs: now - (12 - day) * DAY_MS - (n + 1) * 3_600_000,
          customerIndex: day + n,
          script: scripts[(day + n) % scripts.length]!,
        }),
      );
    }
  }
  return out;
}
