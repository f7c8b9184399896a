import { linearToMulaw } from '../../src/recordings/g711.ts';

export interface WavOptions {
  sampleRate?: number;
  channels?: number;
  seconds?: number;
  encoding?: 'pcm16' | 'mulaw';
  /** Bytes written into the sample data, to find them again (or prove they are gone). */
  marker?: string;
}

/** A real RIFF/WAVE file holding a 300 Hz "voice", for recording tests. */
export function makeWav(options: WavOptions = {}): Buffer {
  const { sampleRate = 8000, channels = 1, seconds = 1, encoding = 'pcm16' } = options;
  const frames = sampleRate * seconds;
  const bytesPerSample = encoding === 'pcm16' ? 2 : 1;
  const data = Buffer.alloc(frames * channels * bytesPerSample);
  for (let f = 0; f < frames; f++) {
    const value = Math.round(Math.sin((2 * Math.PI * 300 * f) / sampleRate) * 12000);
    for (let ch = 0; ch < channels; ch++) {
      const at = (f * channels + ch) * bytesPerSample;
      if (encoding === 'pcm16') data.writeInt16LE(value, at);
      else data[at] = linearToMulaw(value);
    }
  }
  if (options.marker) Buffer.from(options.marker).copy(data, 100);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(encoding === 'pcm16' ? 1 : 7, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  header.writeUInt16LE(channels * bytesPerSample, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
