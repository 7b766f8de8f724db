import { PORTAL_ROUTES } from '@account-recovery/contracts';

import { expect, type Locator, type Page } from '@playwright/test';

import type { Person } from './stack';

/** The neutral answer to every forgot-password request (docs/architecture.md §3). */
export const LINK_SENT_MESSAGE = 'If the email exists, a reset link has been sent.';

export const paths = {
  home: `/${PORTAL_ROUTES.home}`,
  login: `/${PORTAL_ROUTES.login}`,
  forgotPassword: `/${PORTAL_ROUTES.forgotPassword}`,
  resetPassword: `/${PORTAL_ROUTES.resetPassword}`,
} as const;

/** The portal's controls, found the way assistive technology finds them: by role and name. */
export function controls(page: Page) {
  const main = page.getByRole('main');
  return {
    heading: main.getByRole('heading', { level: 1 }),
    email: main.getByLabel('Email', { exact: true }),
    password: main.getByLabel('Password', { exact: true }),
    newPassword: main.getByLabel('New password', { exact: true }),
    confirmPassword: main.getByLabel('Confirm new password', { exact: true }),
    showNewPassword: main.getByRole('button', { name: 'Show new password' }),
    sendLink: main.getByRole('button', { name: 'Send reset link' }),
    setPassword: main.getByRole('button', { name: 'Set new password' }),
    signIn: main.getByRole('button', { name: 'Sign in' }),
    signInLink: main.getByRole('link', { name: 'Sign in', exact: true }),
    signOut: main.getByRole('button', { name: 'Sign out' }),
    requestNewLink: main.getByRole('link', { name: 'Request a new link' }),
    status: main.getByRole('status'),
    alert: main.getByRole('alert'),
    signedInUser: main.getByTestId('signed-in-user'),
    sectionHeading: main.getByRole('heading', { level: 2 }),
    authCode: main.getByLabel('Authentication code', { exact: true }),
    recoveryCode: main.getByLabel('Recovery code', { exact: true }),
    useRecoveryCode: main.getByRole('button', { name: 'Use a recovery code instead' }),
    verify: main.getByRole('button', { name: 'Verify and sign in' }),
    continue: main.getByRole('button', { name: 'Continue', exact: true }),
    haveCode: main.getByRole('button', { name: 'I have a code' }),
    emailCode: main.getByLabel('Code from the email', { exact: true }),
    /** The alert of one field, by the field's id: scoped, so other alerts never match. */
    fieldAlert: (fieldId: string): Locator => main.locator(`#${fieldId}-error`),
    /** An item of the password checklist, by the words of its rule. */
    rule: (words: string): Locator =>
      main.getByTestId('password-policy').getByRole('listitem').filter({ hasText: words }),
  };
}

export async function requestLinkInPortal(page: Page, email: string): Promise<void> {
  const ui = controls(page);
  await page.goto(paths.forgotPassword);
  await ui.email.fill(email);
  await ui.sendLink.click();
  await expect(ui.status).toContainText(LINK_SENT_MESSAGE);
}

/** Opens an emailed link and waits until the page has checked it and shows the form. */
export async function openResetLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(controls(page).newPassword).toBeVisible();
}

export async function chooseNewPassword(
  page: Page,
  password: string,
  confirmation = password,
): Promise<void> {
  const ui = controls(page);
  await ui.newPassword.fill(password);
  await ui.confirmPassword.fill(confirmation);
  await ui.setPassword.click();
}

export async function signIn(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
): Promise<void> {
  await enterPassword(page, person);
  await expect(controls(page).signedInUser).toContainText(person.email);
}

/** The first step of a sign-in; an account with a second factor stops at the code step. */
export async function enterPassword(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
): Promise<void> {
  const ui = controls(page);
  await page.goto(paths.login);
  await ui.email.fill(person.email);
  await ui.password.fill(person.password);
  await ui.signIn.click();
}
