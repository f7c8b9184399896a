import { findAddresses, findPostalCodes } from './redaction.address.ts';
import { type ContextScope, contextAt } from './redaction.context.ts';
import { findMonthDates } from './redaction.dates.ts';
import {
  findIbans,
  findIpv6,
  findMbis,
  findSpokenEmails,
  findWrittenEmails,
} from './redaction.identifiers.ts';
import {
  F_AT,
  F_FILLER,
  F_MONTH,
  F_NUM,
  F_PO_BOX,
  F_STREET_PREFIX,
  F_STREET_SUFFIX,
  TokenWordSet,
} from './redaction.lexicon.ts';
import { C_NEG, CONTINUATION_WORDS } from './redaction.lexicon-data.ts';
import type { WorkFinding } from './redaction.output.ts';
import type { CompiledRedactionPolicy } from './redaction.policy.ts';
import type { DigitRun } from './redaction.runs.ts';
import { K_MIXED, K_PUNCT, K_WORD, type Tokens } from './redaction.tokens.ts';

const CONTINUATION = new TokenWordSet(CONTINUATION_WORDS);

/** Detectors that claim tokens before digit runs are read (so their digits are not re-read). */
export function detectStructured(
  scope: ContextScope,
  policy: CompiledRedactionPolicy,
  out: WorkFinding[],
): void {
  const t = scope.tokens;
  const mixed = (t.kinds & (1 << K_MIXED)) !== 0;
  findWrittenEmails(t, out);
  findIpv6(t, out);
  if (mixed) {
    findIbans(t, out);
    findMbis(t, out);
  }
  if ((t.flags & F_AT) !== 0) findSpokenEmails(t, policy.langMask, out);
  if ((t.flags & F_MONTH) !== 0) findMonthDates(scope, policy.langMask, out);
  if ((t.flags & (F_STREET_SUFFIX | F_STREET_PREFIX | F_PO_BOX)) !== 0)
    findAddresses(t, policy.langMask, out);
  if (mixed) findPostalCodes(t, out);
}

/** Tenant patterns and deny-list terms. */
export function detectTenantTerms(text: string, policy: CompiledRedactionPolicy, out: WorkFinding[]): void {
  for (const p of policy.customPatterns) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      if (m[0].length === 0) {
        p.regex.lastIndex++;
        continue;
      }
      out.push({
        type: p.type,
        start: m.index,
        end: m.index + m[0].length,
        confidence: p.confidence,
        detector: `custom:${p.name}`,
      });
    }
  }
  const deny = policy.deny;
  if (!deny) return;
  deny.regex.lastIndex = 0;
  for (let m = deny.regex.exec(text); m; m = deny.regex.exec(text)) {
    const type = deny.types.get(m[0].toLowerCase());
    if (type)
      out.push({ type, start: m.index, end: m.index + m[0].length, confidence: 1, detector: 'deny-list' });
  }
}

/** A word that carries no content between pieces of a number read in chunks ("okay", "um", "next"). */
export function isGlueWord(t: Tokens, i: number): boolean {
  const k = t.kind[i];
  // Something already redacted is not glue: it stood for digits or words, which were not glue
  // when it was redacted, so a second pass reads the segment as strictly as the first did.
  if (k === K_PUNCT) return true;
  if (k !== K_WORD) return false;
  const f = t.lex[i]?.flags ?? 0;
  return (f & (F_FILLER | F_NUM)) !== 0 || CONTINUATION.hasSpan(t.text, t.start[i]!, t.end[i]!, t.bucket[i]!);
}

/** Tokens in a stretch of glue at most (acknowledgements are short). */
const GLUE_TOKENS = 48;

/** Tokens from..to hold only glue, with at most `maxWords` words. */
export function onlyGlue(t: Tokens, from: number, to: number, maxWords: number): boolean {
  // Punctuation is glue too: a bound on tokens keeps "! ! ! ..." from being walked per run.
  if (to - from >= GLUE_TOKENS) return false;
  let words = 0;
  for (let i = from; i <= to; i++) {
    if (!isGlueWord(t, i)) return false;
    if (t.kind[i] === K_WORD && ++words > maxWords) return false;
  }
  return true;
}

/** The run opens its segment: only acknowledgements or fillers before it. */
export function runLeads(run: DigitRun): boolean {
  const g = run.groups[0]!;
  return onlyGlue(g.tokens, 0, g.first - 1, 6);
}

/** The run closes its segment: only acknowledgements or punctuation after it. */
export function runTrails(run: DigitRun): boolean {
  const g = run.groups[run.groups.length - 1]!;
  return onlyGlue(g.tokens, g.last + 1, g.tokens.count - 1, 3);
}

/** A segment that says nothing but "okay, go on": it does not interrupt a number being read. */
export function isAcknowledgement(t: Tokens): boolean {
  return t.count > 0 && onlyGlue(t, 0, t.count - 1, 6);
}

/**
 * The segment asks for something ("and the last four of your social?"): it names a category of
 * number. It ends another speaker's reading: what follows is a new answer.
 */
export function segmentAsks(t: Tokens): boolean {
  if (isAcknowledgement(t)) return false;
  let m = 0;
  for (let i = 0; i < t.count; i++) if (t.lex[i]) m |= contextAt(t, i);
  return (m & ~C_NEG) !== 0;
}
