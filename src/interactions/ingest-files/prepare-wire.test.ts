import { describe, expect, it } from 'vitest';
import { compileRedactionPolicy } from '../../redaction/index.ts';
import { parseGeneric } from '../adapters/generic.adapter.ts';
import { generic } from '../adapters/generic.test-fixture.ts';
import { prepareInteraction } from '../interactions.ingest.ts';
import { toWire } from './prepare.worker.ts';
import { fromWire } from './prepare-pool.ts';

describe('prepared interactions crossing from a worker thread', () => {
  it('arrive whole: the interaction, parsed on first read, equals the one prepared', () => {
    const [interaction] = parseGeneric(generic.documentedExample(), { receivedAtMs: 1 }).interactions;
    const prepared = prepareInteraction(interaction!, compileRedactionPolicy({}), 1);
    const received = fromWire(structuredClone(toWire(prepared)));
    expect(received.head).toEqual(prepared.head);
    expect(received.built).toEqual(prepared.built);
    expect(received.cards).toEqual(prepared.cards);
    expect(received.customer).toEqual(prepared.customer);
    expect(JSON.stringify(received.interaction)).toBe(JSON.stringify(prepared.interaction));
    expect(received.interaction).toBe(received.interaction);
  });
});
