import { join } from 'node:path';

import { MailerModule, MailerService } from '@nestjs-modules/mailer';
import { Test, TestingModule } from '@nestjs/testing';
import { simpleParser } from 'mailparser';

import { MailComposer } from './mail-composer';
import { formatMailTimestamp } from './mail-templates';
import { buildMailerOptions, htmlMailAdapter } from './mailer-options';

const TEMPLATES_DIR = join(__dirname, '..', '..', 'assets', 'mail');

const CONTEXT = {
  locale: 'en' as const,
  productName: 'Contoso Account',
  supportEmail: 'it-support@contoso.example',
  // Beyond ASCII, so the text part needs an encoding too.
  recipientName: 'Zoë Ångström',
  requestedAt: formatMailTimestamp(new Date('2025-03-14T09:05:00Z'), 'en'),
  requestIp: '203.0.113.42',
  link: 'https://portal.contoso.example/reset-password/q2Vx7_Jk3-LmN0pQrStUvWxYz0123456789',
  expiresInMinutes: 15,
  code: '04815162',
};

/** The message as it goes over SMTP (nodemailer's stream transport), not its JSON form. */
describe('mail on the wire', () => {
  let moduleRef: TestingModule;
  let mailer: MailerService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MailerModule.forRoot(
          buildMailerOptions({
            templatesDir: TEMPLATES_DIR,
            transport: { streamTransport: true, buffer: true, newline: 'windows' },
            from: 'Account Recovery <no-reply@localhost>',
          }),
        ),
      ],
    }).compile();
    mailer = moduleRef.get(MailerService);
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  it('should send both parts base64-encoded, decoding to exactly what was rendered', async () => {
    const message = new MailComposer(TEMPLATES_DIR).compose(
      'reset-password',
      'zoe@contoso.example',
      CONTEXT,
    );
    const info: { message: Buffer } = await mailer.sendMail(message);
    const raw = info.message.toString('utf-8');

    expect(raw.match(/^Content-Transfer-Encoding: base64$/gim)).toHaveLength(2);
    expect(raw).not.toMatch(/quoted-printable/i);
    // Every line within SMTP's limit.
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(78);

    const expectedHtml = { data: { template: 'reset-password', context: message.context } };
    htmlMailAdapter(TEMPLATES_DIR).compile(expectedHtml, (error) => {
      if (error) throw error;
    });
    const parsed = await simpleParser(info.message);
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe((expectedHtml.data as { html?: string }).html);
    expect(parsed.text).toContain('Zoë Ångström');
    expect(parsed.text).toContain(CONTEXT.link);
  });
});
