import { isRtl, LOCALE_NAMES, type Locale } from '@account-recovery/contracts';

import type { Page } from '@playwright/test';

import { expectNoSeriousViolations } from './support/axe';
import { mailSubject, t } from './support/catalog';
import { expect, test } from './support/fixtures';
import {
  chooseNewPassword,
  controls,
  openResetLink,
  paths,
  requestLinkInPortal,
} from './support/portal';
import { shootBothSizes } from './support/screenshots';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

/** What a browser set to each language sends first in Accept-Language. */
const BROWSER_LOCALES: Record<Locale, string> = {
  en: 'en-US',
  de: 'de-DE',
  fr: 'fr-FR',
  es: 'es-ES',
  ja: 'ja-JP',
  ar: 'ar-EG',
};

async function expectPageIn(page: Page, locale: Locale): Promise<void> {
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', locale);
  await expect(html).toHaveAttribute('dir', isRtl(locale) ? 'rtl' : 'ltr');
}

test.describe('a browser that prefers French', () => {
  test.use({ locale: BROWSER_LOCALES.fr });

  test('should get French pages on its first visit and a French email', async ({ page, stack }) => {
    const ui = controls(page, 'fr');
    const email = uniqueEmail('francais');
    await stack.createUser(email, 'Fleur Dupont');

    await page.goto(paths.forgotPassword);
    await expectPageIn(page, 'fr');
    await expect(ui.heading).toHaveText(t('fr', 'forgot.title'));
    await expect(page).toHaveTitle(t('fr', 'forgot.pageTitle'));

    const after = stack.mail.mark();
    await requestLinkInPortal(page, email, 'fr');
    const mail = await stack.resetMailFor(email, after, 'fr');
    expect(mail.subject).toBe(mailSubject('fr', 'reset-password'));
    // The email names the portal's button for the code path in the same words.
    expect(mail.text).toContain(t('fr', 'forgot.haveCode'));
    await expect(ui.haveCode).toBeVisible();
  });
});

for (const locale of ['de', 'ar'] as const) {
  test.describe(`the whole recovery in ${LOCALE_NAMES[locale]}`, () => {
    test.use({ locale: BROWSER_LOCALES[locale] });

    test(`should take a person from forgot-password to signed in, in ${locale}`, async ({
      page,
      stack,
    }, testInfo) => {
      const ui = controls(page, locale);
      const email = uniqueEmail(`flow-${locale}`);
      await stack.createUser(email, locale === 'ar' ? 'ليلى حداد' : 'Jörg Müller');

      await page.goto(paths.forgotPassword);
      await expectPageIn(page, locale);
      await shootBothSizes(page, testInfo, `${locale}-forgot-password`);

      const after = stack.mail.mark();
      await requestLinkInPortal(page, email, locale);
      await expect(ui.heading).toHaveText(t(locale, 'forgot.sentTitle'));
      await shootBothSizes(page, testInfo, `${locale}-link-sent`);

      const { link } = await stack.resetLinkFor(email, after, locale);
      await openResetLink(page, link, locale);
      await expect(ui.heading).toHaveText(t(locale, 'reset.title'));
      await ui.newPassword.fill('kurz');
      await expect(ui.heading).toBeVisible();
      await shootBothSizes(page, testInfo, `${locale}-reset-password`);
      await chooseNewPassword(page, GOOD_PASSWORD, GOOD_PASSWORD, locale);
      await expect(ui.heading).toHaveText(t(locale, 'reset.doneTitle'));
      await shootBothSizes(page, testInfo, `${locale}-password-changed`);

      await ui.signInLink.click();
      await expect(ui.heading).toHaveText(t(locale, 'login.title'));
      await ui.email.fill(email);
      await ui.password.fill(GOOD_PASSWORD);
      await ui.signIn.click();
      await expect(ui.signedInUser).toContainText(email);
      await expect(ui.heading).toHaveText(t(locale, 'home.title'));
      await shootBothSizes(page, testInfo, `${locale}-home`);

      // Right to left is mirrored, not only aligned: the header starts with the product at
      // the right and ends with the language menu at the left.
      const brand = await page.locator('.brand').boundingBox();
      const menu = await page.getByLabel(t(locale, 'language.label')).boundingBox();
      expect(brand !== null && menu !== null).toBe(true);
      if (brand !== null && menu !== null) {
        if (isRtl(locale)) expect(brand.x).toBeGreaterThan(menu.x);
        else expect(brand.x).toBeLessThan(menu.x);
      }

      await ui.signOut.click();
      await expect(ui.heading).toHaveText(t(locale, 'login.title'));
    });
  });
}

test.describe('the language menu', () => {
  test('should switch the page, keep the choice for the next visit, and keep a reset link', async ({
    page,
    stack,
  }) => {
    await page.goto(paths.login);
    await expectPageIn(page, 'en');
    await page.getByLabel(t('en', 'language.label')).selectOption('de');
    await expectPageIn(page, 'de');
    await expect(page).toHaveURL(`${stack.origin}${paths.login}`);
    await expect(controls(page, 'de').heading).toHaveText(t('de', 'login.title'));
    await expectNoSeriousViolations(page, 'sign-in after switching to German');

    // The next visit, in a browser that still asks for English, opens in German.
    await page.goto(paths.forgotPassword);
    await expectPageIn(page, 'de');

    // A reset link in progress survives the switch, and the token stays out of the address.
    const email = uniqueEmail('switch');
    await stack.createUser(email, 'Sam Switch');
    await openResetLink(page, (await stack.requestResetLink(email)).link, 'de');
    await page.getByLabel(t('de', 'language.label')).selectOption('ar');
    await expectPageIn(page, 'ar');
    await expect(controls(page, 'ar').newPassword).toBeVisible();
    await expect(page).toHaveURL(`${stack.origin}${paths.resetPassword}`);
    await chooseNewPassword(page, GOOD_PASSWORD, GOOD_PASSWORD, 'ar');
    await expect(controls(page, 'ar').heading).toHaveText(t('ar', 'reset.doneTitle'));
  });
});
