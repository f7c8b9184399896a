import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { MAX_PAYLOAD_BYTES } from '../model/index.ts';
import { adapterError } from './adapters.errors.ts';

export interface JsonTextOptions {
  /** Accept `//` and `/* *\/` comments and trailing commas (JSONC), as in documentation excerpts. */
  jsonc?: boolean;
  /** Names the payload in error messages. */
  what?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes payload bytes as UTF-8 (refusing invalid sequences) within the payload size limit. */
export function decodePayloadText(input: string | Uint8Array, what: string): string {
  if (typeof input === 'string') {
    if (input.length > MAX_PAYLOAD_BYTES) throw tooLarge(what);
    return input.startsWith('\uFEFF') ? input.slice(1) : input;
  }
  if (input.byteLength > MAX_PAYLOAD_BYTES) throw tooLarge(what);
  try {
    const text = utf8.decode(input);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    throw adapterError('PAYLOAD_INVALID', `Invalid ${what}: not valid UTF-8 text`);
  }
}

/**
 * Parses JSON (or JSONC) payload text. Errors give the line, column and nature of the problem and
 * never quote the text: V8's own JSON.parse messages include a slice of the input, which could be a
 * card number, so they are never passed on.
 */
export function parseJsonText(input: string | Uint8Array, options: JsonTextOptions = {}): unknown {
  const what = options.what ?? 'JSON payload';
  const text = decodePayloadText(input, what);
  if (!options.jsonc) {
    try {
      return JSON.parse(text);
    } catch {
      throw describeJsonError(text, what);
    }
  }
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    throw adapterError('PAYLOAD_INVALID', `Invalid ${what}: nested too deeply`);
  }
  if (errors.length > 0) throw errorAt(text, errors[0]!, what);
  return value;
}

function describeJsonError(text: string, what: string): Error {
  const errors: ParseError[] = [];
  try {
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  } catch {
    return adapterError('PAYLOAD_INVALID', `Invalid ${what}: not valid JSON (nested too deeply)`);
  }
  const first = errors[0];
  if (first === undefined) return adapterError('PAYLOAD_INVALID', `Invalid ${what}: not valid JSON`);
  return errorAt(text, first, what);
}

/** Tokens left open at the end of the text (a string, a comment, a number) mean it was cut short. */
const UNTERMINATED = new Set(['UnexpectedEndOfString', 'UnexpectedEndOfComment', 'UnexpectedEndOfNumber']);

function errorAt(text: string, error: ParseError, what: string): Error {
  const { line, column } = lineAndColumn(text, error.offset);
  // An error whose token runs to the end of the text (an unterminated string, a missing bracket) means truncation.
  const code = printParseErrorCode(error.error);
  const end = text.trimEnd().length;
  const truncated = error.offset >= end || (UNTERMINATED.has(code) && error.offset + error.length >= end);
  const problem = truncated ? 'unexpected end of input (truncated?)' : describeCode(code);
  return adapterError(
    'PAYLOAD_INVALID',
    `Invalid ${what}: not valid JSON at line ${line}, column ${column}: ${problem}`,
    {
      details: { line, column, problem },
    },
  );
}

function describeCode(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function tooLarge(what: string): Error {
  return adapterError('PAYLOAD_TOO_LARGE', `Invalid ${what}: larger than ${MAX_PAYLOAD_BYTES} bytes`);
}

/** Form parameters as Twilio posts them: a form-encoded body, URLSearchParams, or a parsed object. */
export type FormInput = string | URLSearchParams | Readonly<Record<string, unknown>>;

const MAX_FORM_PARAMS = 1_000;

/**
 * Reads form parameters into a plain map. A parameter sent twice keeps its first value (Twilio
 * never repeats one); values must be strings (or single-string arrays from a form parser).
 */
export function readFormParams(input: unknown, what: string): Map<string, string> {
  const params = new Map<string, string>();
  const add = (key: string, value: unknown): void => {
    if (params.size >= MAX_FORM_PARAMS) {
      throw adapterError('PAYLOAD_TOO_LARGE', `Invalid ${what}: more than ${MAX_FORM_PARAMS} parameters`);
    }
    const single = Array.isArray(value) && value.length > 0 ? value[0] : value;
    if (typeof single !== 'string') {
      const safeKey = JSON.stringify(key.slice(0, 64));
      throw adapterError('PAYLOAD_INVALID', `Invalid ${what}: ${safeKey}: expected a string`);
    }
    if (!params.has(key)) params.set(key, single);
  };
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = decodePayloadText(input, what);
    for (const [key, value] of new URLSearchParams(text)) add(key, value);
  } else if (input instanceof URLSearchParams) {
    for (const [key, value] of input) add(key, value);
  } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    for (const [key, value] of Object.entries(input)) add(key, value);
  } else {
    throw adapterError('PAYLOAD_INVALID', `Invalid ${what}: expected form parameters`);
  }
  return params;
}
