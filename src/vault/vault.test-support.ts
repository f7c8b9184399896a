import type { ManualClock } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';

/** Published scheme test card numbers (no real account behind them). */
export const CARDS = {
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  amex: '378282246310005',
  discover: '6011111111111117',
  jcb: '3566002020360505',
} as const;

/** A payments specialist who completed MFA just now (vault.detokenize needs a recent step-up). */
export function paymentsSpecialist(tenantId: string, clock: ManualClock, id = 'u-payments'): Principal {
  return {
    tenantId,
    kind: 'user',
    id,
    displayName: 'Pat Payments',
    roles: ['payments_specialist'],
    mfaVerifiedAt: clock.now(),
    sessionId: 'sess-test',
  };
}

/** An agent: no vault permission. */
export function agent(tenantId: string, clock: ManualClock): Principal {
  return {
    tenantId,
    kind: 'user',
    id: 'u-agent',
    displayName: 'Alex Agent',
    roles: ['agent'],
    mfaVerifiedAt: clock.now(),
  };
}

export const ingestActor = { type: 'api_key', id: 'key-ingest', name: 'Ingest' };
