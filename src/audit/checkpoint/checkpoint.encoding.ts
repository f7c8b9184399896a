// Strict decoders shared by the note, checkpoint and bundle parsers. Buffer.from(x, 'base64')
// silently skips invalid characters and accepts missing padding, so a signed value could be
// spelled several ways; these accept exactly one spelling per byte string.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Go's unicode.IsSpace is the Unicode White_Space property (U+0085 and U+00A0 included).
const WHITE_SPACE = /\p{White_Space}/u;
// In a u-mode regex a well-formed surrogate pair is one code point, so this only matches halves.
const LONE_SURROGATE = /\p{Cs}/u;
// Any C0 control character except newline (U+000A).
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;

/** Standard base64 (RFC 4648 section 4) with padding and zero trailing bits, else undefined. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Signed-note key name rule: non-empty, well-formed, no Unicode space and no '+'. */
export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !WHITE_SPACE.test(name) &&
    !name.includes('+') &&
    !LONE_SURROGATE.test(name) &&
    !CONTROL_EXCEPT_NEWLINE.test(name)
  );
}

/** Signed-note text rule: well-formed Unicode and no ASCII control character other than newline. */
export function isValidNoteText(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !CONTROL_EXCEPT_NEWLINE.test(text);
}

/** Decodes UTF-8 bytes, refusing invalid sequences instead of substituting U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Key ID as written in keys and logs: 8 lowercase hex digits. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}
