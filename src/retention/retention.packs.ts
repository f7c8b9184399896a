import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DATA_CATEGORIES, type DataCategory } from './retention.categories.ts';

/**
 * Jurisdiction rule packs: one JSON file per law or standard in ./jurisdictions, each rule citing
 * the article it comes from. They are data, not code, so a compliance reviewer can read and
 * correct them without reading TypeScript; this schema refuses a rule without a citation.
 */
const cite = z.string().trim().min(3).max(300);
const text = z.string().trim().min(3).max(1000);
const period = z
  .strictObject({
    days: z.number().int().min(1).max(3650).optional(),
    months: z.number().int().min(1).max(120).optional(),
    cite,
    text,
  })
  .refine((p) => (p.days === undefined) !== (p.months === undefined), 'give days or months, not both');

const retentionRule = z
  .strictObject({
    categories: z.array(z.union([z.literal('*'), z.enum(DATA_CATEGORIES)])).min(1),
    minDays: z.number().int().min(1).max(36_600).optional(),
    maxDays: z.number().int().min(1).max(36_600).optional(),
    requiresLimit: z.boolean().optional(),
    quarterlyCheck: z.boolean().optional(),
    cite,
    text,
  })
  .refine(
    (r) => r.minDays !== undefined || r.maxDays !== undefined || r.requiresLimit,
    'a retention rule needs minDays, maxDays or requiresLimit',
  );

export const packSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  name: z.string().min(3).max(200),
  shortName: z.string().min(2).max(40),
  law: z.string().min(3).max(300),
  url: z.url(),
  appliesTo: z.string().min(3).max(300),
  dsar: z
    .strictObject({
      rights: z.array(z.strictObject({ right: z.enum(['access', 'erasure']), cite, text })).min(1),
      acknowledge: z.strictObject({ businessDays: z.number().int().min(1).max(60), cite, text }).optional(),
      response: period,
      extension: period.nullable(),
      erasureExceptions: z
        .array(z.strictObject({ reason: z.enum(['legal_minimum', 'hold']), cite, text }))
        .optional(),
      holdWhileOpen: z.strictObject({ cite, text }).optional(),
    })
    .nullable(),
  breach: z.array(
    z.strictObject({
      notify: z.enum(['authority', 'individuals', 'other']),
      recipient: z.string().min(3).max(300),
      hours: z.number().int().min(1).max(8760).nullable(),
      deadline: z.string().min(3).max(300),
      cite,
    }),
  ),
  retention: z.array(retentionRule),
});

export type JurisdictionPack = z.infer<typeof packSchema>;
export type PackRetentionRule = JurisdictionPack['retention'][number];
export type DsarKind = 'access' | 'erasure';

/** The pack's retention rules that speak about a category ('*' covers every category). */
export function rulesFor(pack: JurisdictionPack, category: DataCategory): PackRetentionRule[] {
  return pack.retention.filter((r) => r.categories.includes('*') || r.categories.includes(category));
}

export interface PackRegistry {
  all(): readonly JurisdictionPack[];
  get(id: string): JurisdictionPack | undefined;
  has(id: string): boolean;
}

export function createPackRegistry(packs: readonly JurisdictionPack[]): PackRegistry {
  const byId = new Map<string, JurisdictionPack>();
  for (const pack of packs) {
    if (byId.has(pack.id)) throw new Error(`jurisdiction pack ${pack.id} is defined twice`);
    byId.set(pack.id, pack);
  }
  const sorted = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { all: () => sorted, get: (id) => byId.get(id), has: (id) => byId.has(id) };
}

/** Reads and validates every pack file of a directory; a bad file names itself and its problem. */
export function loadPacks(directory: URL = new URL('./jurisdictions/', import.meta.url)): JurisdictionPack[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = packSchema.safeParse(JSON.parse(readFileSync(new URL(file, directory), 'utf8')));
      if (!parsed.success) throw new Error(`jurisdiction pack ${file}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
}

let builtin: PackRegistry | undefined;

/** The packs shipped with Vigil, loaded once. */
export function builtinPacks(): PackRegistry {
  builtin ??= createPackRegistry(loadPacks());
  return builtin;
}
