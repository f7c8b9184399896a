import { open } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './export.webhook-signature.ts';

/** A delivery failure whose message is safe to store and show: no URL, host secret or payload. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface SyslogTarget {
  host: string;
  port: number;
  tls: boolean;
  /** PEM of the CA that signed the receiver's certificate; the system CAs when absent. */
  caPem?: string;
  /** Name the certificate must carry, when it differs from host. */
  serverName?: string;
}

function safeNetworkError(error: unknown): DeliveryError {
  const code = (error as NodeJS.ErrnoException).code;
  return new DeliveryError(code ? `connection failed (${code})` : 'connection failed');
}

function connect(target: SyslogTarget): net.Socket {
  if (!target.tls) return net.connect({ host: target.host, port: target.port });
  // Certificate checking is never turned off: an unverified SIEM could be anyone.
  return tls.connect({
    host: target.host,
    port: target.port,
    servername: target.serverName ?? target.host,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    ...(target.caPem ? { ca: target.caPem } : {}),
  });
}

/**
 * Sends RFC 6587 octet-counted frames over one TCP (or TLS) connection, then half-closes and
 * waits for the receiver to close in turn: the receiver has then read every byte, which is the
 * acknowledgement plain syslog offers. Resolves only then; rejects with a DeliveryError.
 */
export function sendSyslogFrames(
  target: SyslogTarget,
  frames: readonly Buffer[],
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(target);
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      socket.destroy();
      reject(error instanceof DeliveryError ? error : safeNetworkError(error));
    };
    socket.setTimeout(timeoutMs, () => fail(new DeliveryError(`no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('close', (hadError) => {
      if (!failed && !hadError) resolve();
    });
    socket.on('data', () => undefined);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      socket.end(Buffer.concat(frames));
    });
  });
}

export interface WebhookRequest {
  url: string;
  secret: Buffer;
  body: string;
  contentType: string;
  nowSeconds: number;
  deliveryId: string;
  timeoutMs: number;
}

/** POSTs a signed body; any answer but 2xx, or no answer in time, is a DeliveryError. */
export async function postSignedWebhook(request: WebhookRequest): Promise<void> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': request.contentType,
        [WEBHOOK_TIMESTAMP_HEADER]: String(request.nowSeconds),
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(request.secret, request.nowSeconds, request.body),
        'x-vigil-delivery': request.deliveryId,
      },
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw safeNetworkError(cause);
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299)
    throw new DeliveryError(`receiver answered HTTP ${response.status}`);
}

/** Appends text to a file and flushes it to disk before reporting success. */
export async function appendDurably(file: string, text: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'a', 0o640);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    throw new DeliveryError(
      `cannot append to the export file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  } finally {
    await handle?.close();
  }
}
