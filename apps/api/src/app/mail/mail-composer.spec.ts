import { join } from 'node:path';

import { LOCALES } from '@account-recovery/contracts';

import { ISendMailOptions, MailerModule, MailerService } from '@nestjs-modules/mailer';
import { Test, TestingModule } from '@nestjs/testing';
import Handlebars from 'handlebars';

import { MailComposer } from './mail-composer';
import {
  CommonMailContext,
  formatMailTimestamp,
  MailContexts,
  MailTemplateName,
} from './mail-templates';
import { buildMailerOptions } from './mailer-options';

const TEMPLATES_DIR = join(__dirname, '..', '..', 'assets', 'mail');

/** What nodemailer's JSON transport hands back for one message. */
interface SentMessage {
  from: { address: string; name: string };
  to: { address: string; name: string }[];
  subject: string;
  html: string;
  text: string;
}

const COMMON: CommonMailContext = {
  locale: 'en',
  productName: 'Contoso Account',
  supportEmail: 'it-support@contoso.example',
  recipientName: "Ada O'Neil",
  requestedAt: formatMailTimestamp(new Date('2025-03-14T09:05:00Z'), 'en'),
  requestIp: '203.0.113.42',
};
const RESET_LINK =
  'https://portal.contoso.example/reset-password/q2Vx7_Jk3-LmN0pQrStUvWxYz0123456789';
const INVITE_LINK =
  'https://portal.contoso.example/reset-password/inv_9ZyXwVuTsRqPoNmLkJiHgFeDcBa8765';
const FORGOT_LINK = 'https://portal.contoso.example/forgot-password';

const CONTEXTS: MailContexts = {
  'reset-password': { ...COMMON, link: RESET_LINK, expiresInMinutes: 15, code: '04815162' },
  invitation: { ...COMMON, link: INVITE_LINK, expiresInMinutes: 4320 },
  'password-changed': {
    ...COMMON,
    changedAt: formatMailTimestamp(new Date('2025-03-14T09:07:00Z'), 'en'),
    forgotPasswordLink: FORGOT_LINK,
  },
  'email-changed': {
    ...COMMON,
    changedAt: formatMailTimestamp(new Date('2025-03-14T09:08:00Z'), 'en'),
    newEmail: 'jane.new@contoso.example',
  },
  'mfa-changed': {
    ...COMMON,
    changedAt: formatMailTimestamp(new Date('2025-03-14T09:09:00Z'), 'en'),
    forgotPasswordLink: FORGOT_LINK,
    enabled: false,
    disabled: true,
    resetByHelpDesk: false,
    recoveryCodes: false,
  },
  'reset-locked': { ...COMMON, forgotPasswordLink: FORGOT_LINK },
};

/** Per email: subject, and the values that both the HTML and the text part must show. */
const EXPECTED: { [K in MailTemplateName]: { subject: string; shows: string[] } } = {
  'reset-password': {
    subject: 'Reset your Contoso Account password',
    shows: [RESET_LINK, '15 minutes', 'works only once', 'ignore this email', '04815162'],
  },
  invitation: {
    subject: 'Welcome to Contoso Account: set your password',
    shows: [INVITE_LINK, '3 days', 'works only once'],
  },
  'password-changed': {
    subject: 'Your Contoso Account password was changed',
    shows: [FORGOT_LINK, 'March 14, 2025 at 09:07 UTC', "If this wasn't you"],
  },
  'email-changed': {
    subject: 'Your Contoso Account sign-in email was changed',
    shows: ['jane.new@contoso.example', 'March 14, 2025 at 09:08 UTC', 'no longer works'],
  },
  'mfa-changed': {
    subject: 'The authenticator was removed from your Contoso Account account',
    shows: [FORGOT_LINK, 'March 14, 2025 at 09:09 UTC', 'was removed', "If this wasn't you"],
  },
  'reset-locked': {
    subject: 'A Contoso Account password reset was stopped',
    shows: [FORGOT_LINK, 'five wrong codes', 'has not changed'],
  },
};
const NAMES = Object.keys(EXPECTED) as MailTemplateName[];

const HTML_TAG = /<\/?[a-z!][^>]*>/i;

/** A copy of `value` without `key`, for proving that a missing field fails the render. */
function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  delete copy[key];
  return copy as Omit<T, K>;
}

