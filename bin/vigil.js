#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader: one code path for development and production.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv);
