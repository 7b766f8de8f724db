import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { SecondFactorSteps } from './support/second-factor';

const API_KEY = 'e2e-service-key-staff-protection-0123';
const PASSWORD = 'amber lantern over the quiet harbour';
const USERS = '/api/v1/users';

/**
 * Staff accounts are acted on only by an administrator or the operator's CLI
 * (docs/architecture.md §11). Without this, the help desk (`mfa:write`) could remove an
 * administrator's second factor, and a service key could move a staff account to its own
 * mailbox and send itself the link: a lower privilege making itself an administrator.
 */
describe('actions on staff accounts', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);
  const key = { 'x-api-key': API_KEY };
  let desk: Record<string, string>;
  let admin: Record<string, string>;
  let adminId = '';
  let otherDeskId = '';
  let personId = '';

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
    desk = await staffSession('desk@example.com', 'helpdesk');
    admin = await staffSession('admin@example.com', 'admin');
    adminId = await idOf('admin@example.com');
    await staffSession('desk.two@example.com', 'helpdesk');
    otherDeskId = await idOf('desk.two@example.com');
    personId = await steps.createUserWithPassword('person@example.com', PASSWORD);
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  async function idOf(email: string): Promise<string> {
    const [row] = await api.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
    return row.id;
  }

  /** A staff member with a factor, signed in with it. */
  async function staffSession(email: string, role: string): Promise<Record<string, string>> {
    await steps.createUserWithPassword(email, PASSWORD);
    await steps.grant(email, role);
    const { authenticator } = await steps.enrol(await steps.bearer(email, PASSWORD));
    return steps.signInWithFactor(email, PASSWORD, authenticator);
  }

  const factors = async (userId: string) =>
    (
      await api.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM mfa_factors WHERE user_id = $1`,
        [userId],
      )
    )[0].n;

  const protectedAnswer = { status: 403, body: { code: 'STAFF_ACCOUNT_PROTECTED' } };

  it("should refuse the help desk every action on an administrator's account", async () => {
    const before = await api.query(`SELECT count(*)::int AS n FROM security_events`);
    expect(await api.request('DELETE', `${USERS}/${adminId}/mfa`, undefined, desk)).toMatchObject(
      protectedAnswer,
    );
    expect(await api.post(`${USERS}/${adminId}/password-reset`, {}, desk)).toMatchObject(
      protectedAnswer,
    );
    expect(await api.post(`${USERS}/${adminId}/sessions/revoke`, {}, desk)).toMatchObject(
      protectedAnswer,
    );
    // Nor another help-desk member's: a role is a role.
    expect(
      await api.request('DELETE', `${USERS}/${otherDeskId}/mfa`, undefined, desk),
    ).toMatchObject(protectedAnswer);
    expect(await factors(adminId)).toBe(1);
    expect(await factors(otherDeskId)).toBe(1);
    // Refused actions change nothing and record nothing.
    expect(await api.query(`SELECT count(*)::int AS n FROM security_events`)).toEqual(before);
  });

  it('should refuse a service key with every scope any change to a staff account', async () => {
    expect(
      await api.request('PATCH', `${USERS}/${adminId}`, { email: 'mallory@example.net' }, key),
    ).toMatchObject(protectedAnswer);
    expect(await api.request('DELETE', `${USERS}/${adminId}/mfa`, undefined, key)).toMatchObject(
      protectedAnswer,
    );
    expect(await api.post(`${USERS}/${adminId}/password-reset`, {}, key)).toMatchObject(
      protectedAnswer,
    );
    expect(await api.request('DELETE', `${USERS}/${adminId}`, undefined, key)).toMatchObject(
      protectedAnswer,
    );
    const [row] = await api.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [
      adminId,
    ]);
    expect(row.email).toBe('admin@example.com');
    // Reading stays allowed: the help desk and services still see who is staff.
    expect((await api.get(`${USERS}/${adminId}`, key)).status).toBe(200);
  });

  it("should let an administrator reset a help-desk member's lost factor", async () => {
    expect(
      (await api.request('DELETE', `${USERS}/${otherDeskId}/mfa`, undefined, admin)).status,
    ).toBe(204);
    expect(await factors(otherDeskId)).toBe(0);
  });

  it('should still let the help desk and services act on everyone else', async () => {
    expect((await api.post(`${USERS}/${personId}/sessions/revoke`, {}, desk)).status).toBe(204);
    expect((await api.post(`${USERS}/${personId}/password-reset`, {}, key)).status).toBe(202);
  });

  it('should record no change when a PATCH changes nothing', async () => {
    const name = { displayName: 'Pat Person' };
    expect((await api.request('PATCH', `${USERS}/${personId}`, name, key)).status).toBe(200);
    expect((await api.request('PATCH', `${USERS}/${personId}`, name, key)).status).toBe(200);
    const changed = await api.query(
      `SELECT details FROM security_events WHERE user_id = $1 AND type = 'user.changed'`,
      [personId],
    );
    expect(changed).toEqual([{ details: { email: false, displayName: true, locale: false } }]);
  });
});
