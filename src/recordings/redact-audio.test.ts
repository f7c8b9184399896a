import { describe, expect, it } from 'vitest';
import { linearToMulaw, MULAW_SILENCE } from './g711.ts';
import { redactWav } from './redact-audio.ts';
import { parseWav } from './wav.ts';

/** A real RIFF/WAVE file: a 300 Hz "voice" at the given rate, channels and encoding. */
function makeWav(opts: {
  sampleRate: number;
  channels: number;
  seconds: number;
  encoding: 'pcm16' | 'mulaw';
}): Buffer {
  const frames = opts.sampleRate * opts.seconds;
  const bytesPerSample = opts.encoding === 'pcm16' ? 2 : 1;
  const data = Buffer.alloc(frames * opts.channels * bytesPerSample);
  for (let f = 0; f < frames; f++) {
    const value = Math.round(Math.sin((2 * Math.PI * 300 * f) / opts.sampleRate) * 12000);
    for (let ch = 0; ch < opts.channels; ch++) {
      const at = (f * opts.channels + ch) * bytesPerSample;
      if (opts.encoding === 'pcm16') data.writeInt16LE(value, at);
      else data[at] = linearToMulaw(value);
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(opts.encoding === 'pcm16' ? 1 : 7, 20);
  header.writeUInt16LE(opts.channels, 22);
  header.writeUInt32LE(opts.sampleRate, 24);
  header.writeUInt32LE(opts.sampleRate * opts.channels * bytesPerSample, 28);
  header.writeUInt16LE(opts.channels * bytesPerSample, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

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
