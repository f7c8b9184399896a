import { describe, expect, it } from 'vitest';
import { makeWav } from '../../test/factories/wav.ts';
import { MULAW_SILENCE } from './g711.ts';
import { redactWav } from './redact-audio.ts';
import { parseWav } from './wav.ts';

const frameRange = (ms: number, rate: number) => Math.round((ms / 1000) * rate);

describe('redactWav', () => {
  it('reads the header of PCM and mu-law files', () => {
    expect(parseWav(makeWav({ sampleRate: 8000, channels: 2, seconds: 3, encoding: 'pcm16' }))).toMatchObject(
      { format: 'pcm', channels: 2, sampleRate: 8000, durationMs: 3000 },
    );
    expect(parseWav(makeWav({ sampleRate: 8000, channels: 1, seconds: 2, encoding: 'mulaw' }))).toMatchObject(
      { format: 'mulaw', durationMs: 2000 },
    );
  });

  it('mutes exactly the ranges on every channel and leaves the rest untouched', () => {
    const wav = makeWav({ sampleRate: 8000, channels: 2, seconds: 4, encoding: 'pcm16' });
    const { audio, maskedMs } = redactWav(
      wav,
      [
        { startMs: 1000, endMs: 2000 },
        { startMs: 1900, endMs: 2500 },
      ],
      { mode: 'silence' },
    );
    expect(maskedMs).toBe(1500);
    const sample = (buf: Buffer, frame: number, ch: number) => buf.readInt16LE(44 + (frame * 2 + ch) * 2);
    for (let f = frameRange(1000, 8000); f < frameRange(2500, 8000); f++) {
      expect(sample(audio, f, 0)).toBe(0);
      expect(sample(audio, f, 1)).toBe(0);
    }
    for (const f of [0, 100, frameRange(999, 8000), frameRange(2501, 8000), frameRange(3999, 8000)]) {
      expect(sample(audio, f, 0)).toBe(sample(wav, f, 0));
    }
    expect(audio.subarray(0, 44).equals(wav.subarray(0, 44))).toBe(true);
  });

  it('replaces ranges with a 1 kHz tone', () => {
    const wav = makeWav({ sampleRate: 8000, channels: 1, seconds: 2, encoding: 'pcm16' });
    const { audio } = redactWav(wav, [{ startMs: 500, endMs: 1500 }], { mode: 'tone' });
    let crossings = 0;
    for (let f = frameRange(500, 8000) + 1; f < frameRange(1500, 8000); f++) {
      const prev = audio.readInt16LE(44 + (f - 1) * 2);
      const cur = audio.readInt16LE(44 + f * 2);
      if ((prev < 0 && cur >= 0) || (prev >= 0 && cur < 0)) crossings++;
    }
    // 1 kHz for one second crosses zero about 2,000 times; the 300 Hz original would cross ~600 times.
    expect(crossings).toBeGreaterThan(1900);
    expect(crossings).toBeLessThan(2100);
  });

  it('mutes mu-law telephone audio with the G.711 silence byte and pads approximate timings', () => {
    const wav = makeWav({ sampleRate: 8000, channels: 1, seconds: 2, encoding: 'mulaw' });
    const { audio, ranges } = redactWav(wav, [{ startMs: 1000, endMs: 1200 }], {
      mode: 'silence',
      paddingMs: 100,
    });
    expect(ranges).toEqual([{ startMs: 900, endMs: 1300 }]);
    for (let f = frameRange(900, 8000); f < frameRange(1300, 8000); f++)
      expect(audio[44 + f]).toBe(MULAW_SILENCE);
    expect(audio[44 + frameRange(800, 8000)]).toBe(wav[44 + frameRange(800, 8000)]);
  });

  it('rejects a file that is not WAV, or truncated, with a clear error', () => {
    expect(() => redactWav(Buffer.from('ID3 not a wav at all'), [], { mode: 'silence' })).toThrow(
      /not a RIFF\/WAVE/,
    );
    expect(() =>
      redactWav(
        makeWav({ sampleRate: 8000, channels: 1, seconds: 1, encoding: 'pcm16' }).subarray(0, 30),
        [],
        { mode: 'silence' },
      ),
    ).toThrow(/truncated|no data/);
  });
});
