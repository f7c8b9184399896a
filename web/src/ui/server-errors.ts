import { ApiError } from '../api/client.ts';

/**
 * The server's validation problems by field (`details.fields[].path` without its `body.` prefix),
 * so a form can show each message under the input it concerns.
 */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields = error.details?.['fields'];
  if (!Array.isArray(fields)) return {};
  const problems: Record<string, string> = {};
  for (const entry of fields) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { path, problem } = entry as { path?: unknown; problem?: unknown };
    if (typeof path !== 'string' || typeof problem !== 'string') continue;
    const key = path.replace(/^body\./, '');
    problems[key] = problems[key] ? `${problems[key]}; ${problem}` : problem;
  }
  return problems;
}
