import { IntakeMover } from './intake-mover';
import { decideMove, intakeColumns, ResetRequestJob, TakenRequest } from './reset-intake';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function request(address: string, known: boolean): TakenRequest {
  return {
    known,
    job: {
      kind: 'reset-request',
      email: address.toUpperCase(),
      address,
      ip: '192.0.2.1',
      userAgent: null,
      requestedAt: '2026-01-01T00:00:00.000Z',
    },
  };
}

const addresses = (jobs: ResetRequestJob[]) => jobs.map((job) => job.address);

describe('decideMove', () => {
  it('should turn every request of a quiet intake into a job, unknown addresses too', () => {
    const taken = [request('a@x.test', false), request('b@x.test', true)];
    const decision = decideMove(taken, 16);
    expect(decision.busy).toBe(false);
    expect(addresses(decision.jobs)).toEqual(['a@x.test', 'b@x.test']);
    expect(decision.dropped).toBe(0);
  });

  it('should keep a lone unknown request as a job', () => {
    const decision = decideMove([request('nobody@x.test', false)], 16);
    expect(addresses(decision.jobs)).toEqual(['nobody@x.test']);
  });

  it('should queue only known addresses of a busy intake, in order, and count the rest', () => {
    const taken = Array.from({ length: 16 }, (_, i) => request(`u${i}@x.test`, i % 5 === 0));
    const decision = decideMove(taken, 16);
    expect(decision.busy).toBe(true);
    expect(addresses(decision.jobs)).toEqual([
      'u0@x.test',
      'u5@x.test',
      'u10@x.test',
      'u15@x.test',
    ]);
    expect(decision.dropped).toBe(12);
  });

  it('should decide busy from how many were taken, never from which', () => {
    const allUnknown = Array.from({ length: 15 }, (_, i) => request(`u${i}@x.test`, false));
    const allKnown = Array.from({ length: 15 }, (_, i) => request(`u${i}@x.test`, true));
    expect(decideMove(allUnknown, 16).busy).toBe(false);
    expect(decideMove(allKnown, 16).busy).toBe(false);
    expect(decideMove([...allUnknown, request('x@x.test', false)], 16).busy).toBe(true);
    expect(decideMove([...allKnown, request('x@x.test', true)], 16).busy).toBe(true);
  });

  it('should lay the requests out as one array per column for the INSERT', () => {
    const jobs = [
      request('a@x.test', false).job,
      { ...request('b@x.test', false).job, locale: 'ja' as const },
    ];
    expect(intakeColumns(jobs)).toEqual([
      ['A@X.TEST', 'B@X.TEST'],
      ['a@x.test', 'b@x.test'],
      ['192.0.2.1', '192.0.2.1'],
      [null, null],
      ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      [null, 'ja'],
    ]);
  });
});

describe('IntakeMover', () => {
  it('should move again at once after a full move, then on a jittered rhythm, and stop', async () => {
    const movedAt: number[] = [];
    // Three full moves, then empty ones.
    const mover = new IntakeMover({
      limit: 100,
      intervalMs: 50,
      move: async () => {
        movedAt.push(Date.now());
        return movedAt.length <= 3 ? 100 : 0;
      },
    });
    mover.start();
    await until(() => movedAt.length >= 8);
    await mover.stop();
    // The first four came back to back, the later ones 25 to 75 ms apart.
    expect(movedAt[3] - movedAt[0]).toBeLessThan(20);
    const gaps = movedAt.slice(4).map((at, i) => at - movedAt[3 + i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(24);
    expect(Math.max(...gaps)).toBeLessThan(200);
    const count = movedAt.length;
    await sleep(150);
    expect(movedAt.length).toBe(count);
  });

  it('should let a move in progress finish before stop resolves', async () => {
    let finished = false;
    const mover = new IntakeMover({
      limit: 100,
      intervalMs: 10,
      move: async () => {
        await sleep(50);
        finished = true;
        return 0;
      },
    });
    mover.start();
    await sleep(5);
    await mover.stop();
    expect(finished).toBe(true);
  });

  it('should keep moving after a failed move', async () => {
    let calls = 0;
    const mover = new IntakeMover({
      limit: 100,
      intervalMs: 10,
      move: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database gone');
        return 0;
      },
    });
    mover.start();
    await until(() => calls >= 3);
    await mover.stop();
  });
});
