import { DEFAULT_LOCALE, PORTAL_ROUTES, type Locale } from '@account-recovery/contracts';

import { expect, type Locator, type Page } from '@playwright/test';

import { t } from './catalog';
import type { Person } from './stack';

/** The neutral answer to every forgot-password request (docs/architecture.md §3). */
export const LINK_SENT_MESSAGE = t(DEFAULT_LOCALE, 'forgot.sent');

export const paths = {
  home: `/${PORTAL_ROUTES.home}`,
  login: `/${PORTAL_ROUTES.login}`,
  forgotPassword: `/${PORTAL_ROUTES.forgotPassword}`,
  resetPassword: `/${PORTAL_ROUTES.resetPassword}`,
} as const;

/**
 * The portal's controls, found the way assistive technology finds them: by role and name, in
 * the page's language (the names come from the portal's catalogs, see catalog.ts).
 */
export function controls(page: Page, locale: Locale = DEFAULT_LOCALE) {
  const main = page.getByRole('main');
  const name = (id: string): string => t(locale, id);
  return {
    heading: main.getByRole('heading', { level: 1 }),
    email: main.getByLabel(name('common.emailLabel'), { exact: true }),
    password: main.getByLabel(name('login.passwordLabel'), { exact: true }),
    newPassword: main.getByLabel(name('reset.newPasswordLabel'), { exact: true }),
    confirmPassword: main.getByLabel(name('reset.confirmPasswordLabel'), { exact: true }),
    showNewPassword: main.getByRole('button', { name: name('reset.showNewPassword') }),
    sendLink: main.getByRole('button', { name: name('forgot.submit') }),
    setPassword: main.getByRole('button', { name: name('reset.submit') }),
    signIn: main.getByRole('button', { name: name('login.submit') }),
    signInLink: main.getByRole('link', { name: name('reset.goToLogin'), exact: true }),
    signOut: main.getByRole('button', { name: name('home.signOut') }),
    requestNewLink: main.getByRole('link', { name: name('reset.requestNewLink') }),
    status: main.getByRole('status'),
    alert: main.getByRole('alert'),
    signedInUser: main.getByTestId('signed-in-user'),
    sectionHeading: main.getByRole('heading', { level: 2 }),
    authCode: main.getByLabel(name('secondFactor.totpLabel'), { exact: true }),
    recoveryCode: main.getByLabel(name('secondFactor.recoveryLabel'), { exact: true }),
    useRecoveryCode: main.getByRole('button', { name: name('secondFactor.useRecovery') }),
    verify: main.getByRole('button', { name: name('login.verify') }),
    continue: main.getByRole('button', { name: name('resetCode.submit'), exact: true }),
    haveCode: main.getByRole('button', { name: name('forgot.haveCode') }),
    emailCode: main.getByLabel(name('resetCode.label'), { exact: true }),
    /** The alert of one field, by the field's id: scoped, so other alerts never match. */
    fieldAlert: (fieldId: string): Locator => main.locator(`#${fieldId}-error`),
    /** An item of the password checklist, by the words of its rule. */
    rule: (words: string): Locator =>
      main.getByTestId('password-policy').getByRole('listitem').filter({ hasText: words }),
  };
}

export async function requestLinkInPortal(
  page: Page,
  email: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  const ui = controls(page, locale);
  await page.goto(paths.forgotPassword);
  await ui.email.fill(email);
  await ui.sendLink.click();
  await expect(ui.status).toContainText(t(locale, 'forgot.sent'));
}

/** Opens an emailed link and waits until the page has checked it and shows the form. */
export async function openResetLink(
  page: Page,
  link: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  await page.goto(link);
  await expect(controls(page, locale).newPassword).toBeVisible();
}

export async function chooseNewPassword(
  page: Page,
  password: string,
  confirmation = password,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  const ui = controls(page, locale);
  await ui.newPassword.fill(password);
  await ui.confirmPassword.fill(confirmation);
  await ui.setPassword.click();
}

export async function signIn(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  await enterPassword(page, person, locale);
  await expect(controls(page, locale).signedInUser).toContainText(person.email);
}

/** The first step of a sign-in; an account with a second factor stops at the code step. */
export async function enterPassword(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  const ui = controls(page, locale);
  await page.goto(paths.login);
  await ui.email.fill(person.email);
  await ui.password.fill(person.password);
  await ui.signIn.click();
}
