import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinFieldsMarkdown, builtinMatrixMarkdown } from './access.matrix.ts';
import { PERMISSION_NAMES } from './access.permissions.ts';

const doc = readFileSync(new URL('../../docs/access-control.md', import.meta.url), 'utf8');

function between(name: string): string {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc);
  if (!match) throw new Error(`docs/access-control.md has no ${name} block`);
  return match[1]!;
}

describe('docs/access-control.md', () => {
  it('shows the role x permission and field matrices exactly as the code defines them', () => {
    expect(between('access-matrix')).toBe(builtinMatrixMarkdown());
    expect(between('access-fields')).toBe(builtinFieldsMarkdown());
  });

  it('documents every permission', () => {
    for (const permission of PERMISSION_NAMES) expect(doc).toContain(`| \`${permission}\` |`);
  });
});
