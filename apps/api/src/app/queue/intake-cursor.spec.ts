import { IntakeCursor } from './intake-cursor';

const START = IntakeCursor.FROM_THE_START;

describe('IntakeCursor', () => {
  let now = 0;
  const cursor = () => new IntakeCursor(2000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('should start with a full pass, then go on after the last committed move', () => {
    const c = cursor();
    expect(c.next()).toBe(START);
    c.moved('2000');
    expect(c.next()).toBe('2000');
    c.moved('4000');
    expect(c.next()).toBe('4000');
  });

  it('should stay put after a move that took nothing or rolled back', () => {
    const c = cursor();
    c.next();
    c.moved('2000');
    c.next();
    c.moved(null);
    expect(c.next()).toBe('2000');
    // A rolled-back move never reports: the next one starts where that one did.
    expect(c.next()).toBe('2000');
  });

  it('should keep full-passing until a move has committed rows', () => {
    const c = cursor();
    expect(c.next()).toBe(START);
    c.moved(null);
    expect(c.next()).toBe(START);
  });

  it('should make a full pass again once the interval has passed, however busy', () => {
    const c = cursor();
    c.next();
    c.moved('2000');
    for (let i = 1; i <= 19; i++) {
      now += 100;
      expect(c.next()).toBe(String(2000 * i));
      c.moved(String(2000 * (i + 1)));
    }
    now += 100;
    expect(c.next()).toBe(START);
    // The interval counts from that pass's start.
    c.moved('100');
    now += 1999;
    expect(c.next()).toBe('100');
    now += 1;
    expect(c.next()).toBe(START);
  });

  it('should follow a full pass that ended below the cursor (stragglers taken)', () => {
    const c = cursor();
    c.next();
    c.moved('9000');
    now += 2000;
    expect(c.next()).toBe(START);
    c.moved('4500');
    expect(c.next()).toBe('4500');
  });
});
