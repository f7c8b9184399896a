/**
 * Generator of labeled contact-center conversations: written and spoken forms, numbers split
 * over several utterances, French and Spanish digits, and negatives that must stay untouched.
 * Run directly to print JSONL: node --import tsx bench/redaction/generate.ts [count] [seed]
 */
import type { EntityType, Segment } from '../../src/redaction/index.ts';
import { FILLER_LINES, FIRST_NAMES, STREETS, SURNAMES } from './generate.data.ts';
import * as v from './generate.values.ts';

export interface Label {
  seg: number;
  start: number;
  end: number;
  type: EntityType;
  /** Pieces of one entity split over segments share this id. */
  entity: number;
}

export interface LabeledConversation {
  id: string;
  segments: Segment[];
  labels: Label[];
}

type Part = string | { type: EntityType; text: string; entity?: number };

class Builder {
  readonly segments: Segment[] = [];
  readonly labels: Label[] = [];
  private entity = 0;

  newEntity(): number {
    return ++this.entity;
  }

  say(speaker: string, ...parts: Part[]): void {
    let text = '';
    const seg = this.segments.length;
    for (const p of parts) {
      if (typeof p === 'string') text += p;
      else {
        this.labels.push({
          seg,
          start: text.length,
          end: text.length + p.text.length,
          type: p.type,
          entity: p.entity ?? this.newEntity(),
        });
        text += p.text;
      }
    }
    this.segments.push({ speaker, text });
  }
}

const A = 'agent';
const C = 'customer';
type Scenario = (rng: v.Rng, b: Builder) => void;

function cardForm(rng: v.Rng, pan: string): string {
  const g = v.cardGroups(pan);
  switch (v.int(rng, 0, 9)) {
    case 0:
      return g.join(' ');
    case 1:
      return pan;
    case 2:
      return g.join('-');
    case 3:
      return v.spokenDigits(rng, pan, 'en', true);
    case 4:
      return g.map((x) => v.spokenPairs(x)).join(', ');
    case 5:
      return v.spokenWithDoubles(rng, pan);
    case 6:
      return `${g[0]} ${g
        .slice(1)
        .map((x) => v.spokenDigits(rng, x))
        .join(' ')}`;
    case 7:
      return g.map((x) => v.spokenDigits(rng, x)).join(', um, ');
    case 8:
      return v.spokenDigits(rng, pan, 'fr');
    default:
      return v.spokenDigits(rng, pan, 'es');
  }
}

const cardInOne: Scenario = (rng, b) => {
  b.say(
    A,
    v.pick(rng, [
      'Can I get the card number please?',
      'What is the long number on the front of the card?',
      "Okay, go ahead with the card number when you're ready.",
    ]),
  );
  b.say(C, v.pick(rng, ["Sure, it's ", 'yeah it is ', 'ok ', 'my visa is ', '']), {
    type: 'CARD_NUMBER',
    text: cardForm(rng, v.cardNumber(rng)),
  });
};

const cardSplit: Scenario = (rng, b) => {
  const pan = v.cardNumber(rng);
  const spoken = rng() < 0.7;
  b.say(A, 'Please read me the card number, four digits at a time.');
  const entity = b.newEntity();
  v.cardGroups(pan).forEach((g, i) => {
    if (i > 0 && rng() < 0.8)
      b.say(A, v.pick(rng, ['okay, go on', 'mm-hmm', 'yes', 'got it', 'okay', 'go ahead']));
    const text = spoken ? (rng() < 0.5 ? v.spokenDigits(rng, g, 'en', true) : v.spokenPairs(g)) : g;
    b.say(C, i === 0 ? v.pick(rng, ['', 'ok ']) : v.pick(rng, ['', 'then ', 'and ']), {
      type: 'CARD_NUMBER',
      text,
      entity,
    });
  });
};

