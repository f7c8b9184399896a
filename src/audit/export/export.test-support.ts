import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A free loopback port (the kernel picks it; another process could take it first, rarely). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find(existsSync) ?? 'rsyslogd';

/**
 * A private rsyslogd (not a daemon, its own config, pid file and work directory) listening on a
 * loopback port, writing what it parses to a file: msgid|structured-data|msg per line.
 */
export class RsyslogServer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'vigil-rsyslog-'));
  readonly output = path.join(this.dir, 'received.log');
  readonly caPem: string | undefined;
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly tls: boolean,
  ) {
    if (tls) {
      // A self-signed certificate for localhost: the test's CA and the server's certificate at once.
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          path.join(this.dir, 'key.pem'),
          '-out',
          path.join(this.dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      this.caPem = readFileSync(path.join(this.dir, 'cert.pem'), 'utf8');
    }
    writeFileSync(path.join(this.dir, 'rsyslog.conf'), this.config());
  }

  static async start(options: { tls: boolean }): Promise<RsyslogServer> {
    const server = new RsyslogServer(await freePort(), options.tls);
    await server.resume();
    return server;
  }

  private config(): string {
    const d = this.dir;
    const tlsGlobals = this.tls
      ? ` defaultNetstreamDriver="ossl" defaultNetstreamDriverCAFile="${d}/cert.pem" defaultNetstreamDriverCertFile="${d}/cert.pem" defaultNetstreamDriverKeyFile="${d}/key.pem"`
      : '';
    const tlsModule = this.tls
      ? ' StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="anon"'
      : '';
    return [
      `global(workDirectory="${d}"${tlsGlobals})`,
      `module(load="imtcp"${tlsModule})`,
      'template(name="vigilLine" type="string" string="%msgid%|%structured-data%|%msg%\\n")',
      `ruleset(name="vigil") { action(type="omfile" file="${this.output}" template="vigilLine") }`,
      `input(type="imtcp" address="127.0.0.1" port="${this.port}" ruleset="vigil")`,
      '',
    ].join('\n');
  }

  /** Starts (or restarts after stop) the daemon on the same port and output file. */
  async resume(): Promise<void> {
    const child = spawn(
      RSYSLOGD,
      ['-n', '-f', path.join(this.dir, 'rsyslog.conf'), '-i', path.join(this.dir, 'rsyslogd.pid')],
      {
        stdio: 'ignore',
      },
    );
    this.#child = child;
    await waitUntil(() => canConnect(this.port), 15_000, `rsyslogd on port ${this.port}`);
  }

  /** Stops the daemon (SIGTERM to its own pid) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  lines(): string[] {
    return existsSync(this.output)
      ? readFileSync(this.output, 'utf8')
          .split('\n')
          .filter((l) => l.length > 0)
      : [];
  }

  /** Waits until rsyslog has written at least `count` lines containing `marker`; returns those. */
  async waitForLines(count: number, marker: string): Promise<string[]> {
    const matching = () => this.lines().filter((l) => l.includes(marker));
    await waitUntil(() => matching().length >= count, 15_000, `${count} lines from rsyslogd`);
    return matching();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
