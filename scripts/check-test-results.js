// Reads Vitest's JSON report: fails when no PostgreSQL test ran, and prints the plain summary line.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tests = report.testResults.flatMap((file) => file.assertionResults);
const count = (status, filter = () => true) => tests.filter((t) => t.status === status && filter(t)).length;
const onPostgres = (t) => t.fullName.includes('[postgres]');
const onSqlite = (t) => t.fullName.includes('[sqlite]');
console.log(
  `sqlite tests passed: ${count('passed', onSqlite)}, postgres tests passed: ${count('passed', onPostgres)}`,
);
if (count('passed', onPostgres) === 0) {
  console.error('ci: the PostgreSQL suite did not run');
  process.exit(1);
}
console.log(
  `vitest: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped') + count('pending') + count('todo')} skipped`,
);
process.exit(count('failed') > 0 ? 1 : 0);
