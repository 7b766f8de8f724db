import { ApiProcess } from '@account-recovery/testing';

import { API_KEY_HEADER, ROUTES } from './support/service-api';

const API_KEY = 'e2e-queued-metric-key-0123456789';
const QUEUED_INVITATIONS = 'account_recovery_emails_total{template="invitation",outcome="queued"}';

/**
 * An email enqueued inside a caller's transaction exists only if that transaction commits;
 * the "queued" count must say the same. The test makes the commit itself fail: a deferred
 * constraint trigger refuses one address at COMMIT, after the job was written.
 */
describe('emails queued inside a transaction that rolls back', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start({ PROCESS_ROLE: 'api', SERVICE_API_KEYS: API_KEY });
    await api.query(`
      CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await api.query(`
      CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.email LIKE 'rolled.back%') EXECUTE FUNCTION refuse_at_commit()`);
  });

  afterAll(async () => {
    await api?.stop();
  });

  const queued = async (): Promise<number> => {
    const text = (await api.get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(`${QUEUED_INVITATIONS} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };

  it('should not count the job of a rolled-back transaction, and count a committed one', async () => {
    const create = (email: string) =>
      api.post(ROUTES.users, { email }, { [API_KEY_HEADER]: API_KEY });

    expect((await create('rolled.back@example.com')).status).not.toBe(201);
    const [left] = await api.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'account-email'`,
    );
    expect(left.n).toBe(0);
    expect(await queued()).toBe(0);

    expect((await create('committed@example.com')).status).toBe(201);
    expect(await queued()).toBe(1);
  });
});
