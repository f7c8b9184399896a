import { ALAW_SILENCE, linearToAlaw, linearToMulaw, MULAW_SILENCE } from './g711.ts';
import { parseWav, type WavInfo } from './wav.ts';

export interface AudioRange {
  startMs: number;
  endMs: number;
}

export interface RedactAudioOptions {
  /** `silence` mutes; `tone` plays a 1 kHz tone so a listener hears that something was removed. */
  mode: 'silence' | 'tone';
  /** Extra time masked on each side of a range, because word timings from ASR are approximate. */
  paddingMs?: number;
}

const TONE_HZ = 1000;
const TONE_AMPLITUDE = 0.2;

/** Merges overlapping or touching ranges after padding, clipped to the recording. */
export function normalizeRanges(
  ranges: readonly AudioRange[],
  durationMs: number,
  paddingMs: number,
): AudioRange[] {
  const padded = ranges
    .filter((r) => Number.isFinite(r.startMs) && Number.isFinite(r.endMs) && r.endMs > r.startMs)
    .map((r) => ({
      startMs: Math.max(0, r.startMs - paddingMs),
      endMs: Math.min(durationMs, r.endMs + paddingMs),
    }))
    .filter((r) => r.endMs > r.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: AudioRange[] = [];
  for (const range of padded) {
    const last = merged.at(-1);
    if (last && range.startMs <= last.endMs) last.endMs = Math.max(last.endMs, range.endMs);
    else merged.push({ ...range });
  }
  return merged;
}

function writeSample(out: Buffer, at: number, info: WavInfo, value: number): void {
  if (info.format === 'mulaw') out[at] = linearToMulaw(value);
  else if (info.format === 'alaw') out[at] = linearToAlaw(value);
  else if (info.bitsPerSample === 8) out[at] = Math.round(value / 256) + 128;
  else if (info.bitsPerSample === 16) out.writeInt16LE(value, at);
  else if (info.bitsPerSample === 24) out.writeIntLE(value * 256, at, 3);
  else out.writeInt32LE(value * 65536, at);
}

function silenceFill(out: Buffer, from: number, to: number, info: WavInfo): void {
  if (info.format === 'mulaw') out.fill(MULAW_SILENCE, from, to);
  else if (info.format === 'alaw') out.fill(ALAW_SILENCE, from, to);
  else out.fill(info.bitsPerSample === 8 ? 128 : 0, from, to);
}

/**
 * Returns a copy of a WAV recording with the given time ranges muted or replaced by a tone, as
 * Contact Lens does for spoken card numbers. Sample-exact: every frame inside a range is replaced
 * on every channel, nothing outside it changes.
 */
export function redactWav(
  file: Buffer,
  ranges: readonly AudioRange[],
  options: RedactAudioOptions,
): { audio: Buffer; maskedMs: number; ranges: AudioRange[] } {
  const info = parseWav(file);
  const out = Buffer.from(file);
  const frameBytes = info.channels * (info.bitsPerSample / 8);
  const totalFrames = Math.floor(info.dataLength / frameBytes);
  const merged = normalizeRanges(ranges, info.durationMs, options.paddingMs ?? 0);
  let maskedMs = 0;
  for (const range of merged) {
    const first = Math.max(0, Math.floor((range.startMs / 1000) * info.sampleRate));
    const last = Math.min(totalFrames, Math.ceil((range.endMs / 1000) * info.sampleRate));
    maskedMs += range.endMs - range.startMs;
    const from = info.dataOffset + first * frameBytes;
    const to = info.dataOffset + last * frameBytes;
    if (options.mode === 'silence') {
      silenceFill(out, from, to, info);
      continue;
    }
    const sampleBytes = info.bitsPerSample / 8;
    for (let frame = first; frame < last; frame++) {
      const value = Math.round(
        Math.sin((2 * Math.PI * TONE_HZ * frame) / info.sampleRate) * TONE_AMPLITUDE * 32767,
      );
      for (let ch = 0; ch < info.channels; ch++)
        writeSample(out, info.dataOffset + frame * frameBytes + ch * sampleBytes, info, value);
    }
  }
  return { audio: out, maskedMs, ranges: merged };
}
