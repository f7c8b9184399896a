import { describe, expect, it } from 'vitest';
import { listPersonalFields, mapPersonalFields } from './interaction.personal.ts';
import { sampleInteraction } from './interaction.test-fixture.ts';

describe('personal fields', () => {
  it('lists every personal value with its kind and path', () => {
    const fields = listPersonalFields(sampleInteraction());
    expect(fields.map((f) => `${f.kind} ${f.path}`)).toEqual([
      'name participants[0].name',
      'phone participants[0].phone',
      'email participants[0].email',
      'address participants[0].address',
      'name participants[1].name',
      'handle participants[1].handle',
      'text segments[0].text',
      'text segments[1].text',
      'mediaUri media[0].uri',
      'fileName media[0].fileName',
      'attribute attributes.crmCaseId',
      'attribute attributes.dob',
      'subject subject',
    ]);
  });

  it('transforms every personal value so none survives, and leaves refs and platform ids alone', () => {
    const original = sampleInteraction();
    const values = listPersonalFields(original).map((f) => f.value);
    const masked = mapPersonalFields(original, (_value, kind) => `<${kind}>`);
    const json = JSON.stringify(masked);
    for (const value of values) expect(json).not.toContain(value);
    expect(masked.participants.map((p) => [p.ref, p.externalId])).toEqual([
      ['c1', undefined],
      ['a1', 'agent-42'],
    ]);
    expect(masked.source).toEqual(original.source);
    expect(masked.segments[0]!.text).toBe('<text>');
  });

  it('keeps an attribute named __proto__ as a plain attribute', () => {
    const attributes = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>;
    const masked = mapPersonalFields(sampleInteraction({ attributes }), (v) => v.toUpperCase());
    expect(Object.keys(masked.attributes)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(masked.attributes)).toBe(Object.prototype);
  });
});
