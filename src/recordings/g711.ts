/**
 * G.711 encoders (ITU-T G.711), needed to write a masking tone into telephone recordings that are
 * stored A-law or mu-law (Twilio and Amazon Connect deliver 8 kHz G.711 audio).
 */
const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

export function linearToMulaw(sample: number): number {
  let s = Math.max(-MULAW_CLIP, Math.min(MULAW_CLIP, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  s += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function linearToAlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, sample)) >> 3;
  let mask: number;
  if (s >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    s = -s - 1;
  }
  const segmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let segment = segmentEnds.findIndex((end) => s <= end);
  if (segment === -1) segment = 8;
  if (segment >= 8) return 0x7f ^ mask;
  const value = (segment << 4) | ((segment < 2 ? s >> 1 : s >> segment) & 0x0f);
  return value ^ mask;
}

/** The byte of digital silence in each encoding. */
export const MULAW_SILENCE = linearToMulaw(0);
export const ALAW_SILENCE = linearToAlaw(0);
