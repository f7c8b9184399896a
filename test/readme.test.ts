import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('documents every setting exactly as the settings table defines it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = readme.split('<!-- config-table:start -->\n')[1]?.split('<!-- config-table:end -->')[0];
    const generated = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/config-table.ts'], {
      encoding: 'utf8',
    });
    expect(block).toBe(generated);
  });
});
