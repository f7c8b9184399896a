import { describe, expect, it } from 'vitest';
import { maskValue, projectFields } from './access.fields.ts';
import { FIELD_NAMES, type FieldName, type FieldVisibility } from './access.permissions.ts';
import { isCidr, normalizeAddress, ZoneMatcher } from './access.zones.ts';

const all = (v: FieldVisibility) =>
  Object.fromEntries(FIELD_NAMES.map((f) => [f, v])) as Record<FieldName, FieldVisibility>;

describe('field visibility', () => {
  const interaction = {
    id: 'i1',
    agent: { name: 'Maria Lopez' },
    participants: [
      { role: 'customer', name: 'John Q Public', phone: '+1 415 555 0142', email: 'john.public@example.com' },
      { role: 'customer', name: 'Jane Roe', phone: '020 7946 0958' },
    ],
    recording: { url: 's3://bucket/rec.wav' },
  };
  const paths = {
    'agent.name': ['agent.name'],
    'customer.name': ['participants[].name'],
    'customer.phone': ['participants[].phone'],
    'customer.email': ['participants[].email'],
    'recording.audio': ['recording'],
  } as const;

  it('masks, omits or keeps each field per the visibility, on a copy', () => {
    const shaped = projectFields(interaction, paths, {
      ...all('masked'),
      'agent.name': 'unmasked',
      'recording.audio': 'omitted',
    });
    expect(shaped).toEqual({
      id: 'i1',
      agent: { name: 'Maria Lopez' },
      participants: [
        { role: 'customer', name: 'J. Q. P.', phone: '+• ••• ••• ••42', email: 'j•••@•••.com' },
        { role: 'customer', name: 'J. R.', phone: '••• •••• ••58' },
      ],
    });
    expect(interaction.participants[0]!.phone).toBe('+1 415 555 0142');
    expect(projectFields(interaction, paths, all('unmasked'))).toEqual(interaction);
    expect(Object.keys(projectFields(interaction, paths, all('omitted')).participants[0]!)).toEqual(['role']);
  });

  it('never leaves more than the last digits of numbers', () => {
    expect(maskValue('payment.card', '4111 1111 1111 1111')).toBe('•••• •••• •••• 1111');
    expect(maskValue('customer.account', 'AC-889123')).toBe('••-•••123');
    expect(maskValue('transcript.text', 'my card is 4111')).toBe('[redacted]');
    expect(maskValue('customer.phone', 12345)).toBe('[masked]');
    expect(maskValue('customer.email', 'not-an-email')).toBe('[masked]');
  });
});

describe('network zones', () => {
  it('accepts only real CIDR ranges', () => {
    for (const good of ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1/128', '0.0.0.0/0'])
      expect(isCidr(good)).toBe(true);
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0/8',
      '2001:db8::/129',
      '10.0.0.0/8/1',
      'office',
      '10.0.0.0/-1',
      '',
    ]) {
      expect(isCidr(bad)).toBe(false);
    }
    expect(normalizeAddress('::FFFF:10.1.2.3')).toEqual({ address: '10.1.2.3', family: 'ipv4' });
  });

  it('matches addresses to zones by bit, caching answers', () => {
    const zones = new ZoneMatcher([
      { name: 'office', cidrs: ['10.20.0.0/16'] },
      { name: 'vpn', cidrs: ['10.0.0.0/8', '2001:db8:1::/48'] },
    ]);
    expect(zones.match('10.20.1.1')).toBe(0b11);
    expect(zones.match('10.99.1.1')).toBe(0b10);
    expect(zones.match('2001:db8:1::5')).toBe(0b10);
    expect(zones.match('192.0.2.1')).toBe(0);
    expect(zones.match('not an ip')).toBe(0);
    expect(zones.match(undefined)).toBe(0);
    expect(zones.namesOf(0b11)).toEqual(['office', 'vpn']);
    expect(() => new ZoneMatcher([{ name: 'bad', cidrs: ['10.0.0.0/40'] }])).toThrow(
      'zone bad: 10.0.0.0/40 is not a CIDR range',
    );
  });
});