describe('MailComposer with the real mailer', () => {
  let moduleRef: TestingModule;
  let mailer: MailerService;
  let composer: MailComposer;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MailerModule.forRoot(
          buildMailerOptions({
            templatesDir: TEMPLATES_DIR,
            transport: { jsonTransport: true },
            from: 'Account Recovery <no-reply@localhost>',
          }),
        ),
      ],
    }).compile();
    mailer = moduleRef.get(MailerService);
    composer = new MailComposer(TEMPLATES_DIR);
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  async function send(options: ISendMailOptions): Promise<SentMessage> {
    const info: { message: string } = await mailer.sendMail(options);
    return JSON.parse(info.message) as SentMessage;
  }

  function sendComposed<K extends MailTemplateName>(
    name: K,
    context: MailContexts[K],
  ): Promise<SentMessage> {
    return send(composer.compose(name, 'ada@contoso.example', context));
  }

  function contextOf(name: MailTemplateName): MailContexts[MailTemplateName] {
    return CONTEXTS[name];
  }

  describe.each(NAMES)('the %s email', (name) => {
    let message: SentMessage;

    beforeAll(async () => {
      message = await sendComposed(name, contextOf(name));
    });

    it('should carry its subject and the configured sender and recipient', () => {
      expect(message.subject).toBe(EXPECTED[name].subject);
      expect(message.from).toEqual({ address: 'no-reply@localhost', name: 'Account Recovery' });
      expect(message.to).toEqual([{ address: 'ada@contoso.example', name: '' }]);
    });

    it('should show the link, expiry, product, support address and request details in both parts', () => {
      const shown = [
        ...EXPECTED[name].shows,
        COMMON.productName,
        COMMON.supportEmail,
        COMMON.requestedAt,
        '203.0.113.42',
      ];
      for (const value of shown) {
        expect(message.html).toContain(value);
        expect(message.text).toContain(value);
      }
      // Values enter the HTML escaped by Handlebars (O'Neil as O&#x27;Neil).
      expect(message.html).toContain(`Hello ${Handlebars.Utils.escapeExpression("Ada O'Neil")},`);
      expect(message.text).toContain("Hello Ada O'Neil,");
    });

    it('should wrap the HTML in the shared layout with its partials and inlined styles', () => {
      const { html } = message;
      expect(html).toMatch(/^<!DOCTYPE html>/i);
      expect(html).toContain('<meta name="x-apple-disable-message-reformatting">');
      expect(html).toContain('class="preheader"');
      expect(html).toContain('Request details');
      expect(html).toContain('You received this email because');
      expect(html).toMatch(/<a class="button-link"[^>]*style="[^"]*background-color: #1d4ed8/);
      expect(html).toContain(`href="mailto:${COMMON.supportEmail}"`);
      expect(html).not.toMatch(/<(img|link|script)\b/i);
    });

    it('should produce a plain-text part without HTML tags or entities', () => {
      expect(message.text).not.toMatch(HTML_TAG);
      expect(message.text).not.toMatch(/&(#x?[0-9a-f]+|[a-z]+);/i);
      expect(message.text).toContain('You received this email because');
    });
  });

  it('should escape a display name carrying markup in the HTML part', async () => {
    const message = await sendComposed('reset-password', {
      ...CONTEXTS['reset-password'],
      recipientName: '<script>alert(1)</script>Eve',
    });

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;Eve,');
  });

  it('should greet without a name and say the IP was not recorded when they are null', async () => {
    const message = await sendComposed('invitation', {
      ...CONTEXTS.invitation,
      recipientName: null,
      requestIp: null,
    });

    for (const part of [message.html, message.text]) {
      expect(part).toContain('Hello,');
      expect(part).toContain('Not recorded');
      expect(part).not.toContain('null');
    }
  });

  it('should keep CR and LF out of the subject and the greeting', async () => {
    const options = composer.compose('reset-password', 'ada@contoso.example', {
      ...CONTEXTS['reset-password'],
      productName: 'Contoso\r\nBcc: attacker@example.com',
      recipientName: 'Eve\r\nX-Injected: yes',
    });
    const message = await send(options);

    expect(options.subject).toBe('Reset your Contoso Bcc: attacker@example.com password');
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).toContain('Hello Eve X-Injected: yes,');
    expect(message.html).toContain('Hello Eve X-Injected: yes,');
  });

  it('should fail the send when the HTML template misses a context variable', async () => {
    // expiresIn as the composer would add it: only the link is missing.
    const context = { ...without(CONTEXTS['reset-password'], 'link'), expiresIn: '15 minutes' };

    await expect(
      send({ to: 'ada@contoso.example', subject: 'x', template: 'reset-password', context }),
    ).rejects.toThrow('"link" not defined');
  });

  it('should fail the send when a partial misses a context variable', async () => {
    const context = without(CONTEXTS['password-changed'], 'requestedAt');

    await expect(
      send({ to: 'ada@contoso.example', subject: 'x', template: 'password-changed', context }),
    ).rejects.toThrow('"requestedAt" not defined');
  });

  it('should throw when the text template misses a context variable', () => {
    const context = without(CONTEXTS.invitation, 'link');

    expect(() =>
      composer.compose('invitation', 'ada@contoso.example', context as MailContexts['invitation']),
    ).toThrow('"link" not defined');
  });

  it('should refuse a link that is not http(s)', () => {
    expect(() =>
      composer.compose('reset-password', 'ada@contoso.example', {
        ...CONTEXTS['reset-password'],
        link: 'javascript:alert(1)',
      }),
    ).toThrow('"link" must be an http(s) URL');
  });

  it('should refuse a templates folder without the layout', () => {
    expect(() =>
      buildMailerOptions({
        templatesDir: join(TEMPLATES_DIR, 'templates'),
        transport: { jsonTransport: true },
        from: 'Account Recovery <no-reply@localhost>',
      }),
    ).toThrow('Mail templates not found');
  });
});

describe('formatMailTimestamp', () => {
  it('should format a moment in UTC, saying so, with a zero-padded 24-hour time', () => {
    expect(formatMailTimestamp(new Date('2025-03-04T07:05:09.999Z'), 'en')).toBe(
      'March 4, 2025 at 07:05 UTC',
    );
    expect(formatMailTimestamp(new Date('2024-12-31T23:59:00-02:00'), 'en')).toBe(
      'January 1, 2025 at 01:59 UTC',
    );
  });

  it("should follow the email's locale", () => {
    const moment = new Date('2025-03-04T17:05:00Z');
    expect(formatMailTimestamp(moment, 'de')).toBe('4. März 2025 um 17:05 UTC');
    expect(formatMailTimestamp(moment, 'fr')).toBe('4 mars 2025 à 17:05 UTC');
    expect(formatMailTimestamp(moment, 'ja')).toContain('2025年3月4日');
    expect(formatMailTimestamp(moment, 'ar')).toContain('مارس');
    for (const locale of LOCALES) expect(formatMailTimestamp(moment, locale)).toContain('17:05');
  });

  it('should throw on an invalid date', () => {
    expect(() => formatMailTimestamp(new Date('not a date'), 'en')).toThrow(RangeError);
  });
});
