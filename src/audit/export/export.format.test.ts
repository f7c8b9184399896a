import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../audit.events.ts';
import { toOcsf } from './export.ocsf.ts';
import { formatEventSyslog, frameOctetCounting } from './export.syslog.ts';
import { signWebhook, verifyWebhookSignature } from './export.webhook-signature.ts';

const event = (over: Partial<AuditEventView> = {}): AuditEventView => ({
  id: '01890000-0000-7000-8000-000000000001',
  tenantId: 'tenant-1',
  seq: 41,
  occurredAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  actor: { type: 'user', id: 'u-7', name: 'Zoë "Z" Ñandú' },
  action: 'vault.detokenize',
  outcome: 'success',
  target: { type: 'card_token', id: 'tok]1' },
  reason: 'chargeback',
  origin: { ip: '198.51.100.4', userAgent: 'agent/1' },
  requestId: 'req-9',
  details: { last4Shown: true },
  sensitive: { phone: 'hmac-value' },
  ...over,
});

describe('OCSF mapping', () => {
  it('maps data access to API Activity: Read with request, actor, source and resource', () => {
    const ocsf = toOcsf(event(), { version: '1.2.3' });
    expect(ocsf).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 2,
      type_uid: 600302,
      status_id: 1,
      severity_id: 1,
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      api: { operation: 'vault.detokenize', request: { uid: 'req-9' } },
      actor: { user: { uid: 'u-7', type_id: 1 } },
      src_endpoint: { ip: '198.51.100.4' },
      resources: [{ type: 'card_token', uid: 'tok]1' }],
      metadata: { uid: event().id, sequence: 41, product: { name: 'Vigil', version: '1.2.3' } },
    });
  });

  it('maps auth.* to Authentication with Logon/Logoff and failures to status 2', () => {
    const login = toOcsf(event({ action: 'auth.login', outcome: 'failure' }), { version: '1' });
    expect(login).toMatchObject({
      class_uid: 3002,
      category_uid: 3,
      activity_id: 1,
      type_uid: 300201,
      status_id: 2,
      status_detail: 'failure',
    });
    expect(toOcsf(event({ action: 'auth.logout' }), { version: '1' })).toMatchObject({
      class_uid: 3002,
      activity_id: 2,
    });
    expect(toOcsf(event({ action: 'keys.rotate' }), { version: '1' })).toMatchObject({
      class_uid: 6003,
      activity_id: 3,
    });
    expect(toOcsf(event({ action: 'vault.shred' }), { version: '1' })).toMatchObject({ activity_id: 4 });
    expect(toOcsf(event({ action: 'tenant.frobnicate' }), { version: '1' })).toMatchObject({
      activity_id: 99,
    });
  });
});

describe('RFC 5424 over RFC 6587 octet counting', () => {
  it('writes the header, escapes structured data and counts bytes, not characters', () => {
    const message = formatEventSyslog(event({ outcome: 'denied' }), '{"a":"é"}', { hostname: 'node 1' });
    expect(
      message.startsWith('<108>1 2026-01-02T03:04:05.678Z node_1 vigil - vault.detokenize [vigil@32473 '),
    ).toBe(true);
    expect(message).toContain('target="tok\\]1"');
    const frame = frameOctetCounting(message);
    const space = frame.indexOf(0x20);
    expect(Number(frame.subarray(0, space).toString())).toBe(frame.length - space - 1);
    expect(Buffer.byteLength(message)).toBeGreaterThan(message.length);
  });
});

describe('webhook signatures', () => {
  const secret = Buffer.from('a-secret-of-at-least-thirty-two-chars!');
  it('verifies the exact body and timestamp within the tolerance, in constant time', () => {
    const signature = signWebhook(secret, 1_700_000_000, 'body');
    const base = { secret, timestamp: '1700000000', signature, body: 'body', nowSeconds: 1_700_000_100 };
    expect(verifyWebhookSignature(base)).toBe(true);
    expect(verifyWebhookSignature({ ...base, body: 'body!' })).toBe(false);
    expect(verifyWebhookSignature({ ...base, timestamp: '1700000001' })).toBe(false);
    expect(verifyWebhookSignature({ ...base, nowSeconds: 1_700_001_000 })).toBe(false);
    expect(verifyWebhookSignature({ ...base, signature: undefined })).toBe(false);
  });
});
