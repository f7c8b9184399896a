import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { childProcessEnv } from './child-env.ts';
import { freePort } from './free-port.ts';

const BIN = path.resolve('bin/vigil.js');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The body of the first 200 from /readyz. */
  readiness: unknown;
}

/**
 * Starts `vigil serve` on a free port and waits until /readyz answers 200. On a loaded CI machine a
 * start (tsx compiling the sources, migrations) can take tens of seconds, so the wait is generous;
 * a server that exits first fails at once with what it printed, and a port taken between choosing
 * and binding is retried on another port.
 */
export async function startServer(
  env: Record<string, string>,
  { readyTimeoutMs = 120_000 }: { readyTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const server = spawnServer(env, port);
    try {
      server.readiness = await waitReady(server, readyTimeoutMs);
      return server;
    } catch (error) {
      server.child.kill('SIGKILL');
      await server.exited;
      if (attempt < 3 && /EADDRINUSE/.test(server.output())) continue;
      throw error;
    }
  }
}

function spawnServer(env: Record<string, string>, port: number): ServerProcess {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: childProcessEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => output, exited, readiness: undefined };
}

async function waitReady(server: ServerProcess, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `server exited (${server.child.exitCode ?? server.child.signalCode}): ${server.output()}`,
      );
    }
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      if (res.status === 200) return await res.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after ${timeoutMs} ms: ${server.output()}`);
}
