import { describe, expect, it } from 'vitest';
import { BATCH_BUDGET_MS, nextBatchSize } from './retention.pacing.ts';

describe('purge batch pacing', () => {
  it('shrinks a batch that overran its time budget in proportion, never below the floor', () => {
    expect(nextBatchSize(2000, 2000, BATCH_BUDGET_MS * 2)).toBe(1000);
    expect(nextBatchSize(2000, 2000, BATCH_BUDGET_MS * 100)).toBe(200);
    // A configured size below the floor is kept as configured (tests and small deployments).
    expect(nextBatchSize(4, 4, BATCH_BUDGET_MS * 10)).toBe(4);
  });

  it('grows back towards the configured size when batches are quick, and never beyond it', () => {
    expect(nextBatchSize(500, 2000, BATCH_BUDGET_MS / 4)).toBe(1000);
    expect(nextBatchSize(1500, 2000, BATCH_BUDGET_MS / 4)).toBe(2000);
    expect(nextBatchSize(2000, 2000, 1)).toBe(2000);
  });

  it('keeps the size while batches take between half and all of the budget', () => {
    expect(nextBatchSize(800, 2000, BATCH_BUDGET_MS * 0.75)).toBe(800);
  });
});
