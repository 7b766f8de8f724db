import type { Page, Response } from '@playwright/test';

import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { tabTo } from './support/keyboard';
import { chooseNewPassword, controls, paths, signIn } from './support/portal';
import { shoot, shootBothSizes } from './support/screenshots';
import { enrolByApi, failSecondFactor, signInWithFactor } from './support/second-factor';

/** Not the password the person has (the API may refuse a recent one). */
const NEW_PASSWORD = 'amber glacier hums in october';
/** An option of chart.js: a string the minifier keeps, in chart.js's chunk and nowhere else. */
const CHART_JS_MARK = 'maintainAspectRatio';

/** From the home page into the staff area, the way staff get there (the token lives in memory). */
async function openStaffArea(page: Page): Promise<void> {
  await page
    .getByRole('main')
    .getByRole('link', { name: 'Staff area: find people, reports' })
    .click();
  await expect(controls(page).heading).toHaveText('Find a person');
}

test.describe('staff area', () => {
  test('should let the help desk find a locked-out person and reset their factor, and the person recover from the inbox', async ({
    page,
    browser,
    stack,
  }, testInfo) => {
    // Two authenticators, each code from a later 30-second step than the one before.
    test.setTimeout(180_000);
    const ui = controls(page);
    const main = page.getByRole('main');

    const desk = await stack.createPersonWithPassword('desk');
    const { authenticator: deskCodes } = await enrolByApi(stack, desk);
    await stack.grantRole(desk.email, 'helpdesk');

    // The person lost their phone: five wrong codes in a sign-in, then more as time went by.
    const person = await stack.createPersonWithPassword('lockedout');
    const { authenticator: lostPhone } = await enrolByApi(stack, person);
    await failSecondFactor(stack, person, lostPhone, 5);
    await stack.throttleSecondFactorOf(person.email, 13);

    await signInWithFactor(page, desk, deskCodes);
    await openStaffArea(page);
    await expect(main.getByRole('link', { name: 'People' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expectNoSeriousViolations(page, 'people search');

    // Search with the keyboard: type, Enter; the count is announced in a status.
    const query = main.getByLabel('Email address or name', { exact: true });
    await tabTo(page, query);
    await page.keyboard.type(person.email.split('@')[0] ?? '');
    await page.keyboard.press('Enter');
    await expect(main.getByTestId('people-count')).toHaveText('1 person found.');
    await expect(main.getByTestId('people-count')).toHaveAttribute('role', 'status');
    const row = main
      .getByTestId('people-results')
      .getByRole('row')
      .filter({ hasText: person.email });
    await expect(row).toContainText('Throttled');
    await expect(row).toContainText('Two-step on');
    await shootBothSizes(page, testInfo, 'staff-people');
    await expectNoSeriousViolations(page, 'people search with results');

    const personLink = row.getByRole('link', { name: person.email });
    await tabTo(page, personLink);
    await page.keyboard.press('Enter');
    await expect(ui.heading).toHaveText(person.displayName);
    await expect(main.getByTestId('second-factor-state')).toContainText(
      'Throttled after 13 failures in a row',
    );
    await expect(main.getByTestId('timeline')).toContainText('Wrong two-step code');
    await shootBothSizes(page, testInfo, 'staff-person');
    await expectNoSeriousViolations(page, 'person page');

    // The confirmation: a modal dialog, Cancel first; Escape closes it and gives focus back.
    const resetFactor = main.getByRole('button', { name: 'Reset two-step verification' });
    await tabTo(page, resetFactor);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Reset two-step verification?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectNoSeriousViolations(page, 'confirmation dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(resetFactor).toBeFocused();

    const factorMail = stack.mail.mark();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Reset two-step verification' })).toBeFocused();
    await page.keyboard.press('Enter');
    const outcome = main.locator('#person-outcome');
    await expect(outcome).toHaveText(/Two-step verification of .+ is off/);
    await expect(outcome).toHaveAttribute('role', 'status');
    await expect(outcome).toBeFocused();
    await expect(main.getByTestId('person-status')).toContainText('Off');
    await expect(main.getByTestId('second-factor-state')).toHaveText('Normal');
    await expect(resetFactor).toHaveCount(0);
    await expect(main.getByTestId('timeline')).toContainText(
      'Two-step verification reset by the help desk',
    );
    await stack.mail.waitFor(person.email, { after: factorMail });

    const linkMail = stack.mail.mark();
    await main.getByRole('button', { name: 'Send a reset link' }).click();
    await page
      .getByRole('dialog', { name: 'Send a reset link?' })
      .getByRole('button', { name: 'Send the link' })
      .click();
    await expect(outcome).toHaveText(`A reset link is on its way to ${person.email}.`);
    await expect(main.getByTestId('timeline')).toContainText('Reset link sent by the help desk');
    const { link } = await stack.resetLinkFor(person.email, linkMail);

    // The person, in a browser of their own: the link asks for no factor now.
    const theirs = await browser.newContext({ baseURL: stack.origin });
    try {
      const theirPage = await theirs.newPage();
      const their = controls(theirPage);
      await theirPage.goto(link);
      await expect(their.heading).toHaveText('Choose a new password');
      await chooseNewPassword(theirPage, NEW_PASSWORD);
      await expect(their.heading).toHaveText('Password changed');
      await signIn(theirPage, { email: person.email, password: NEW_PASSWORD });
      await expect(their.signedInUser).toContainText(person.email);
    } finally {
      await theirs.close();
    }
  });

  test('should draw the reports of the last 30 days with a table beside each chart, loading chart.js only there', async ({
    page,
    stack,
  }, testInfo) => {
    test.setTimeout(120_000);
    const main = page.getByRole('main');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const scripts: { response: Response; atReports: boolean }[] = [];
    let atReports = false;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) scripts.push({ response, atReports });
    });

    const admin = await stack.createPersonWithPassword('admin');
    const { authenticator } = await enrolByApi(stack, admin);
    await stack.grantRole(admin.email, 'admin');
    await signInWithFactor(page, admin, authenticator);
    await openStaffArea(page);

    atReports = true;
    await main.getByRole('link', { name: 'Reports' }).click();
    await expect(controls(page).heading).toHaveText('Recovery in the last 30 days');
    await expect(main.getByRole('link', { name: 'Reports' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const charts = main.locator('canvas[role="img"]');
    await expect(charts).toHaveCount(5);
    // chart.js sizes a canvas it has drawn on.
    for (const chart of await charts.all()) {
      await expect(chart).toHaveAttribute('style', /width/);
      await expect(chart).toHaveAttribute('aria-label', /chart of/);
    }
    const tables = main.locator('.report-chart table');
    await expect(tables).toHaveCount(5);
    for (const table of await tables.all()) {
      await expect(table.locator('tbody tr')).toHaveCount(30);
    }
    await expect(main.getByTestId('report-totals')).toContainText('Success rate');
    // The tables scroll in their own region, which the keyboard reaches.
    await tabTo(page, main.getByRole('region', { name: 'Reset requests, day by day' }));
    await expectNoSeriousViolations(page, 'reports');
    await shoot(page, testInfo, 'staff-reports-desktop');

    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => charts.first().evaluate((canvas) => canvas.getBoundingClientRect().width))
      .toBeLessThan(360);
    await shoot(page, testInfo, 'staff-reports-mobile');
    await expectNoSeriousViolations(page, 'reports at 360 px');

    const bodies = await Promise.all(
      scripts.map(async (script) => ({
        ...script,
        text: (await script.response.body()).toString(),
      })),
    );
    expect(bodies.filter((s) => !s.atReports && s.text.includes(CHART_JS_MARK))).toEqual([]);
    expect(bodies.filter((s) => s.atReports && s.text.includes(CHART_JS_MARK))).toHaveLength(1);
  });

  test('should lead staff without a second factor to their account page, and keep everyone else out', async ({
    page,
    stack,
  }) => {
    const main = page.getByRole('main');
    const newcomer = await stack.createPersonWithPassword('newcomer');
    await stack.grantRole(newcomer.email, 'helpdesk');
    await signIn(page, newcomer);
    await main.getByRole('link', { name: 'Staff area: find people, reports' }).click();
    await expect(controls(page).heading).toHaveText('Add two-step verification first');
    await expectNoSeriousViolations(page, 'staff area without a factor');
    await main.getByRole('link', { name: 'Go to your account' }).click();
    await expect(controls(page).signedInUser).toContainText(newcomer.email);
    await controls(page).signOut.click();

    // Not staff: no link, and the address leads home.
    const visitor = await stack.createPersonWithPassword('visitor');
    await signIn(page, visitor);
    await expect(main.getByRole('link', { name: /Staff area/ })).toHaveCount(0);
    await page.evaluate(() => {
      history.pushState(null, '', '/admin');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await expect(page).toHaveURL(`${paths.home}`);
    await expect(controls(page).signedInUser).toContainText(visitor.email);
  });
});
