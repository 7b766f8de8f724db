import { LOCALE_COOKIE, LOCALES, type Locale } from '@account-recovery/contracts';

import type { BrowserContext, Page } from '@playwright/test';

import { expectNoSeriousViolations } from './support/axe';
import { t } from './support/catalog';
import { expect, test } from './support/fixtures';
import { controls, enterPassword, openResetLink, paths, signIn } from './support/portal';
import { enrolByApi, type Enrolment } from './support/second-factor';
import { uniqueEmail, type Person, type Stack } from './support/stack';

/** The language menu's cookie, as if the person had chosen `locale` before. */
async function chooseLocale(context: BrowserContext, stack: Stack, locale: Locale): Promise<void> {
  await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: stack.origin }]);
}

async function expectAccessibleIn(page: Page, locale: Locale, state: string): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
  await expectNoSeriousViolations(page, `${state} (${locale})`);
}

test.describe('accessibility in every language (axe-core, WCAG 2.2 AA)', () => {
  for (const locale of LOCALES) {
    test(`should have no serious violations on the public and signed-in pages in ${locale}`, async ({
      page,
      stack,
    }) => {
      const ui = controls(page, locale);
      await chooseLocale(page.context(), stack, locale);

      await page.goto(paths.login);
      await expect(ui.signIn).toBeVisible();
      await ui.signIn.click();
      await expect(ui.alert).toHaveCount(2);
      await expectAccessibleIn(page, locale, 'sign-in with field errors');

      await page.goto(paths.forgotPassword);
      await expectAccessibleIn(page, locale, 'forgot-password');
      await ui.email.fill(uniqueEmail('nobody'));
      await ui.sendLink.click();
      await expect(ui.status).toContainText(t(locale, 'forgot.sent'));
      await expectAccessibleIn(page, locale, 'forgot-password sent');
      await ui.haveCode.click();
      await expect(ui.emailCode).toBeVisible();
      await expectAccessibleIn(page, locale, 'the code from the email');

      const email = uniqueEmail(`axe-${locale}`);
      await stack.createUser(email, 'Axel Axe');
      await openResetLink(page, (await stack.requestResetLink(email)).link, locale);
      await ui.newPassword.fill('short');
      await expectAccessibleIn(page, locale, 'reset with a valid link');

      const person = await stack.createPersonWithPassword(`axe${locale}`);
      await signIn(page, person, locale);
      await expectAccessibleIn(page, locale, 'signed-in page');
      await page
        .getByRole('main')
        .getByRole('button', { name: t(locale, 'mfa.add') })
        .click();
      await expect(
        page.getByRole('heading', { level: 2, name: t(locale, 'enrol.title') }),
      ).toBeVisible();
      await expect(page.getByRole('main').locator('img')).toBeVisible();
      await expectAccessibleIn(page, locale, 'adding an authenticator');
    });
  }

  test('should have no serious violations on the staff pages in every language', async ({
    browser,
    stack,
  }) => {
    // One administrator per language, enrolled together, so that their sign-ins all wait
    // for the same next 30-second code step rather than one step each.
    test.setTimeout(240_000);
    const admins = await Promise.all(
      LOCALES.map(async (locale): Promise<[Person, Enrolment]> => {
        const admin = await stack.createPersonWithPassword(`staff${locale}`);
        const enrolment = await enrolByApi(stack, admin);
        await stack.grantRole(admin.email, 'admin');
        return [admin, enrolment];
      }),
    );
    for (const [index, locale] of LOCALES.entries()) {
      const [admin, { authenticator }] = admins[index];
      const context = await browser.newContext();
      try {
        await chooseLocale(context, stack, locale);
        const page = await context.newPage();
        const ui = controls(page, locale);
        const main = page.getByRole('main');
        await enterPassword(page, admin, locale);
        await expect(ui.authCode).toBeVisible();
        await expectAccessibleIn(page, locale, 'sign-in, second step');
        await ui.authCode.fill(await authenticator.nextCode());
        await ui.verify.click();
        await expect(ui.signedInUser).toContainText(admin.email);

        await main.getByRole('link', { name: t(locale, 'home.staffArea') }).click();
        await expect(ui.heading).toHaveText(t(locale, 'staff.peopleHeading'));
        await main.getByLabel(t(locale, 'staff.queryLabel'), { exact: true }).fill(admin.email);
        await main.getByRole('button', { name: t(locale, 'staff.search') }).click();
        const personLink = main.getByTestId('people-results').getByRole('link', {
          name: admin.email,
        });
        await expect(personLink).toBeVisible();
        await expectAccessibleIn(page, locale, 'people search with results');

        await personLink.click();
        await expect(ui.heading).toHaveText(admin.displayName);
        await expect(main.getByTestId('timeline')).toBeVisible();
        await expectAccessibleIn(page, locale, 'person page');

        await main.getByRole('link', { name: t(locale, 'staff.navReports') }).click();
        await expect(ui.heading).toHaveText(t(locale, 'report.heading', { INTERPOLATION: 30 }));
        await expect(main.locator('canvas[role="img"]')).toHaveCount(5);
        await expectAccessibleIn(page, locale, 'reports');
      } finally {
        await context.close();
      }
    }
  });
});
