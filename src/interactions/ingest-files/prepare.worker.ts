import { parentPort } from 'node:worker_threads';
import { compileRedactionPolicy, type RedactionPolicyInput } from '../../redaction/index.ts';
import { isAppError } from '../../shared/errors.ts';
import { type Prepared, prepareInteraction } from '../interactions.ingest.ts';
import { createPayloadParser } from '../payload-parser.ts';

/** A chunk of JSON Lines to parse and redact off the main thread, so `vigil ingest` uses every core. */
export interface PrepareJob {
  id: number;
  adapter: string;
  lines: { line: number; text: string }[];
  policy: RedactionPolicyInput;
  receivedAtMs: number;
}

export type PreparedLine = { line: number; prepared: Prepared[] } | { line: number; error: string };

export interface PrepareJobResult {
  id: number;
  items: PreparedLine[];
  /** A failure that is not about one line's content (a bug): the whole run stops. */
  fatal?: string;
}

// File ingest never verifies webhook signatures: there is no request to sign.
const parser = createPayloadParser({ twilioAuthToken: async () => undefined });
const policies = new Map<string, ReturnType<typeof compileRedactionPolicy>>();

async function run(job: PrepareJob): Promise<PrepareJobResult> {
  const key = JSON.stringify(job.policy);
  let policy = policies.get(key);
  if (!policy) {
    policy = compileRedactionPolicy({ ...job.policy, placeholder: 'type' });
    policies.set(key, policy);
  }
  const items: PreparedLine[] = [];
  for (const { line, text } of job.lines) {
    try {
      const { interactions } = await parser.parseText(job.adapter, text, { receivedAtMs: job.receivedAtMs });
      items.push({
        line,
        prepared: interactions.map((i) => prepareInteraction(i, policy, job.receivedAtMs)),
      });
    } catch (error) {
      if (!isAppError(error))
        return { id: job.id, items, fatal: error instanceof Error ? error.message : 'worker failed' };
      items.push({ line, error: error.message });
    }
  }
  return { id: job.id, items };
}

parentPort?.on('message', (job: PrepareJob) => {
  void run(job).then((result) => parentPort!.postMessage(result));
});
