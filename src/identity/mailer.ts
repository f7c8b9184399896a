import nodemailer from 'nodemailer';
import type { Logger } from '../logging/logger.ts';

/** An email carrying a one-time link (invitation, password reset). */
export interface LinkEmail {
  to: string;
  subject: string;
  /** Plain-text body; the link is appended on its own line. */
  intro: string;
  link: string;
  purpose: 'invite' | 'reset';
}

export interface Mailer {
  sendLink(message: LinkEmail): Promise<void>;
  readonly mode: 'smtp' | 'development';
}

/**
 * SMTP through nodemailer when VIGIL_SMTP_URL is set. Without it (development) nothing is sent:
 * the link is logged at warn level in the dedicated `devLink` field, because it is a bearer secret
 * and an operator must be able to find (and scrub) it. The recipient is never logged.
 */
export function createMailer(options: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      mode: 'development',
      async sendLink(message) {
        logger.warn(
          { devLink: message.link, purpose: message.purpose },
          'development mode (no VIGIL_SMTP_URL): email not sent, one-time link logged',
        );
      },
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    mode: 'smtp',
    async sendLink(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: `${message.intro}\n\n${message.link}\n\nIf you did not expect this email, ignore it.\n`,
      });
    },
  };
}
