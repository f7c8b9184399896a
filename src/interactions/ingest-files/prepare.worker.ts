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

/**
 * The items of one API batch request (already JSON-parsed), parsed and redacted off the main
 * thread. All or none, like the request: the first bad item's error comes back as is.
 */
export interface PrepareValuesJob {
  id: number;
  kind: 'values';
  adapter: string;
  values: unknown[];
  /** Names the items in error messages: `interactions` gives `interactions[3].segments[0]...`. */
  pathPrefix: string;
  policy: RedactionPolicyInput;
  receivedAtMs: number;
}

/**
 * A Prepared as it crosses to the main thread: the whole interaction as JSON text. Rebuilding its
 * objects there cost the main thread (which holds the database work) as much as the rest of the
 * message, and only a merge with a stored conversation reads it (see prepare-pool.ts).
 */
export type WirePrepared = Omit<Prepared, 'interaction'> & { interactionJson: string };

export function toWire(prepared: Prepared): WirePrepared {
  const { head, built, cards, customer } = prepared;
  return { head, built, cards, customer, interactionJson: JSON.stringify(prepared.interaction) };
}

export type PreparedLine = { line: number; prepared: WirePrepared[] } | { line: number; error: string };

export interface PrepareJobResult {
  id: number;
  items: PreparedLine[];
  /** A failure that is not about one line's content (a bug): the whole run stops. */
  fatal?: string;
}

/** An AppError's parts, to be thrown again on the main thread. */
export interface SerializedAppError {
  code: string;
  kind: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface PrepareValuesResult {
  id: number;
  prepared: WirePrepared[];
  error?: SerializedAppError;
  fatal?: string;
}

// File ingest never verifies webhook signatures: there is no request to sign (nor has the API batch).
const parser = createPayloadParser({ twilioAuthToken: async () => undefined });
const policies = new Map<string, ReturnType<typeof compileRedactionPolicy>>();

function policyOf(input: RedactionPolicyInput) {
  const key = JSON.stringify(input);
  let policy = policies.get(key);
  if (!policy) {
    policy = compileRedactionPolicy({ ...input, placeholder: 'type' });
    policies.set(key, policy);
  }
  return policy;
}

const fatalOf = (error: unknown) => (error instanceof Error ? error.message : 'worker failed');

async function run(job: PrepareJob): Promise<PrepareJobResult> {
  const policy = policyOf(job.policy);
  const items: PreparedLine[] = [];
  for (const { line, text } of job.lines) {
    try {
      const { interactions } = await parser.parseText(job.adapter, text, { receivedAtMs: job.receivedAtMs });
      items.push({
        line,
        prepared: interactions.map((i) => toWire(prepareInteraction(i, policy, job.receivedAtMs))),
      });
    } catch (error) {
      if (!isAppError(error)) return { id: job.id, items, fatal: fatalOf(error) };
      items.push({ line, error: error.message });
    }
  }
  return { id: job.id, items };
}

async function runValues(job: PrepareValuesJob): Promise<PrepareValuesResult> {
  const policy = policyOf(job.policy);
  const prepared: WirePrepared[] = [];
  for (const [index, value] of job.values.entries()) {
    try {
      const context = { receivedAtMs: job.receivedAtMs };
      const { interactions } = await parser.parseAt(
        job.adapter,
        value,
        context,
        `${job.pathPrefix}[${index}]`,
      );
      for (const interaction of interactions)
        prepared.push(toWire(prepareInteraction(interaction, policy, job.receivedAtMs)));
    } catch (error) {
      if (!isAppError(error)) return { id: job.id, prepared: [], fatal: fatalOf(error) };
      const { code, kind, message, details } = error;
      return { id: job.id, prepared: [], error: { code, kind, message, ...(details ? { details } : {}) } };
    }
  }
  return { id: job.id, prepared };
}

parentPort?.on('message', (job: PrepareJob | PrepareValuesJob) => {
  if ('kind' in job) void runValues(job).then((result) => parentPort!.postMessage(result));
  else void run(job).then((result) => parentPort!.postMessage(result));
});
