import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isLocale, isRtl, Locale, LOCALES } from '@account-recovery/contracts';

import { inline } from '@css-inline/css-inline';
import { MessageFormatElement, TYPE } from '@formatjs/icu-messageformat-parser';
import Handlebars from 'handlebars';

import { HtmlMailAdapter } from './html-mail-adapter';
import { MailCatalogs } from './mail-catalogs';
import { MailTemplateName } from './mail-templates';

const MAIL_DIR = join(__dirname, '..', '..', 'assets', 'mail');
const CATALOGS = MailCatalogs.load(MAIL_DIR);
const DIRS = {
  templateDir: join(MAIL_DIR, 'templates'),
  partialsDir: join(MAIL_DIR, 'partials'),
  layoutFile: join(MAIL_DIR, 'layouts', 'main.hbs'),
  catalogs: CATALOGS,
};
const INLINE_OPTIONS = { keepAtRules: true, loadRemoteStylesheets: false };
const STRICT = { strict: true };
const TEMPLATES = readdirSync(DIRS.templateDir).map((file) => file.replace(/\.hbs$/, ''));

/**
 * A message formatted with the email's values, the way a `{{t}}` helper at send time would:
 * text and values escaped, tags as their markup. An oracle written apart from
 * message-source.ts, which writes messages into templates before any value is known.
 */
function formatted(elements: MessageFormatElement[], values: Record<string, unknown>): string {
  const escape = (value: unknown): string =>
    value instanceof Handlebars.SafeString
      ? value.toHTML()
      : Handlebars.Utils.escapeExpression(String(value));
  return elements
    .map((element) => {
      if (element.type === TYPE.literal) return escape(element.value);
      if (element.type === TYPE.argument) {
        if (!(element.value in values)) throw new Error(`"${element.value}" not defined`);
        return escape(values[element.value]);
      }
      if (element.type !== TYPE.tag) throw new Error(`unexpected ${element.type}`);
      const content = formatted(element.children, values);
      if (element.value === 'b') return `<strong>${content}</strong>`;
      if (element.value === 'ltr') return `<span dir="ltr">${content}</span>`;
      const mailto = `mailto:${escape(values['supportEmail'])}`;
      return `<a class="footer-link nowrap" href="${mailto}" dir="ltr">${content}</a>`;
    })
    .join('');
}

/**
 * The reference: each email rendered on its own (template in the layout, with the partials,
 * messages formatted as it renders) and then inlined, the way the mailer's adapter did before
 * inlining moved to start-up.
 */
function inlinedPerEmail(): (name: string, context: Record<string, unknown>) => string {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  handlebars.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
    const root = options.data.root as Record<string, unknown>;
    const locale = root['locale'];
    if (!isLocale(locale)) throw new Error('no locale');
    const values = { ...root, ...(options.hash as Record<string, unknown>) };
    return new Handlebars.SafeString(formatted(CATALOGS.ast(locale, key), values));
  });
  for (const file of readdirSync(DIRS.partialsDir)) {
    const source = readFileSync(join(DIRS.partialsDir, file), 'utf-8');
    handlebars.registerPartial(file.replace(/\.hbs$/, ''), handlebars.compile(source, STRICT));
  }
  const layout = handlebars.compile(readFileSync(DIRS.layoutFile, 'utf-8'), STRICT);
  return (name, context) => {
    const locale = context['locale'] as Locale;
    const direction = {
      htmlLang: locale,
      htmlDir: isRtl(locale) ? 'rtl' : 'ltr',
      alignStart: isRtl(locale) ? 'right' : 'left',
      alignEnd: isRtl(locale) ? 'left' : 'right',
      capsLetterSpacing: isRtl(locale) ? 'normal' : '0.6px',
    };
    const source = readFileSync(join(DIRS.templateDir, `${name}.hbs`), 'utf-8');
    const values = { ...context, ...direction };
    const body = new handlebars.SafeString(handlebars.compile(source, STRICT)(values));
    return inline(layout({ ...values, body }), INLINE_OPTIONS);
  };
}

/** The document as a browser reads it: parsed and written out again. */
function asParsed(html: string): string {
  return inline(html, INLINE_OPTIONS);
}

const COMMON = {
  locale: 'en',
  productName: 'Contoso Account',
  supportEmail: 'it-support@contoso.example',
  recipientName: 'Ada Lovelace',
  requestedAt: '14 March 2025 at 09:05 UTC',
  requestIp: '203.0.113.42',
  link: 'https://portal.contoso.example/reset-password/q2Vx7_Jk3-LmN0pQrStUvWxYz0123456789',
  expiresIn: '15 minutes',
  changedAt: '14 March 2025 at 09:07 UTC',
  forgotPasswordLink: 'https://portal.contoso.example/forgot-password',
  newEmail: 'jane.new@contoso.example',
  code: '04815162',
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
  { productName: 'NUL\0in the name', requestIp: '::1', expiresIn: '' },
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

  const EVERY = LOCALES.flatMap((locale) => TEMPLATES.map((name) => [locale, name] as const));

  it.each(EVERY)(
    'should render %s %s byte for byte as inlining the email itself',
    (locale, name) => {
      const context = { ...COMMON, locale };
      const rendered = html(name, context);
      expect(rendered).toBe(reference(name, context));
      // The styles are inlined, the media query kept, every value shown.
      expect(rendered).toContain('style="');
      expect(rendered).toContain('@media only screen');
      expect(rendered).toContain('Contoso Account');
      expect(rendered).not.toContain('{{');
    },
  );

  it.each(EVERY)(
    'should render %s %s as the same document for values on the edges',
    (locale, name) => {
      for (const values of HOSTILE) {
        const context = { ...COMMON, locale, ...values };
        const rendered = html(name, context);
        expect(asParsed(rendered)).toBe(asParsed(reference(name, context)));
        expect(rendered).not.toContain('<script>');
      }
    },
  );

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
    expect(() => html('reset-password', { ...COMMON, locale: 'pt' })).toThrow(
      '"pt" is not supported',
    );
  });

  it('should lay out Arabic right to left and every other locale left to right', () => {
    for (const locale of LOCALES) {
      const rendered = html('password-changed', { ...COMMON, locale });
      const [dir, start, end] = isRtl(locale) ? ['rtl', 'right', 'left'] : ['ltr', 'left', 'right'];
      expect(rendered).toContain(`<html lang="${locale}" dir="${dir}"`);
      expect(rendered).toMatch(new RegExp(`<table class="container"[^>]* dir="${dir}"`));
      expect(rendered).toMatch(
        new RegExp(`<td class="card-body" align="${start}"[^>]*text-align: ${start};`),
      );
      expect(rendered).toMatch(
        new RegExp(`<td class="callout-cell"[^>]* align="${start}"[^>]*border-${start}: 4px`),
      );
      expect(rendered).toMatch(
        new RegExp(`<td class="details-label"[^>]*padding-${start}: 18px;padding-${end}: 12px;`),
      );
    }
  });
});
