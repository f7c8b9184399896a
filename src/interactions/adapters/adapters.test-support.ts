import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseError, parse as parseJsonc } from 'jsonc-parser';
import { isAppError } from '../../shared/errors.ts';
import type { AdapterContext } from './adapter.types.ts';
import { parseJsonText } from './payload-text.ts';

/** The shared third-party samples live beside the repository, never inside it (see SOURCES.md there). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PAYLOADS_DIR = resolve(REPO_ROOT, '../shared/payloads');

export const RECEIVED_AT_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

export function context(overrides: Partial<AdapterContext> = {}): AdapterContext {
  return { receivedAtMs: RECEIVED_AT_MS, ...overrides };
}

/** Every sample file of a platform folder, e.g. `listPayloads('chatwoot')`. */
export function listPayloads(folder: string): string[] {
  return readdirSync(join(PAYLOADS_DIR, folder))
    .sort()
    .map((name) => `${folder}/${name}`);
}

export function readPayload(relativePath: string): Buffer {
  return readFileSync(join(PAYLOADS_DIR, relativePath));
}

/** A sample parsed as Vigil parses it: strict JSON for `.json`, JSONC (comments, trailing commas) for `.doc.jsonc`. */
export function loadPayload(relativePath: string): unknown {
  return parseJsonText(readPayload(relativePath), { jsonc: relativePath.endsWith('.jsonc') });
}

/**
 * A documentation excerpt parsed with jsonc-parser's error recovery, for excerpts that are not
 * even JSONC (`...` elisions, a stray brace). Returns what the recovery made of it and the errors.
 */
export function loadTolerant(relativePath: string): { value: unknown; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const value = parseJsonc(readPayload(relativePath).toString('utf8'), errors, { allowTrailingComma: true });
  return { value, errors };
}

/** Deep copy of a JSON value, for building malformed variants of a sample. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Runs a parse that must fail with an AppError; returns its code and message (anything else fails the test). */
export async function rejectionOf(run: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replaces or deletes the value at a random path of a JSON value (the path is chosen by `picks`). */
export function mutate(value: Json, picks: number[], replacement: Json, remove: boolean): Json {
  if (picks.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [pick, ...rest] = picks as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const index = pick % value.length;
    const copy = [...value];
    if (remove && rest.length === 0) copy.splice(index, 1);
    else copy[index] = mutate(copy[index]!, rest, replacement, remove);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[pick % keys.length]!;
  const copy = { ...value };
  if (remove && rest.length === 0) delete copy[key];
  else copy[key] = mutate(copy[key]!, rest, replacement, remove);
  return copy;
}
