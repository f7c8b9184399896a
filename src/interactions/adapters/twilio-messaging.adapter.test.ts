import { describe, expect, it } from 'vitest';
import { mergeInteractions } from '../model/index.ts';
import { context } from './adapters.test-support.ts';
import { parseTwilio } from './twilio.adapter.ts';

/** Built from the parameters Twilio documents for messaging and Conversations webhooks. */
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';

describe('Twilio messaging and Conversations webhooks', () => {
  it('reads an incoming SMS with media as one inbound sms interaction', () => {
    const params = {
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      Body: 'Hi, my order has not arrived',
      From: '+14155550123',
      FromCity: 'OAKLAND',
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      NumMedia: '1',
      NumSegments: '1',
      MediaContentType0: 'image/jpeg',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/SM/Media/ME1',
      SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
      SmsSid: 'SM0123456789abcdef0123456789abcdef',
      SmsStatus: 'received',
      To: '+18005550100',
    };
    const [interaction] = parseTwilio(params, context()).interactions;
    expect(interaction).toMatchObject({
      channel: 'sms',
      direction: 'inbound',
      status: 'received',
      source: { id: params.MessageSid },
    });
    expect(interaction!.segments).toEqual([
      { id: params.MessageSid, role: 'customer', participantRef: 'from', text: params.Body },
    ]);
    expect(interaction!.media).toEqual([
      {
        id: 'media-0',
        kind: 'attachment',
        uri: params.MediaUrl0,
        contentType: 'image/jpeg',
        segmentId: params.MessageSid,
      },
    ]);
    const whatsapp = parseTwilio({ ...params, From: 'whatsapp:+14155550123' }, context()).interactions[0]!;
    expect(whatsapp).toMatchObject({ channel: 'chat', medium: 'whatsapp' });
    expect(whatsapp.participants[0]!.phone).toBe('+14155550123');
  });

  it('merges Conversations message and participant events into one conversation', () => {
    const conversation = 'CH0123456789abcdef0123456789abcdef';
    const participant = {
      EventType: 'onParticipantAdded',
      AccountSid: ACCOUNT,
      ChatServiceSid: 'IS0123456789abcdef0123456789abcdef',
      ConversationSid: conversation,
      ParticipantSid: 'MB0123456789abcdef0123456789abcdef',
      DateCreated: '2026-01-13T10:00:00.000Z',
      'MessagingBinding.Type': 'sms',
      'MessagingBinding.Address': '+14155550123',
      'MessagingBinding.ProxyAddress': '+18005550100',
      Source: 'API',
      RetryCount: '0',
      WebhookType: 'webhook',
    };
    const message = {
      EventType: 'onMessageAdded',
      AccountSid: ACCOUNT,
      ChatServiceSid: participant.ChatServiceSid,
      ConversationSid: conversation,
      MessageSid: 'IM0123456789abcdef0123456789abcdef',
      Index: '0',
      Author: '+14155550123',
      ParticipantSid: participant.ParticipantSid,
      Body: 'Where is my parcel?',
      Attributes: '{}',
      DateCreated: '2026-01-13T10:00:05.000Z',
      Source: 'SMS',
      Media: JSON.stringify([
        {
          Sid: 'ME0123456789abcdef0123456789abcdef',
          Filename: 'label.png',
          ContentType: 'image/png',
          Size: 12232,
        },
      ]),
      RetryCount: '0',
    };
    const [fromParticipant] = parseTwilio(participant, context()).interactions;
    const [fromMessage] = parseTwilio(message, context()).interactions;
    const merged = mergeInteractions(fromMessage!, fromParticipant!);
    expect(merged.source.id).toBe(conversation);
    expect(merged.channel).toBe('sms');
    expect(merged.participants).toEqual([
      { ref: participant.ParticipantSid, role: 'customer', phone: '+14155550123' },
    ]);
    expect(merged.segments).toEqual([
      {
        id: message.MessageSid,
        role: 'customer',
        participantRef: participant.ParticipantSid,
        text: 'Where is my parcel?',
        sentAtMs: Date.parse(message.DateCreated),
      },
    ]);
    expect(merged.media[0]).toEqual({
      id: 'ME0123456789abcdef0123456789abcdef',
      kind: 'attachment',
      fileName: 'label.png',
      contentType: 'image/png',
      sizeBytes: 12232,
      segmentId: message.MessageSid,
    });
    const closed = parseTwilio(
      {
        EventType: 'onConversationStateUpdated',
        ConversationSid: conversation,
        StateFrom: 'active',
        StateTo: 'closed',
        DateUpdated: '2026-01-13T11:00:00Z',
      },
      context(),
    ).interactions[0]!;
    expect(mergeInteractions(merged, closed)).toMatchObject({
      status: 'closed',
      endedAtMs: Date.parse('2026-01-13T11:00:00Z'),
    });
    expect(
      parseTwilio({ EventType: 'onMessageRemoved', ConversationSid: conversation }, context()).interactions,
    ).toEqual([]);
  });
});
