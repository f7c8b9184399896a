import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The generic-format example of docs/adapters.md, parsed from the doc so doc and tests cannot drift apart. */
function documentedExample(): unknown {
  const doc = readFileSync(join(repoRoot, 'docs/adapters.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## The generic JSON format'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  if (block === null) throw new Error('docs/adapters.md has no generic example');
  return JSON.parse(block[1]!);
}

export const generic = { repoRoot, documentedExample };
