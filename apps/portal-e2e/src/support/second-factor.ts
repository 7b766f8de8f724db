import { API_PATHS, DEFAULT_LOCALE, type Locale } from '@account-recovery/contracts';
import { TestAuthenticator, type ReceivedMail } from '@account-recovery/testing';

import { expect, type Page } from '@playwright/test';

import { controls, enterPassword } from './portal';
import type { Person, Stack } from './stack';

export interface Enrolment {
  /** Codes from the secret, each from a later 30-second step than the one before. */
  authenticator: TestAuthenticator;
  recoveryCodes: string[];
}

/** Adds and confirms an authenticator over the API, as the account page would. */
export async function enrolByApi(stack: Stack, person: Person): Promise<Enrolment> {
  const login = await stack.api.post(API_PATHS.login, {
    email: person.email,
    password: person.password,
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  const auth = { authorization: `Bearer ${login.body['accessToken'] as string}` };
  const started = await stack.api.post(API_PATHS.mfaTotp, undefined, auth);
  if (started.status !== 200) throw new Error(`enrol: ${started.status} ${started.text}`);
  const authenticator = new TestAuthenticator(started.body['secret'] as string);
  const confirmed = await stack.api.post(
    API_PATHS.mfaTotpConfirm,
    { code: await authenticator.nextCode() },
    auth,
  );
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.text}`);
  return { authenticator, recoveryCodes: confirmed.body['recoveryCodes'] as string[] };
}

/** The 8-digit code of a reset email, on a line of its own below the link. */
export function resetCodeFrom(mail: ReceivedMail): string {
  const match = /^\s*(\d{8})\s*$/m.exec(mail.text);
  if (match?.[1] === undefined) throw new Error(`no 8-digit code in "${mail.subject}"`);
  return match[1];
}

/** Signs in with the password and gives the factor `times` wrong codes (at most 5: one challenge). */
export async function failSecondFactor(
  stack: Stack,
  person: Person,
  authenticator: TestAuthenticator,
  times: number,
): Promise<void> {
  const login = await stack.api.post(API_PATHS.login, {
    email: person.email,
    password: person.password,
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  const challengeToken = login.body['challengeToken'] as string;
  for (let attempt = 0; attempt < times; attempt += 1) {
    const answer = await stack.api.post(API_PATHS.loginMfa, {
      challengeToken,
      code: authenticator.wrongCode(),
    });
    if (answer.status !== 400 && answer.status !== 401) {
      throw new Error(`a wrong code answered ${answer.status} ${answer.text}`);
    }
  }
}

/** Signs in with the password and the authenticator's next code, as staff must. */
export async function signInWithFactor(
  page: Page,
  person: Person,
  authenticator: TestAuthenticator,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  const ui = controls(page, locale);
  await enterPassword(page, person, locale);
  await ui.authCode.fill(await authenticator.nextCode());
  await ui.verify.click();
  await expect(ui.signedInUser).toContainText(person.email);
}
