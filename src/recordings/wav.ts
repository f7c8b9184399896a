import { defineErrors } from '../shared/errors.ts';

export const recordingError = defineErrors({
  WAV_INVALID: { kind: 'invalid', message: 'recording is not a valid WAV file' },
  WAV_UNSUPPORTED: { kind: 'invalid', message: 'recording encoding is not supported' },
});

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

export interface WavInfo {
  format: 'pcm' | 'alaw' | 'mulaw';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset and length of the sample data inside the file. */
  dataOffset: number;
  dataLength: number;
  durationMs: number;
}

function formatName(code: number, bits: number): WavInfo['format'] {
  if (code === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) return 'pcm';
  if (code === FORMAT_ALAW && bits === 8) return 'alaw';
  if (code === FORMAT_MULAW && bits === 8) return 'mulaw';
  throw recordingError(
    'WAV_UNSUPPORTED',
    `WAV format ${code} with ${bits} bits per sample is not supported (PCM 8/16/24/32-bit, A-law, mu-law are)`,
  );
}

/** Reads the RIFF/WAVE header: the fmt chunk and where the data chunk lies. */
export function parseWav(file: Buffer): WavInfo {
  if (
    file.length < 12 ||
    file.toString('ascii', 0, 4) !== 'RIFF' ||
    file.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw recordingError('WAV_INVALID', 'recording is not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: { code: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > file.length)
        throw recordingError('WAV_INVALID', 'WAV fmt chunk is truncated');
      let code = file.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
      if (code === FORMAT_EXTENSIBLE && size >= 40) code = file.readUInt16LE(body + 24);
      fmt = {
        code,
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        bits: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw recordingError('WAV_INVALID', 'WAV data chunk comes before its fmt chunk');
      if (fmt.channels < 1 || fmt.sampleRate < 1)
        throw recordingError('WAV_INVALID', 'WAV fmt chunk has no channels or sample rate');
      const dataLength = Math.min(size, file.length - body);
      const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bits / 8);
      return {
        format: formatName(fmt.code, fmt.bits),
        channels: fmt.channels,
        sampleRate: fmt.sampleRate,
        bitsPerSample: fmt.bits,
        dataOffset: body,
        dataLength,
        durationMs: Math.round((dataLength / bytesPerSecond) * 1000),
      };
    }
    offset = body + size + (size % 2);
  }
  throw recordingError('WAV_INVALID', 'WAV file has no data chunk');
}
