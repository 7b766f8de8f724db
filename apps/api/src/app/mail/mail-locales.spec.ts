import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isRtl, Locale, LOCALES } from '@account-recovery/contracts';

import { catalogProblems, elementsOf, flattenCatalog, MailCatalogs } from './mail-catalogs';
import { MailComposer } from './mail-composer';
import { formatMailTimestamp, MailContexts, MailTemplateName } from './mail-templates';
import { htmlMailAdapter } from './mailer-options';

const MAIL_DIR = join(__dirname, '..', '..', 'assets', 'mail');
const I18N_DIR = join(MAIL_DIR, 'i18n');
const FORGOT_LINK = 'https://portal.contoso.example/forgot-password';
const MFA_FLAGS = { enabled: false, disabled: false, resetByHelpDesk: false, recoveryCodes: false };

/** Every email, each second-factor notice on its own, in `locale`. */
function contexts(locale: Locale): [MailTemplateName, MailContexts[MailTemplateName]][] {
  const at = (iso: string) => formatMailTimestamp(new Date(iso), locale);
  const common = {
    locale,
    productName: 'Contoso Account',
    supportEmail: 'it-support@contoso.example',
    recipientName: 'Ada Lovelace',
    requestedAt: at('2025-03-14T09:05:00Z'),
    requestIp: '203.0.113.42',
  };
  const link = 'https://portal.contoso.example/reset-password/q2Vx7_Jk3-LmN0pQrStUvWxYz0123456';
  const changed = { ...common, changedAt: at('2025-03-14T09:07:00Z') };
  return [
    ['reset-password', { ...common, link, expiresInMinutes: 15, code: '04815162' }],
    [
      'reset-password',
      { ...common, recipientName: null, requestIp: null, link, expiresInMinutes: 15, code: null },
    ],
    ['invitation', { ...common, link, expiresInMinutes: 72 * 60 }],
    ['invitation', { ...common, link, expiresInMinutes: 60 }],
    ['password-changed', { ...changed, forgotPasswordLink: FORGOT_LINK }],
    ['email-changed', { ...changed, newEmail: 'jane.new@contoso.example' }],
    ...(['enabled', 'disabled', 'resetByHelpDesk', 'recoveryCodes'] as const).map(
      (flag): [MailTemplateName, MailContexts['mfa-changed']] => [
        'mfa-changed',
        { ...changed, forgotPasswordLink: FORGOT_LINK, ...MFA_FLAGS, [flag]: true },
      ],
    ),
    ['reset-locked', { ...common, forgotPasswordLink: FORGOT_LINK }],
  ];
}

function catalogFile(locale: string): Map<string, string> {
  return flattenCatalog(
    JSON.parse(readFileSync(join(I18N_DIR, `${locale}.json`), 'utf-8')),
    locale,
  );
}

describe('the mail catalogs', () => {
  it('should be one file per supported locale, and load', () => {
    const files = readdirSync(I18N_DIR).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...LOCALES].sort());
    expect(() => MailCatalogs.load(MAIL_DIR)).not.toThrow();
  });

  it.each(LOCALES)(
    'should give %s exactly the keys of en, each with the arguments of en',
    (locale) => {
      const en = catalogFile('en');
      const catalog = catalogFile(locale);
      expect([...catalog.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, message] of en) {
        expect({ key, args: elementsOf(catalog.get(key) ?? '').args }).toEqual({
          key,
          args: elementsOf(message).args,
        });
      }
    },
  );

  it('should name a missing key, an extra key, another argument and an unknown tag', () => {
    const en = new Map([
      ['a', 'Hello {name}'],
      ['b', '<b>Bold</b>'],
    ]);
    const de = new Map([
      ['a', 'Hallo {nom}'],
      ['c', 'Extra'],
    ]);
    const fr = new Map([
      ['a', 'Bonjour {name}'],
      ['b', '<blink>Gras</blink>'],
    ]);
    expect(
      catalogProblems(
        new Map<Locale, Map<string, string>>([
          ['de', de],
          ['en', en],
          ['fr', fr],
        ]),
      ),
    ).toEqual([
      'de: missing "b"',
      'de: "a" uses {nom}, en {name}',
      'de: "c" is not in en',
      'fr: "b" uses the unknown tag <blink>',
    ]);
  });

  it('should refuse a message that does not parse', () => {
    const broken = new Map<Locale, Map<string, string>>([
      ['en', new Map([['a', 'Hello {name}']])],
      ['ja', new Map([['a', 'こんにちは {name']])],
    ]);
    expect(catalogProblems(broken)).toEqual([expect.stringMatching(/^ja: "a" does not parse/)]);
  });
});

describe('every email in every locale', () => {
  const catalogs = MailCatalogs.load(MAIL_DIR);
  const composer = new MailComposer(MAIL_DIR, catalogs);
  const adapter = htmlMailAdapter(MAIL_DIR, catalogs);
  const html = (context: Record<string, unknown>, template: string): string => {
    const mail = { data: { template, context, html: undefined as string | undefined } };
    adapter.compile(mail, (error) => {
      if (error) throw error;
    });
    return mail.data.html ?? '';
  };
  const english = new Map(
    contexts('en').map(([name, context], i) => [
      i,
      composer.compose(name, 'ada@contoso.example', context),
    ]),
  );

  describe.each(LOCALES)('%s', (locale) => {
    it.each(contexts(locale).map((entry, i) => [entry[0], i, entry[1]] as const))(
      'should render %s (%i) whole in HTML and text, with its subject',
      (name, i, context) => {
        const message = composer.compose(name, 'ada@contoso.example', context);
        const text = String(message.text);
        const body = html(message.context as Record<string, unknown>, name);

        for (const part of [text, body, String(message.subject)]) {
          // Nothing left unformatted: no Handlebars, no ICU argument, no stray "undefined".
          expect(part).not.toMatch(/\{\{|\}\}|\{[a-zA-Z]+\}|undefined|\[object/);
        }
        expect(String(message.subject).length).toBeGreaterThan(10);
        expect(text).not.toMatch(/<\/?[a-z][^>]*>/i);
        expect(body).toContain(`<html lang="${locale}" dir="${isRtl(locale) ? 'rtl' : 'ltr'}"`);
        for (const value of [context.supportEmail, context.productName, context.requestedAt]) {
          expect(text).toContain(value);
          expect(body).toContain(value);
        }
        if (locale !== 'en') {
          // Translated, not English: the subject and the text differ from the English email.
          const en = english.get(i);
          expect(message.subject).not.toBe(en?.subject);
          expect(text).not.toBe(en?.text);
        }
      },
    );
  });

  it('should word the expiry with the plural rules of each locale', () => {
    const expiry = (locale: Locale, minutes: number) =>
      composer.compose('invitation', 'ada@contoso.example', {
        ...(contexts(locale)[2][1] as MailContexts['invitation']),
        expiresInMinutes: minutes,
      }).context as { expiresIn: string };
    expect(expiry('en', 60).expiresIn).toBe('1 hour');
    expect(expiry('en', 4320).expiresIn).toBe('3 days');
    expect(expiry('de', 15).expiresIn).toBe('15 Minuten');
    expect(expiry('fr', 1440).expiresIn).toBe('1 jour');
    expect(expiry('ja', 4320).expiresIn).toBe('3日');
    expect(expiry('ar', 120).expiresIn).toBe('ساعتين');
    expect(expiry('ar', 4320).expiresIn).toBe('3 أيام');
  });
});
