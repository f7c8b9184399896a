import { describe, expect, it } from 'vitest';
import { redactConversation, redactText } from './redaction.engine.ts';

describe('person names', () => {
  it.each([
    ['My name is Thaddeus Okonjo.', 'My name is [PERSON_NAME].'],
    ['my name is niamh quackenbush and I need help', 'my name is [PERSON_NAME] and I need help'],
    ['hi this is zoraida villalobos calling about my bill', 'hi this is [PERSON_NAME] calling about my bill'],
    ['Am I speaking with Mr. Thompson?', 'Am I speaking with Mr. [PERSON_NAME]?'],
    ['Thanks, Jennifer Lopez will call back', 'Thanks, [PERSON_NAME] will call back'],
    ["je m'appelle Geneviève Tremblay", "je m'appelle [PERSON_NAME]"],
    ['me llamo Ximena Quispe', 'me llamo [PERSON_NAME]'],
    ['my last name is spelled S M I T H', 'my last name is spelled [PERSON_NAME]'],
  ])('%s', (text, expected) => {
    expect(redactText(text).text).toBe(expected);
  });

  it('leaves ordinary words that are also names', () => {
    for (const text of ['this is great, thanks', 'I will mark it as paid in May', 'Grace period ends soon']) {
      expect(redactText(text).findings).toEqual([]);
    }
  });

  it('remembers a name for the rest of the conversation', () => {
    const out = redactConversation([
      { speaker: 'customer', text: 'my name is Bartholomew Abernathy' },
      { speaker: 'agent', text: 'thank you abernathy, one moment' },
    ]).segments;
    expect(out[1]!.text).toBe('thank you [PERSON_NAME], one moment');
  });
});

describe('addresses', () => {
  it.each([
    ['I live at 123 Main Street, Springfield, IL 62704 now', 'I live at [ADDRESS] now'],
    ['ship to 4521 rue Saint-Denis, Montréal, QC H2J 2L3', 'ship to [ADDRESS]'],
    ['my address is one twenty three maple drive apartment four b', 'my address is [ADDRESS]'],
    ['calle Mayor 12, por favor', '[ADDRESS], por favor'],
    ['send it to P.O. Box 4412', 'send it to [ADDRESS]'],
    ['postal code H2X 1Y4', 'postal code [ADDRESS]'],
  ])('%s', (text, expected) => {
    expect(redactText(text).text).toBe(expected);
  });

  it('needs a house number: a street name alone is not an address', () => {
    expect(redactText("I'm on Main Street near the park").findings).toEqual([]);
  });
});
