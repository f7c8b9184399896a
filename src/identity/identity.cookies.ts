/**
 * Just the cookie handling identity needs, so authentication works for every module's routes
 * without a root-level plugin. Our cookie values are base64url tokens and HMACs: no encoding
 * beyond percent-decoding is ever needed, and a malformed pair is skipped, never thrown on.
 */
export function parseCookieHeader(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name in cookies) continue; // the first (most specific path) wins, as browsers send it
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      // undecodable value: ignored
    }
  }
  return cookies;
}

export interface SetCookieOptions {
  httpOnly: boolean;
  maxAgeSeconds: number;
}

/** A `Set-Cookie` value: Path=/, Secure, SameSite=Strict, host-only (no Domain attribute). */
export function serializeCookie(name: string, value: string, options: SetCookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'Path=/',
    'Secure',
    'SameSite=Strict',
  ];
  if (options.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}
