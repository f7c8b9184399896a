import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as signed: a value or, for a repeated parameter, all of its values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * Twilio's request signature (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth
 * token, of the full webhook URL followed by every POST parameter name and value, sorted by name
 * (a repeated parameter contributes each distinct value, sorted).
 */
export function computeTwilioSignature(url: string, params: TwilioParams, authToken: string): string {
  // The URL is signed exactly as given: normalizing it would erase the `:443` Twilio sometimes signs.
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    if (typeof value === 'string') data += key + value;
    else for (const item of [...new Set(value)].sort()) data += key + item;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * Checks a Twilio webhook signature in constant time. Twilio signs the URL with or without the
 * default port depending on how the webhook was configured, so both forms are accepted (as
 * Twilio's own libraries do). A missing token, an unparsable URL or an empty signature is a
 * failure, never a pass.
 */
export function verifyTwilioSignature(
  url: string,
  params: TwilioParams,
  signature: string,
  authToken: string,
): boolean {
  if (authToken === '' || signature === '' || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  let matched = false;
  for (const candidate of new Set([url, ...urlVariants(parsed)])) {
    // Every variant is computed and compared, so timing does not reveal which one matched.
    matched = safeEqual(computeTwilioSignature(candidate, params, authToken), signature) || matched;
  }
  return matched;
}

/**
 * Verifies a webhook Twilio sent with a JSON body: the URL carries `bodySHA256`, the hex SHA-256
 * of the raw body, and the signature covers the URL alone.
 */
export function verifyTwilioBodySignature(
  url: string,
  rawBody: string | Uint8Array,
  signature: string,
  authToken: string,
): boolean {
  if (!URL.canParse(url)) return false;
  const expectedHash = new URL(url).searchParams.get('bodySHA256') ?? '';
  const bodyHash = createHash('sha256').update(rawBody).digest('hex');
  const signed = verifyTwilioSignature(url, {}, signature, authToken);
  return safeEqual(bodyHash, expectedHash) && signed;
}

function urlVariants(url: URL): string[] {
  const withoutPort = new URL(url);
  withoutPort.port = '';
  if (url.port !== '') return [url.toString(), withoutPort.toString()];
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  // URL normalizes a default port away, so the with-port form is assembled by hand (as Twilio does).
  const credentials =
    url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
  const withPort = `${url.protocol}//${credentials}${url.host}:${defaultPort}${url.pathname}${url.search}${url.hash}`;
  return [withoutPort.toString(), withPort];
}

function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