const cvv: Scenario = (rng, b) => {
  const code = v.digits(rng, v.pick(rng, [3, 3, 4]));
  const form = rng() < 0.6 ? v.spokenDigits(rng, code) : code;
  if (rng() < 0.6) {
    b.say(
      A,
      v.pick(rng, [
        'And the three digits on the back?',
        'What is the security code on the back of the card?',
        'Can you read me the CVV?',
      ]),
    );
    b.say(C, v.pick(rng, ['', "it's ", 'um ']), { type: 'CARD_CVV', text: form });
  } else
    b.say(C, v.pick(rng, ['the security code is ', 'cvv is ', 'the code on the back is ']), {
      type: 'CARD_CVV',
      text: form,
    });
};

const expiry: Scenario = (rng, b) => {
  const m = v.int(rng, 1, 12);
  const y = v.int(rng, 25, 32);
  const mm = String(m).padStart(2, '0');
  const text = v.pick(rng, [
    `${mm}/${y}`,
    `${mm}/20${y}`,
    `${v.spokenPair(mm)} ${v.spokenPair(String(y))}`,
    `${v.MONTH_NAMES[m - 1]} 20${y}`,
  ]);
  b.say(C, v.pick(rng, ['it expires ', 'the expiration date is ', 'expiry ', 'valid thru ']), {
    type: 'CARD_EXPIRY',
    text,
  });
};

const pin: Scenario = (rng, b) => {
  const p = v.digits(rng, 4);
  b.say(C, v.pick(rng, ['my pin is ', 'the PIN number is ', 'pin ']), {
    type: 'PIN',
    text: rng() < 0.5 ? v.spokenDigits(rng, p) : p.split('').join(' '),
  });
};

const ssn: Scenario = (rng, b) => {
  const s = v.ssn(rng);
  if (rng() < 0.25) {
    b.say(A, 'Can you verify the last four of your social?');
    b.say(C, 'sure, ', { type: 'US_SSN', text: rng() < 0.5 ? v.spokenDigits(rng, s.slice(5)) : s.slice(5) });
    return;
  }
  const text = v.pick(rng, [
    `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`,
    s,
    v.spokenDigits(rng, s, 'en', true),
  ]);
  b.say(C, v.pick(rng, ['my social is ', 'my social security number is ', 'SSN ', 'ssn: ']), {
    type: 'US_SSN',
    text,
  });
};

const sinScenario: Scenario = (rng, b) => {
  const s = v.sin(rng);
  const text = v.pick(rng, [`${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`, s, v.spokenDigits(rng, s)]);
  if (rng() < 0.3)
    b.say(C, "mon numéro d'assurance sociale est ", {
      type: 'CA_SIN',
      text: rng() < 0.5 ? v.spokenDigits(rng, s, 'fr') : text,
    });
  else b.say(C, v.pick(rng, ['my SIN is ', 'my social insurance number is ']), { type: 'CA_SIN', text });
};

const bank: Scenario = (rng, b) => {
  const r = v.routingNumber(rng);
  const acct = v.digits(rng, v.int(rng, 8, 12));
  b.say(A, 'What are the routing and account numbers?');
  b.say(
    C,
    'routing is ',
    { type: 'ROUTING_NUMBER', text: rng() < 0.6 ? r : v.spokenDigits(rng, r) },
    ' and the account number is ',
    {
      type: 'BANK_ACCOUNT',
      text: acct,
    },
  );
};

const ibanScenario: Scenario = (rng, b) => {
  const i = v.iban(rng);
  b.say(C, 'my IBAN is ', { type: 'IBAN', text: rng() < 0.5 ? i : (i.match(/.{1,4}/g) ?? []).join(' ') });
};

const email: Scenario = (rng, b) => {
  const f = v.pick(rng, FIRST_NAMES).toLowerCase();
  const l = v.pick(rng, SURNAMES).toLowerCase();
  const dom = v.pick(rng, ['gmail', 'yahoo', 'outlook', 'example', 'hotmail']);
  const tld = v.pick(rng, ['com', 'net', 'ca', 'org']);
  const text =
    rng() < 0.5 ? `${f}.${l}${v.int(rng, 1, 99)}@${dom}.${tld}` : `${f} dot ${l} at ${dom} dot ${tld}`;
  b.say(C, v.pick(rng, ['my email is ', 'it is ', 'email address: ']), { type: 'EMAIL', text });
};

