import { adapterError } from './adapters.errors.ts';

type Json = unknown;

/**
 * A cursor into an untrusted payload that knows its own path. Every accessor checks the type and
 * size of what it returns and throws an AppError naming the payload kind, the path and the
 * problem, never the value, so adapters read platform payloads without a single unchecked cast.
 * `null` is treated like a missing field: platforms use both for "no value".
 */
export class PayloadNode {
  private constructor(
    readonly value: Json,
    readonly path: string,
    readonly what: string,
  ) {}

  /** The root of a payload; `what` names the payload kind in error messages. */
  static root(value: Json, what: string): PayloadNode {
    return new PayloadNode(value, '', what);
  }

  /** Throws PAYLOAD_INVALID about this node (or one of its fields). */
  fail(problem: string, key?: string | number): never {
    throw adapterError('PAYLOAD_INVALID', `Invalid ${this.what}: ${this.pathOf(key)}: ${problem}`, {
      details: { path: this.pathOf(key), problem },
    });
  }

  tooLarge(problem: string, key?: string | number): never {
    throw adapterError('PAYLOAD_TOO_LARGE', `Invalid ${this.what}: ${this.pathOf(key)}: ${problem}`, {
      details: { path: this.pathOf(key), problem },
    });
  }

  pathOf(key?: string | number): string {
    if (key === undefined) return this.path === '' ? '(root)' : this.path;
    if (typeof key === 'number') return `${this.path}[${key}]`;
    const safeKey = /^[A-Za-z_$][\w$.-]*$/.test(key) ? key : JSON.stringify(key.slice(0, 64));
    return this.path === '' ? safeKey : `${this.path}.${safeKey}`;
  }

  isObject(): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value);
  }

  /** This node as an object (throws if it is anything else). */
  asObject(): PayloadNode {
    if (!this.isObject()) this.fail('expected an object');
    return this;
  }

  private raw(key: string): Json {
    if (!this.isObject()) this.fail('expected an object');
    const record = this.value as Record<string, Json>;
    return Object.hasOwn(record, key) ? record[key] : undefined;
  }

  has(key: string): boolean {
    const value = this.raw(key);
    return value !== undefined && value !== null;
  }

  child(key: string): PayloadNode {
    return new PayloadNode(this.raw(key), this.pathOf(key), this.what);
  }

  obj(key: string): PayloadNode {
    const node = this.child(key);
    if (!node.isObject())
      this.fail(node.value === undefined || node.value === null ? 'required' : 'expected an object', key);
    return node;
  }

  optObj(key: string): PayloadNode | undefined {
    return this.has(key) ? this.obj(key) : undefined;
  }

  arr(key: string, maxItems: number): PayloadNode[] {
    const value = this.raw(key);
    if (value === undefined || value === null) this.fail('required', key);
    if (!Array.isArray(value)) this.fail('expected an array', key);
    if (value.length > maxItems) this.tooLarge(`more than ${maxItems} items`, key);
    const base = this.pathOf(key);
    return value.map((item, index) => new PayloadNode(item, `${base}[${index}]`, this.what));
  }

  optArr(key: string, maxItems: number): PayloadNode[] {
    return this.has(key) ? this.arr(key, maxItems) : [];
  }

  str(key: string, maxChars: number): string {
    const value = this.raw(key);
    if (value === undefined || value === null) this.fail('required', key);
    return this.checkString(value, maxChars, key);
  }

  optStr(key: string, maxChars: number): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    return this.checkString(value, maxChars, key);
  }

  /** A string that is absent when empty (platforms send `""` for "none"). */
  optText(key: string, maxChars: number): string | undefined {
    const value = this.optStr(key, maxChars);
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  /** This node's own value as a string. */
  asStr(maxChars: number): string {
    return this.checkString(this.value, maxChars);
  }

  private checkString(value: Json, maxChars: number, key?: string): string {
    if (typeof value !== 'string') this.fail('expected a string', key);
    if (value.length > maxChars) this.tooLarge(`longer than ${maxChars} characters`, key);
    return value;
  }

  /** An id the platform may send as a string or a number. */
  optId(key: string, maxChars: number): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return this.checkString(value, maxChars, key);
  }

  id(key: string, maxChars: number): string {
    const value = this.optId(key, maxChars);
    if (value === undefined) this.fail('required', key);
    return value;
  }

  optNum(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail('expected a number', key);
    return value;
  }

  num(key: string): number {
    const value = this.optNum(key);
    if (value === undefined) this.fail('required', key);
    return value;
  }

  /** A number sent as a JSON number or a decimal string (Transcribe's `"4.87"`). */
  optNumeric(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && /^-?\d{1,15}(\.\d{1,12})?$/.test(value)) return Number(value);
    return this.fail('expected a number', key);
  }

  optBool(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail('expected true or false', key);
  }

  /** A non-negative offset in milliseconds. */
  optOffsetMs(key: string): number | undefined {
    const value = this.optNumeric(key);
    if (value === undefined) return undefined;
    if (value < 0 || value > Number.MAX_SAFE_INTEGER) this.fail('expected a non-negative offset', key);
    return Math.round(value);
  }

  /** A non-negative offset in seconds, returned in milliseconds. */
  optSecondsAsMs(key: string): number | undefined {
    const value = this.optNumeric(key);
    if (value === undefined) return undefined;
    if (value < 0 || value > 1e12) this.fail('expected a non-negative number of seconds', key);
    return Math.round(value * 1000);
  }

  /** A timestamp: ISO 8601 / RFC 2822 text, or epoch seconds (or milliseconds) as a number. */
  optTime(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    const parsed = parseTimestamp(value);
    if (parsed === undefined) this.fail('not a valid timestamp', key);
    return parsed;
  }

  time(key: string): number {
    const value = this.optTime(key);
    if (value === undefined) this.fail('required', key);
    return value;
  }
}

const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const MAX_EPOCH_MS = 8_640_000_000_000_000;

/**
 * Parses a platform timestamp to epoch ms. A date-time without a zone is read as UTC (PCA writes
 * `2021-11-25 13:35:14.215558`), never in the server's local zone, so results do not depend on
 * where Vigil runs. Numbers below 10^11 are epoch seconds (Chatwoot), larger ones milliseconds.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const ms = Math.round(value < 1e11 ? value * 1000 : value);
    return ms <= MAX_EPOCH_MS ? ms : undefined;
  }
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const text = NAIVE_DATE_TIME.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
