import { API_PATHS, ERROR_CODES, type MeResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import {
  apiError,
  buttonNamed,
  mustGetById,
  setUpPortal,
  submitButton,
  textOf,
  typeInto,
  wait,
} from '../../testing/page-testing';
import { HomePage } from '../pages/home/home-page';
import { Session } from '../session/session';

const OFF: MeResponse = {
  id: '9f0c1c0e-5b7a-4d52-9a53-1f4c8e3f6a10',
  email: 'jane.doe@example.com',
  displayName: 'Jane Doe',
  locale: null,
  roles: [],
  mfa: { totp: false, recoveryCodesLeft: 0 },
};
const ON: MeResponse = { ...OFF, mfa: { totp: true, recoveryCodesLeft: 10 } };
const CODES = Array.from({ length: 10 }, (_, i) => `ABCDE-${String(23450 + i)}`);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** jsdom's Blob has no text(); FileReader it has. */
function readText(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (blob === undefined) return reject(new Error('no blob'));
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('SecondFactorSettings on the account page', () => {
  async function openAccount(user: MeResponse) {
    const portal = await setUpPortal();
    TestBed.inject(Session).signIn({
      accessToken: 'access-1',
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    await portal.harness.navigateByUrl('/', HomePage);
    portal.http.expectOne(API_PATHS.me).flush(user);
    await portal.harness.fixture.whenStable();
    return portal;
  }

  async function settle(harness: Awaited<ReturnType<typeof setUpPortal>>['harness']) {
    // The QR code is drawn after a dynamic import: give it a moment, then render.
    await wait(50);
    await harness.fixture.whenStable();
  }

  it('should show the status: off, or on with the codes left', async () => {
    await openAccount(OFF);
    expect(textOf(document.querySelector('[data-testid="mfa-status"]'))).toContain('Off');
    TestBed.resetTestingModule();
    await openAccount({ ...ON, mfa: { totp: true, recoveryCodesLeft: 2 } });
    const status = textOf(document.querySelector('[data-testid="mfa-status"]'));
    expect(status).toContain('On');
    expect(status).toContain('2 left');
    expect(textOf(document.body)).toContain('You are running out of recovery codes.');
  });

  it('should add an authenticator: QR code and key, a code, then the codes shown once', async () => {
    const { harness, http } = await openAccount(OFF);
    buttonNamed('Add an authenticator').click();
    await harness.fixture.whenStable();
    const start = http.expectOne(API_PATHS.mfaTotp);
    expect(start.request.headers.get('Authorization')).toBe('Bearer access-1');
    start.flush({
      secret: SECRET,
      otpauthUri: `otpauth://totp/Account%20Recovery:jane?secret=${SECRET}`,
    });
    await settle(harness);

    expect(document.activeElement).toBe(mustGetById('enrol-title'));
    const qr = document.querySelector<HTMLImageElement>('[data-testid="totp-qr-code"]');
    expect(qr?.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(qr?.getAttribute('alt')).toBe('QR code for your authenticator app');
    expect(textOf(document.querySelector('[data-testid="totp-key"]'))).toBe(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );

    typeInto(mustGetById<HTMLInputElement>('enrol-code'), '000000');
    submitButton().click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.mfaTotpConfirm).flush(...apiError(400, ERROR_CODES.MFA_CODE_INVALID));
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('enrol-code-error'))).toContain('This code is not right.');

    typeInto(mustGetById<HTMLInputElement>('enrol-code'), '123456');
    submitButton().click();
    await harness.fixture.whenStable();
    const confirm = http.expectOne(API_PATHS.mfaTotpConfirm);
    expect(confirm.request.body).toEqual({ code: '123456' });
    confirm.flush({ recoveryCodes: CODES });
    await harness.fixture.whenStable();

    expect(document.activeElement).toBe(mustGetById('codes-title'));
    const shown = Array.from(document.querySelectorAll('[data-testid="recovery-codes"] li'));
    expect(shown.map(textOf)).toEqual(CODES);

    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    buttonNamed('Copy the codes').click();
    await harness.fixture.whenStable();
    expect(writeText).toHaveBeenCalledWith(CODES.join('\n'));
    expect(textOf(document.querySelector('.copy-status'))).toBe('The codes are copied.');

    buttonNamed('I have saved my codes').click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.me).flush(ON);
    await harness.fixture.whenStable();
    expect(textOf(document.body)).toContain('Two-step verification is on.');
    expect(textOf(document.querySelector('[data-testid="mfa-status"]'))).toContain('10 left');
  });

  it('should download the codes as a text file', async () => {
    const { harness, http } = await openAccount(ON);
    buttonNamed('Get new recovery codes').click();
    await harness.fixture.whenStable();
    typeInto(mustGetById<HTMLInputElement>('regenerate-totp-code'), '123456');
    submitButton().click();
    await harness.fixture.whenStable();
    const request = http.expectOne(API_PATHS.mfaRecoveryCodes);
    expect(request.request.body).toEqual({ code: '123456' });
    request.flush({ recoveryCodes: CODES });
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.me).flush(ON);

    const blobs: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:codes';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    buttonNamed('Download as a text file').click();
    await harness.fixture.whenStable();

    expect(click).toHaveBeenCalled();
    expect(blobs[0]?.type).toBe('text/plain;charset=utf-8');
    expect(await readText(blobs[0])).toContain(CODES.join('\n'));
    click.mockRestore();
  });

  it('should send the person to sign in again when the sign-in is too old to add a factor', async () => {
    const { harness, http, location } = await openAccount(OFF);
    buttonNamed('Add an authenticator').click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.mfaTotp).flush(...apiError(401, ERROR_CODES.REAUTH_REQUIRED));
    await harness.fixture.whenStable();

    expect(TestBed.inject(Session).isSignedIn()).toBe(false);
    expect(location.path()).toBe('/login?returnUrl=%2F&reason=reauth');
  });

  it('should remove the factor with a code, after a step that asks to confirm', async () => {
    const { harness, http } = await openAccount(ON);
    buttonNamed('Remove the authenticator').click();
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('mfa-title'))).toBe('Remove the authenticator?');
    expect(document.activeElement).toBe(mustGetById('mfa-title'));

    typeInto(mustGetById<HTMLInputElement>('remove-totp-code'), '123456');
    submitButton().click();
    await harness.fixture.whenStable();
    const request = http.expectOne(API_PATHS.mfa);
    expect(request.request.method).toBe('DELETE');
    expect(request.request.body).toEqual({ code: '123456' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.me).flush(OFF);
    await harness.fixture.whenStable();
    expect(textOf(document.body)).toContain('The authenticator is removed.');
  });
});