const phone: Scenario = (rng, b) => {
  const p = v.nanpPhone(rng);
  const text = v.pick(rng, [
    `(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`,
    `${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`,
    `+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}`,
    v.spokenDigits(rng, p, 'en', true),
  ]);
  b.say(C, v.pick(rng, ['you can call me back at ', 'my phone number is ', 'my cell is ']), {
    type: 'PHONE',
    text,
  });
};

const dob: Scenario = (rng, b) => {
  const y = v.int(rng, 1940, 2005);
  const m = v.int(rng, 1, 12);
  const d = v.int(rng, 1, 28);
  const mm = String(m).padStart(2, '0');
  const dd = String(d).padStart(2, '0');
  const text = v.pick(rng, [
    `${mm}/${dd}/${y}`,
    `${v.MONTH_NAMES[m - 1]} ${d}, ${y}`,
    `${y}-${mm}-${dd}`,
    `${v.MONTH_NAMES[m - 1]!.toLowerCase()} ${v.ORDINAL_WORDS[d]} ${v.spokenYear(y)}`,
  ]);
  b.say(C, v.pick(rng, ['my date of birth is ', 'I was born on ', 'DOB ', 'birthday is ']), {
    type: 'DATE_OF_BIRTH',
    text,
  });
};

const address: Scenario = (rng, b) => {
  const n = v.int(rng, 1, 9999);
  const [street, suffix] = v.pick(rng, STREETS);
  const text = v.pick(rng, [
    `${n} ${street} ${suffix}, Springfield, IL 62704`,
    `${n} ${street} ${suffix}`,
    `${v.spokenDigits(rng, String(n))} ${street.toLowerCase()} ${suffix.toLowerCase()}`,
    `${n}, rue ${street}, Montréal, QC H2J 2L3`,
    `calle ${street} ${n}`,
  ]);
  b.say(C, v.pick(rng, ['I live at ', 'my address is ', 'ship it to ', 'the billing address is ']), {
    type: 'ADDRESS',
    text,
  });
};

const name: Scenario = (rng, b) => {
  const lower = rng() < 0.4;
  const f = v.pick(rng, FIRST_NAMES);
  const l = v.pick(rng, SURNAMES);
  const full = lower ? `${f} ${l}`.toLowerCase() : `${f} ${l}`;
  switch (v.int(rng, 0, 3)) {
    case 0:
      b.say(C, v.pick(rng, ['my name is ', 'hi, my name is ', 'yes my name is ']), {
        type: 'PERSON_NAME',
        text: full,
      });
      break;
    case 1:
      b.say(C, 'hi this is ', { type: 'PERSON_NAME', text: full }, ' calling about my bill');
      break;
    case 2:
      b.say(A, 'Thank you, Mr. ', { type: 'PERSON_NAME', text: l }, '.');
      break;
    default:
      b.say(A, 'Am I speaking with ', { type: 'PERSON_NAME', text: `${f} ${l}` }, '?');
  }
};

const health: Scenario = (rng, b) => {
  const id = v.mbi(rng);
  if (rng() < 0.6)
    b.say(C, 'my medicare number is ', {
      type: 'HEALTH_ID',
      text: rng() < 0.5 ? id : `${id.slice(0, 4)}-${id.slice(4, 7)}-${id.slice(7)}`,
    });
  else b.say(C, 'my health card number is ', { type: 'HEALTH_ID', text: v.digits(rng, 10) });
};

const ip: Scenario = (rng, b) => {
  b.say(C, 'my IP address is ', {
    type: 'IP_ADDRESS',
    text: `${v.int(rng, 10, 223)}.${v.int(rng, 0, 255)}.${v.int(rng, 0, 255)}.${v.int(rng, 1, 254)}`,
  });
};

