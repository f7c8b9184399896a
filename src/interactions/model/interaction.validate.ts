import type { z } from 'zod';
import type { AppError } from '../../shared/errors.ts';
import { interactionModelError } from './interaction.errors.ts';
import { type Interaction, interactionSchema } from './interaction.schema.ts';

/** One problem found in a value: where (a dotted path) and what, never the value itself. */
export interface ValidationProblem {
  path: string;
  problem: string;
  tooLarge: boolean;
}

const MAX_REPORTED_PROBLEMS = 10;

/** Formats a path like `segments[3].words[0].end`, optionally under a prefix. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      // Record keys come from the payload: shortened so a huge key cannot make a huge message.
      const key = String(part).slice(0, 64);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out === '' ? '(root)' : out;
}

/**
 * Describes zod issues in our own words. Zod's default texts are not used because some of them
 * quote the received value; ours name the path and the rule only, so a secret sent in the wrong
 * field never comes back in an error message or a log line.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): ValidationProblem[] {
  return issues.slice(0, MAX_REPORTED_PROBLEMS).map((issue) => ({
    path: formatPath(issue.path, prefix),
    problem: describeIssue(issue),
    tooLarge:
      (issue.code === 'too_big' && issue.origin !== 'number' && issue.origin !== 'bigint') ||
      (issue.code === 'custom' && issue.params?.['tooLarge'] === true),
  }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    // Parsed with `reportInput`, so a missing field is told apart from a wrong one; the input itself is never quoted.
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}`;
    case 'too_big':
      return describeBound('more than', issue.origin, Number(issue.maximum), issue.message);
    case 'too_small':
      return describeBound('fewer than', issue.origin, Number(issue.minimum), issue.message);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k.slice(0, 64))).join(', ')}`;
    case 'invalid_format':
      return `not a valid ${issue.format}`;
    case 'invalid_union':
      return 'matches none of the accepted shapes';
    case 'invalid_key':
      return 'invalid key';
    case 'invalid_element':
      return 'invalid entry';
    case 'custom':
      return issue.message;
    default:
      return 'invalid value';
  }
}

function describeBound(word: string, origin: string, bound: number, custom: string): string {
  if (origin === 'string')
    return `${word === 'more than' ? 'longer than' : 'shorter than'} ${bound} characters`;
  if (origin === 'array' || origin === 'set') return `${word} ${bound} items`;
  if (origin === 'number' || origin === 'bigint')
    return word === 'more than' ? `above ${bound}` : `below ${bound}`;
  return custom;
}

/** Builds the AppError for a list of problems: too_large when every problem is a size limit. */
export function problemsToError(
  problems: ValidationProblem[],
  make: (code: 'INVALID' | 'TOO_LARGE', message: string, details: Record<string, unknown>) => AppError,
  what: string,
): AppError {
  const first = problems[0] ?? { path: '(root)', problem: 'invalid', tooLarge: false };
  const details = { problems: problems.map(({ path, problem }) => ({ path, problem })) };
  const code = problems.every((p) => p.tooLarge) ? 'TOO_LARGE' : 'INVALID';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return make(code, `${what}: ${first.path}: ${first.problem}${more}`, details);
}

/**
 * `safeParse` whose issues carry the input, so a missing field is told apart from a wrong one. A
 * valid value is parsed without `reportInput`, which costs zod noticeably more on every value
 * (the ingest hot path); only a refused one is parsed again to describe its issues.
 */
export function safeParseReportingInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.ZodSafeParseResult<z.output<T>> {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed : schema.safeParse(value, { reportInput: true });
}

/** Validates a value against the Interaction model; throws INTERACTION_INVALID / INTERACTION_TOO_LARGE. */
export function validateInteraction(value: unknown): Interaction {
  const parsed = safeParseReportingInput(interactionSchema, value);
  if (parsed.success) return parsed.data;
  throw problemsToError(
    describeIssues(parsed.error.issues),
    (code, message, details) =>
      interactionModelError(code === 'TOO_LARGE' ? 'INTERACTION_TOO_LARGE' : 'INTERACTION_INVALID', message, {
        details,
      }),
    'Invalid interaction',
  );
}
