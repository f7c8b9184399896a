export { createFileRecordingStore, type RecordingStore } from './recording-store.ts';
export { type AudioRange, normalizeRanges, type RedactAudioOptions, redactWav } from './redact-audio.ts';
export { parseWav, type WavInfo } from './wav.ts';
