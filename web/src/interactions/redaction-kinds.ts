/** Groups the redaction engine's entity types into the four highlight colours of the transcript. */
export type RedactionKind = 'card' | 'person' | 'contact' | 'other';

const KIND_OF: Record<string, RedactionKind> = {
  CARD_NUMBER: 'card',
  CARD_CVV: 'card',
  CARD_EXPIRY: 'card',
  PIN: 'card',
  BANK_ACCOUNT: 'card',
  ROUTING_NUMBER: 'card',
  IBAN: 'card',
  PERSON_NAME: 'person',
  DATE_OF_BIRTH: 'person',
  US_SSN: 'person',
  CA_SIN: 'person',
  HEALTH_ID: 'person',
  EMAIL: 'contact',
  PHONE: 'contact',
  ADDRESS: 'contact',
  IP_ADDRESS: 'contact',
};

export function redactionKind(type: string): RedactionKind {
  return KIND_OF[type] ?? 'other';
}

export const KIND_LABELS: Record<RedactionKind, string> = {
  card: 'Payment and bank data',
  person: 'Identity',
  contact: 'Contact details',
  other: 'Other',
};

export const ENTITY_LABELS: Record<string, string> = {
  CARD_NUMBER: 'Card number',
  CARD_CVV: 'Security code',
  CARD_EXPIRY: 'Card expiry',
  PIN: 'PIN',
  US_SSN: 'US SSN',
  CA_SIN: 'Canadian SIN',
  BANK_ACCOUNT: 'Bank account',
  ROUTING_NUMBER: 'Routing number',
  IBAN: 'IBAN',
  EMAIL: 'Email',
  PHONE: 'Phone',
  DATE_OF_BIRTH: 'Date of birth',
  ADDRESS: 'Address',
  PERSON_NAME: 'Person name',
  HEALTH_ID: 'Health id',
  IP_ADDRESS: 'IP address',
};

export function entityLabel(type: string): string {
  return ENTITY_LABELS[type] ?? type;
}