/** Things that must stay untouched. */
const negative: Scenario = (rng, b) => {
  const order = v.failsLuhn(rng, 16);
  b.say(
    v.pick(rng, [A, C]),
    v.pick(rng, [
      `your order number is ${v.cardGroups(order).join(' ')}`,
      `the tracking number is 1Z${v.digits(rng, 3)}AA${v.digits(rng, 10)}`,
      `that comes to $${v.int(rng, 1, 500)}.${v.digits(rng, 2)} plus tax`,
      `it was about forty two dollars`,
      `the appointment is at 3:30 pm on ${v.pick(rng, v.MONTH_NAMES)} ${v.int(rng, 1, 28)}`,
      `I ordered ${v.int(rng, 2, 9)} items last week`,
      'press one for billing or two for support',
      `your ticket number is ${v.digits(rng, 6)}`,
      `the card on file ends in ${v.digits(rng, 4)}`,
      `I see a card XXXX-XXXX-XXXX-${v.digits(rng, 4)} on the account`,
      `it should arrive in ${v.pick(rng, ['two', 'three', 'five'])} to ${v.pick(rng, ['seven', 'ten'])} business days`,
      `we opened in 2019 and serve ${v.int(rng, 10, 90)} thousand customers`,
      `reference ${order}`,
    ]),
  );
};

const SCENARIOS: Scenario[] = [
  cardInOne,
  cardInOne,
  cardSplit,
  cardSplit,
  cvv,
  expiry,
  pin,
  ssn,
  sinScenario,
  bank,
  ibanScenario,
  email,
  phone,
  dob,
  address,
  name,
  name,
  health,
  ip,
];

/** One conversation: greeting, 2-4 sensitive exchanges, negatives and chit-chat. */
export function generateConversation(rng: v.Rng, id: string): LabeledConversation {
  const b = new Builder();
  const agent = v.pick(rng, FIRST_NAMES);
  b.say(
    A,
    'Thank you for calling Acme support, this is ',
    { type: 'PERSON_NAME', text: agent },
    '. How can I help you today?',
  );
  b.say(C, v.pick(rng, FILLER_LINES));
  const n = v.int(rng, 2, 4);
  for (let i = 0; i < n; i++) {
    v.pick(rng, SCENARIOS)(rng, b);
    if (rng() < 0.5) b.say(A, v.pick(rng, FILLER_LINES));
    if (rng() < 0.6) negative(rng, b);
  }
  b.say(A, 'Is there anything else I can help you with today?');
  b.say(C, v.pick(rng, ['no that is all, thanks', 'nope, have a good one', 'no thank you']));
  return { id, segments: b.segments, labels: b.labels };
}

/**
 * A whole call as the ingest path sees it: mostly small talk (30-60 utterances) with one to
 * three sensitive exchanges. Used for throughput; the dense set above is for quality.
 */
export function generateCall(rng: v.Rng, id: string): LabeledConversation {
  const b = new Builder();
  b.say(
    A,
    'Thank you for calling Acme support, this is ',
    { type: 'PERSON_NAME', text: v.pick(rng, FIRST_NAMES) },
    '. How can I help you today?',
  );
  const talk = v.int(rng, 30, 60);
  const sensitive = new Set(Array.from({ length: v.int(rng, 1, 3) }, () => v.int(rng, 1, talk - 1)));
  for (let i = 0; i < talk; i++) {
    if (sensitive.has(i)) v.pick(rng, SCENARIOS)(rng, b);
    else b.say(i % 2 === 0 ? C : A, v.pick(rng, FILLER_LINES));
  }
  return { id, segments: b.segments, labels: b.labels };
}

export function generateCalls(count: number, seed = 7): LabeledConversation[] {
  const rng = v.createRng(seed);
  return Array.from({ length: count }, (_, i) => generateCall(rng, `call${i}`));
}

export function generateConversations(count: number, seed = 42): LabeledConversation[] {
  const rng = v.createRng(seed);
  return Array.from({ length: count }, (_, i) => generateConversation(rng, `c${i}`));
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const count = Number(process.argv[2] ?? 100);
  const seed = Number(process.argv[3] ?? 42);
  for (const c of generateConversations(count, seed)) process.stdout.write(`${JSON.stringify(c)}\n`);
}
