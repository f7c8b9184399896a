import { z } from 'zod';
import { LANG_EN, LANG_ES, LANG_FR } from './redaction.lexicon-data.ts';
import { ENTITY_TYPES, type EntityType } from './redaction.types.ts';

const entityType = z.enum(ENTITY_TYPES);

const customPatternSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or -, at most 40'),
    type: entityType,
    pattern: z.string().min(1).max(500),
    flags: z
      .string()
      .regex(/^[imsu]{0,4}$/, 'only i, m, s, u')
      .optional(),
    confidence: z.number().min(0).max(1).default(0.9),
  })
  .strict();

/** Per-tenant redaction options, validated once by compileRedactionPolicy. */
export const redactionPolicySchema = z
  .object({
    /** Types to redact; all types when omitted. */
    types: z.array(entityType).min(1).optional(),
    /** Keep a card's last four digits visible in its placeholder. */
    keepLastFour: z.boolean().default(false),
    /** `type` → [CARD_NUMBER]; `mask` → asterisks of the same length; `fixed` → [REDACTED]. */
    placeholder: z.enum(['type', 'mask', 'fixed']).default('type'),
    minConfidence: z.number().min(0).max(1).default(0.5),
    languages: z
      .array(z.enum(['en', 'fr', 'es']))
      .min(1)
      .default(['en', 'fr', 'es']),
    customPatterns: z.array(customPatternSchema).max(50).default([]),
    denyList: z
      .array(z.object({ term: z.string().min(1).max(200), type: entityType }).strict())
      .max(5000)
      .default([]),
    allowList: z.array(z.string().min(1).max(200)).max(5000).default([]),
    /** Other-speaker segments allowed between the pieces of a number read in chunks. */
    maxChainGapSegments: z.number().int().min(0).max(10).default(3),
  })
  .strict();

export type RedactionPolicyInput = z.input<typeof redactionPolicySchema>;

export interface CompiledPattern {
  name: string;
  type: EntityType;
  regex: RegExp;
  confidence: number;
}

/** A validated, precompiled policy: build once per tenant, reuse for every text. */
export interface CompiledRedactionPolicy {
  readonly types: ReadonlySet<EntityType>;
  readonly keepLastFour: boolean;
  readonly placeholder: 'type' | 'mask' | 'fixed';
  readonly minConfidence: number;
  readonly langMask: number;
  readonly customPatterns: readonly CompiledPattern[];
  readonly deny: { regex: RegExp; types: ReadonlyMap<string, EntityType> } | null;
  readonly allow: RegExp | null;
  readonly maxChainGapSegments: number;
  /** Custom patterns or deny-list terms exist: every text must be scanned for them. */
  readonly hasTenantTerms: boolean;
}

/** Thrown for an invalid policy. Messages name fields, never the values (terms may be personal data). */
export class RedactionPolicyError extends Error {
  readonly code = 'REDACTION_POLICY_INVALID';
  readonly issues: { path: string; message: string }[];

  constructor(issues: { path: string; message: string }[]) {
    super(`invalid redaction policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'RedactionPolicyError';
    this.issues = issues;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rejects patterns prone to catastrophic backtracking: a quantified group that itself
 * contains a quantifier, e.g. (a+)+ or (\w*x)*. Tenant patterns run on every interaction.
 */
function hasNestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      if (stack.length > 0 && /[+*{]/.test(pattern[i + 1] ?? '')) stack[stack.length - 1] = true;
      continue;
    }
    if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const q = pattern[i + 1];
      if (inner && (q === '+' || q === '*' || q === '{')) return true;
      if (stack.length > 0 && (inner || q === '+' || q === '*' || q === '{')) stack[stack.length - 1] = true;
    } else if ((c === '+' || c === '*' || c === '{') && stack.length > 0) stack[stack.length - 1] = true;
  }
  return false;
}

function compileCustom(p: z.output<typeof customPatternSchema>, index: number): CompiledPattern {
  const path = `customPatterns.${index}.pattern`;
  if (hasNestedQuantifier(p.pattern)) {
    throw new RedactionPolicyError([
      { path, message: 'nested quantifiers are not allowed (backtracking risk)' },
    ]);
  }
  try {
    const flags = `g${(p.flags ?? '').replace(/g/g, '')}`;
    const regex = new RegExp(p.pattern, flags);
    if (regex.test('')) throw new Error('empty');
    regex.lastIndex = 0;
    return { name: p.name, type: p.type, regex, confidence: p.confidence };
  } catch {
    throw new RedactionPolicyError([
      { path, message: 'not a valid regular expression, or it matches empty text' },
    ]);
  }
}

function termRegex(terms: readonly string[]): RegExp | null {
  if (terms.length === 0) return null;
  const sorted = [...new Set(terms.map((t) => t.trim().toLowerCase()))].filter(Boolean);
  sorted.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.map(escapeRegex).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

const LANG_BITS = { en: LANG_EN, fr: LANG_FR, es: LANG_ES } as const;

/** Validates and compiles a tenant policy. Throws RedactionPolicyError on invalid input. */
export function compileRedactionPolicy(policy?: RedactionPolicyInput): CompiledRedactionPolicy {
  const parsed = redactionPolicySchema.safeParse(policy ?? {});
  if (!parsed.success) {
    throw new RedactionPolicyError(
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  const p = parsed.data;
  const denyTypes = new Map<string, EntityType>();
  for (const d of p.denyList) denyTypes.set(d.term.trim().toLowerCase(), d.type);
  const denyRegex = termRegex(p.denyList.map((d) => d.term));
  const allowRegex = termRegex(p.allowList);
  return Object.freeze({
    types: new Set<EntityType>(p.types ?? ENTITY_TYPES),
    keepLastFour: p.keepLastFour,
    placeholder: p.placeholder,
    minConfidence: p.minConfidence,
    langMask: p.languages.reduce((m, l) => m | LANG_BITS[l], 0),
    customPatterns: p.customPatterns.map(compileCustom),
    deny: denyRegex ? { regex: denyRegex, types: denyTypes } : null,
    allow: allowRegex,
    maxChainGapSegments: p.maxChainGapSegments,
    hasTenantTerms: p.customPatterns.length > 0 || denyRegex !== null,
  });
}

/** The default policy (all types, English/French/Spanish), compiled once. */
export const DEFAULT_POLICY: CompiledRedactionPolicy = compileRedactionPolicy();
