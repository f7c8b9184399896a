import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { context, listPayloads, readPayload, rejectionOf } from './adapters.test-support.ts';
import { parseEmail } from './email.adapter.ts';

const OWN = ['@auto-mat.cz', 'bob@xxx.mailgun.org', 'helpdesk@example.cz', 'djangohelpdesk@example.com'];

async function parseFile(file: string, ownAddresses: readonly string[] = OWN) {
  const result = await parseEmail(readPayload(`email/${file}`), context({ ownAddresses }));
  expect(result.interactions).toHaveLength(1);
  return { interaction: result.interactions[0]!, attachments: result.attachments };
}

describe('email adapter on every shared .eml sample', () => {
  const files = listPayloads('email').map((f) => f.slice('email/'.length));

  it('covers the 14 samples', () => {
    expect(files).toHaveLength(14);
  });

  it.each(files)(
    '%s: one email interaction with a sender, a body segment and a stable source id',
    async (file) => {
      const { interaction } = await parseFile(file);
      expect(interaction.channel).toBe('email');
      expect(interaction.participants[0]).toMatchObject({ ref: 'from', email: expect.stringContaining('@') });
      expect(interaction.segments).toHaveLength(1);
      expect(interaction.segments[0]!.participantRef).toBe('from');
      const again = await parseFile(file);
      expect(again.interaction.source.id).toBe(interaction.source.id);
      expect(again.interaction.source.revision).toBe(interaction.source.revision);
    },
  );

  it('keeps quoted replies in the body and threads by In-Reply-To/References', async () => {
    const { interaction } = await parseFile('talon-apple_mail_2.eml');
    expect(interaction.source).toMatchObject({
      id: '<68001B29-8EA4-444C-A894-0537D2CA5208@tictail.com>',
      threadId: '<CABzQGhkMXDxUt_tSVQcg=43aniUhtsVfCZVzu-PG0kwS_uzqMw@mail.gmail.com>',
    });
    expect(interaction.segments[0]!.text).toBe(
      'Hello\n> On 22 Aug 2015, at 19:21, Adam Renberg <tgwizard@gmail.com> wrote:\n>\n> Hi there!\n\n',
    );
    const yahoo = (await parseFile('talon-yahoo.eml')).interaction;
    expect(yahoo.source.threadId).toBe('<1333374262.7063.15.camel@mg5>');
    expect(yahoo.segments[0]!.text).toContain('----- Original Message -----');
    expect(yahoo.segments[0]!.text).toContain('Subject: Test\n\nHi');
  });

  it('decodes base64 UTF-8, quoted-printable and RFC 2047 subjects', async () => {
    const android = (await parseFile('talon-android.eml')).interaction;
    expect(android.segments[0]!.text).toContain('пользователь');
    const qp = (await parseFile('django-helpdesk-quoted_printable.eml')).interaction;
    expect(qp.subject).toBe('Český test');
    expect(qp.segments[0]!.text).toBe('Tohle je test českých písmen odeslaných z gmailu.\n');
    expect((await parseFile('django-helpdesk-all-special-chars.eml')).interaction.segments[0]!.text).toBe(
      'íářčšáíéřášč\n\n',
    );
    const forwarded = (await parseFile('django-helpdesk-utf-nondecodable.eml')).interaction;
    expect(forwarded.subject).toBe('Fwd: Cyklozaměstnavatel - změna vyhodnocení');
    expect(forwarded.segments[0]!.text).toContain('podle domluvy bych Tě poprosila');
  });

  it('decides direction and roles from the contact center own addresses', async () => {
    const inbound = (await parseFile('talon-hotmail.eml')).interaction;
    expect(inbound.direction).toBe('inbound');
    expect(inbound.participants).toEqual([
      { ref: 'from', role: 'customer', name: 'Alexey Q', email: 'xxx@hotmail.com' },
      { ref: 'to-1', role: 'agent', email: 'bob@xxx.mailgun.org' },
    ]);
    const outbound = (await parseFile('talon-thunderbird.eml')).interaction;
    expect(outbound.direction).toBe('outbound');
    expect(outbound.segments[0]!.role).toBe('agent');
    expect(outbound.participants[1]).toEqual({
      ref: 'to-1',
      role: 'customer',
      name: 'Megan One',
      email: 'xxx@gmail.com',
    });
    expect((await parseFile('django-helpdesk-all-special-chars.eml')).interaction.direction).toBe('internal');
    const unconfigured = (await parseFile('talon-hotmail.eml', [])).interaction;
    expect(unconfigured.participants[1]!.role).toBe('unknown');
  });

  it('returns attachment bytes apart, listed as media with type, size and hash', async () => {
    const { interaction, attachments } = await parseFile('django-helpdesk-blank-body-with-attachment.eml');
    const content = Buffer.from("You shouldn't see this.\n");
    expect(interaction.media).toEqual([
      {
        id: 'attachment-1',
        kind: 'attachment',
        contentType: 'text/plain',
        sizeBytes: 24,
        fileName: 'baf',
        sha256: createHash('sha256').update(content).digest('hex'),
        segmentId: 'body',
      },
    ]);
    expect(attachments).toEqual([{ sourceId: interaction.source.id, mediaId: 'attachment-1', content }]);
    expect(JSON.stringify(interaction)).not.toContain("shouldn't");
    const pgp = await parseFile('django-helpdesk-pgp.eml');
    expect(pgp.interaction.media[0]).toMatchObject({
      contentType: 'application/pgp-signature',
      fileName: 'signature.asc',
      sizeBytes: 801,
    });
  });

  it('derives a content hash id for a message without Message-ID, and reads HTML-only bodies as text', async () => {
    const { interaction } = await parseFile('talon-outlook.eml');
    expect(interaction.source.id).toMatch(/^sha256:[0-9a-f]{40}$/);
    expect(interaction.segments[0]!.text).toContain('The manager has commented on your Loop');
    const html =
      'From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Card <b>4111</b> ends here</p>';
    const [fromHtml] = (await parseEmail(html, context())).interactions;
    expect(fromHtml!.segments[0]!.text).toContain('Card 4111 ends here');
  });
});

describe('email adapter, malformed input', () => {
  it('refuses a non-byte payload, text with no headers, and an oversized attachment', async () => {
    expect(await rejectionOf(() => parseEmail({ raw: 'x' }, context()))).toEqual({
      code: 'PAYLOAD_INVALID',
      message: 'Invalid email message: expected the raw message bytes (RFC 5322 text)',
    });
    expect((await rejectionOf(() => parseEmail('{"card":"4111111111111111"}', context()))).message).toBe(
      'Invalid email message: no From, Message-ID or Date header: not an RFC 5322 message',
    );
    const big = Buffer.alloc(26 * 1024 * 1024, 65).toString('base64');
    const message = `From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b--\r\n`;
    expect(await rejectionOf(() => parseEmail(message, context()))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Invalid email message: attachment-1: larger than 26214400 bytes',
    });
  });
});
