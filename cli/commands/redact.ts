import type { Command } from 'commander';
import {
  compileRedactionPolicy,
  ENTITY_TYPES,
  type EntityType,
  RedactionPolicyError,
  runRedactCli,
} from '../../src/redaction/index.ts';

interface RedactOptions {
  jsonl?: boolean;
  types?: string;
  keepLast4?: boolean;
}

function parseTypes(list: string): EntityType[] {
  const known = new Set<string>(ENTITY_TYPES);
  const types = list
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const unknown = types.filter((t) => !known.has(t));
  if (unknown.length > 0 || types.length === 0) {
    throw new RedactionPolicyError([
      { path: 'types', message: `expected a comma-separated list of ${ENTITY_TYPES.join(', ')}` },
    ]);
  }
  return types as EntityType[];
}

/** Registers `vigil redact [--jsonl] [--types LIST] [--keep-last4]`. */
export function registerRedactCommand(program: Command): void {
  program
    .command('redact')
    .description('Redact sensitive data: plain text on stdin, or JSON Lines with --jsonl; result on stdout')
    .option(
      '--jsonl',
      'read one JSON document per line ({"id","text"} or {"id","segments"}) and write one per line',
    )
    .option(
      '--types <list>',
      `comma-separated entity types to redact (default: all): ${ENTITY_TYPES.join(',')}`,
    )
    .option('--keep-last4', 'keep the last four digits of card numbers in the placeholder')
    .action(async (opts: RedactOptions) => {
      try {
        const policy = compileRedactionPolicy({
          types: opts.types ? parseTypes(opts.types) : undefined,
          keepLastFour: opts.keepLast4 === true,
        });
        process.exitCode = await runRedactCli({
          input: process.stdin,
          output: process.stdout,
          jsonl: opts.jsonl === true,
          policy,
        });
      } catch (err) {
        const message = err instanceof RedactionPolicyError ? err.message : 'redaction failed';
        process.stderr.write(`vigil redact: ${message}\n`);
        process.exitCode = 2;
      }
    });
}
