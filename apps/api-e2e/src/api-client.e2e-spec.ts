import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { createAccountRecoveryClient } from '@account-recovery/api-client';
import {
  ApiProcess,
  generateWebhookSecret,
  MailCatcher,
  PORTAL_URL,
  tokenFromMail,
  WebhookReceiver,
} from '@account-recovery/testing';

const API_KEY = 'e2e-client-key-0123456789abc';
const ROOT = resolve(__dirname, '../../..');

/**
 * What the README promises a service: onboard a person end to end with the generated
 * client and the webhooks (create → invitation email → password set → password.changed).
 */
describe('the typed client (libs/api-client)', () => {
  const mail = new MailCatcher();
  const receiver = new WebhookReceiver(generateWebhookSecret());
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    await receiver.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      WEBHOOK_ENDPOINTS: `${receiver.url}=${receiver.secret}`,
    });
  });

  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
    await mail.stop();
  });

  it('should onboard a person: create, invitation, password set, password.changed webhook', async () => {
    const service = createAccountRecoveryClient({ baseUrl: api.baseUrl, apiKey: API_KEY });
    const created = await service.POST('/api/v1/users', {
      body: { email: 'onboarded@example.com', displayName: 'Onboarded Person' },
    });
    expect(created.response.status).toBe(201);
    const userId = created.data?.id as string;
    expect(created.data).toMatchObject({ email: 'onboarded@example.com', hasPassword: false });

    const token = tokenFromMail(await mail.waitFor('onboarded@example.com'), PORTAL_URL);
    const anonymous = createAccountRecoveryClient({ baseUrl: api.baseUrl });
    const password = 'first light over the harbour';
    const reset = await anonymous.POST('/api/v1/auth/reset-password', {
      body: { token, newPassword: password },
    });
    expect(reset.data).toEqual({ message: 'Password reset successful' });

    const login = await anonymous.POST('/api/v1/auth/login', {
      body: { email: 'onboarded@example.com', password },
    });
    // No second factor here: the sign-in answer is a session, not a challenge.
    const session = login.data && 'accessToken' in login.data ? login.data : null;
    expect(session?.tokenType).toBe('Bearer');
    const person = createAccountRecoveryClient({
      baseUrl: api.baseUrl,
      accessToken: session?.accessToken,
    });
    const me = await person.GET('/api/v1/auth/me');
    expect(me.data).toEqual({
      id: userId,
      email: 'onboarded@example.com',
      displayName: 'Onboarded Person',
      locale: null,
      roles: [],
      mfa: { totp: false, recoveryCodesLeft: 0 },
    });

    const read = await service.GET('/api/v1/users/{id}', { params: { path: { id: userId } } });
    expect(read.data?.hasPassword).toBe(true);

    const changed = await receiver.waitFor(
      (delivery) =>
        delivery.payload?.type === 'password.changed' &&
        delivery.payload.data?.['userId'] === userId,
    );
    expect(changed.verified).toBe(true);
    expect(changed.body).not.toContain(password);
    expect(changed.body).not.toContain(token);

    const forced = await service.POST('/api/v1/users/{id}/password-reset', {
      params: { path: { id: userId } },
      body: { revokeSessions: true },
    });
    expect(forced.response.status).toBe(202);
    const removed = await service.DELETE('/api/v1/users/{id}', {
      params: { path: { id: userId } },
    });
    expect(removed.response.status).toBe(204);
    await receiver.waitFor(
      (delivery) =>
        delivery.payload?.type === 'user.deleted' && delivery.payload.data?.['userId'] === userId,
    );
    // Every event of this user, signed, once each, in the order the changes happened.
    const events = receiver.forUser(userId);
    expect(events.every((delivery) => delivery.verified)).toBe(true);
    expect([...new Map(events.map((d) => [d.id, d.payload?.type])).values()]).toEqual([
      'user.invited',
      'password.changed',
      'password.reset_requested_by_service',
      'user.deleted',
    ]);
  });

  it('should surface the contract error shape as typed errors', async () => {
    const service = createAccountRecoveryClient({
      baseUrl: api.baseUrl,
      apiKey: 'not-the-key-0123456789',
    });
    const refused = await service.GET('/api/v1/users/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });

  it('should be generated from the committed OpenAPI document', () => {
    const generated = execFileSync(
      process.execPath,
      [
        resolve(ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
        resolve(ROOT, 'apps/api/openapi.json'),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const committed = readFileSync(resolve(ROOT, 'libs/api-client/src/lib/schema.d.ts'), 'utf8');
    expect(generated.trim()).toBe(committed.trim());
  });
});
