#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript sources through tsx's loader: one code path for development and production.
// --max-semi-space-size=64 (MiB; Node's default is 16): ingest keeps each batch's objects alive
// across a few awaits, and with the default young generation they outlive two scavenges and are
// promoted, so V8's helper threads spent about a third of ingest's CPU collecting them. With 64
// MiB, `vigil ingest` runs 10-15% faster (bench/ingest.ts) for about 150 MiB more peak memory.
// `npm start`, `npm run vigil` and the benchmarks pass the same flag.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv);
