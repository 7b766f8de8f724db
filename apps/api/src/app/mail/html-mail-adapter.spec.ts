import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { inline } from '@css-inline/css-inline';
import Handlebars from 'handlebars';

import { HtmlMailAdapter } from './html-mail-adapter';
import { MailTemplateName } from './mail-templates';

const MAIL_DIR = join(__dirname, '..', '..', 'assets', 'mail');
const DIRS = {
  templateDir: join(MAIL_DIR, 'templates'),
  partialsDir: join(MAIL_DIR, 'partials'),
  layoutFile: join(MAIL_DIR, 'layouts', 'main.hbs'),
};
const INLINE_OPTIONS = { keepAtRules: true, loadRemoteStylesheets: false };
const STRICT = { strict: true };
const TEMPLATES = readdirSync(DIRS.templateDir).map((file) => file.replace(/\.hbs$/, ''));

/**
 * The reference: each email rendered on its own (template in the layout, with the partials)
 * and then inlined, the way the mailer's adapter did before inlining moved to start-up.
 */
function inlinedPerEmail(): (name: string, context: Record<string, unknown>) => string {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  for (const file of readdirSync(DIRS.partialsDir)) {
    const source = readFileSync(join(DIRS.partialsDir, file), 'utf-8');
    handlebars.registerPartial(file.replace(/\.hbs$/, ''), handlebars.compile(source, STRICT));
  }
  const layout = handlebars.compile(readFileSync(DIRS.layoutFile, 'utf-8'), STRICT);
  return (name, context) => {
    const source = readFileSync(join(DIRS.templateDir, `${name}.hbs`), 'utf-8');
    const body = new handlebars.SafeString(handlebars.compile(source, STRICT)(context));
    return inline(layout({ ...context, body }), INLINE_OPTIONS);
  };
}

/** The document as a browser reads it: parsed and written out again. */
function asParsed(html: string): string {
  return inline(html, INLINE_OPTIONS);
}

const COMMON = {
  productName: 'Contoso Account',
  supportEmail: 'it-support@contoso.example',
  recipientName: 'Ada Lovelace',
  requestedAt: '14 March 2025 at 09:05 UTC',
  requestIp: '203.0.113.42',
  link: 'https://portal.contoso.example/reset-password/q2Vx7_Jk3-LmN0pQrStUvWxYz0123456789',
  expiresInMinutes: 15,
  expiresInText: '72 hours',
  changedAt: '14 March 2025 at 09:07 UTC',
  forgotPasswordLink: 'https://portal.contoso.example/forgot-password',
  newEmail: 'jane.new@contoso.example',
  code: '04815162',
  subject: 'An authenticator was added to your Contoso Account account',
  enabled: true,
  disabled: false,
  resetByHelpDesk: false,
  recoveryCodes: false,
};

/**
 * Values on the edges: markup, quotes, entities, NUL, no-break space, empties. (No line breaks:
 * no field has one, and Handlebars indented a value's later lines inside an indented partial
 * when values were filled in before inlining; now they stand as given.)
 */
const HOSTILE: Record<string, unknown>[] = [
  { recipientName: null, requestIp: null },
  { recipientName: '', requestIp: '' },
  {
    productName: 'Tom & Jerry "Accounts" <b>',
    recipientName: "Ada O'Neil `=` &amp; \u00a0 <script>alert(1)</script>",
    supportEmail: 'a&b"c@example.com',
    link: "https://portal.example/r/'quoted'?x=1&y=<2>",
    newEmail: '{{productName}}@example.com',
  },
  { productName: 'NUL\0in the name', requestIp: '::1', expiresInMinutes: 0 },
];

describe('HtmlMailAdapter', () => {
  const adapter = new HtmlMailAdapter(DIRS);
  const reference = inlinedPerEmail();
  const html = (name: string, context: Record<string, unknown>): string => {
    const mail: { data: { template: string; context: Record<string, unknown>; html?: string } } = {
      data: { template: name, context },
    };
    adapter.compile(mail, (error) => {
      if (error) throw error;
    });
    return mail.data.html ?? '';
  };

  it('should know every template', () => {
    const names: MailTemplateName[] = [
      'email-changed',
      'invitation',
      'mfa-changed',
      'password-changed',
      'reset-locked',
      'reset-password',
    ];
    expect([...TEMPLATES].sort()).toEqual(names);
  });

  it.each(TEMPLATES)('should render %s byte for byte as inlining the email itself', (name) => {
    const rendered = html(name, COMMON);
    expect(rendered).toBe(reference(name, COMMON));
    // The styles are inlined, the media query kept, every value shown.
    expect(rendered).toContain('style="');
    expect(rendered).toContain('@media only screen');
    expect(rendered).toContain('Contoso Account');
    expect(rendered).not.toContain('{{');
  });

  it.each(TEMPLATES)('should render %s as the same document for values on the edges', (name) => {
    for (const values of HOSTILE) {
      const context = { ...COMMON, ...values };
      const rendered = html(name, context);
      expect(asParsed(rendered)).toBe(asParsed(reference(name, context)));
      expect(rendered).not.toContain('<script>');
    }
  });

  it('should greet without a name and say the IP was not recorded when they are null', () => {
    const rendered = html('reset-password', { ...COMMON, recipientName: null, requestIp: null });
    expect(rendered).toMatch(/Hello,<\/p>/);
    expect(rendered).toContain('Not recorded');
  });

  it('should fail a send that lacks a field or names no template', () => {
    const withoutLink: Record<string, unknown> = { ...COMMON };
    delete withoutLink['link'];
    expect(() => html('reset-password', withoutLink)).toThrow('"link" not defined');
    expect(() => html('no-such-email', COMMON)).toThrow('"no-such-email" does not exist');
  });
});
