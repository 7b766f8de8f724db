import { ForegroundLoad } from './foreground-load';

describe('ForegroundLoad', () => {
  const arrivals = (load: ForegroundLoad, count: number, at: number) => {
    for (let i = 0; i < count; i++) load.arrived(at);
  };

  it('should stay calm at the rate people ask for links', () => {
    const load = new ForegroundLoad();
    // 50 requests a second for 3 s: 5 per 100 ms window.
    for (let ms = 0; ms < 3000; ms += 20) {
      load.arrived(ms);
      expect(load.isBusy(ms)).toBe(false);
    }
  });

  it('should be busy during a burst and for one window after it', () => {
    const load = new ForegroundLoad();
    arrivals(load, 49, 1000);
    expect(load.isBusy(1050)).toBe(false);
    load.arrived(1060);
    expect(load.isBusy(1060)).toBe(true);
    // The burst's window is the previous one for the next 100 ms...
    expect(load.isBusy(1150)).toBe(true);
    // ...and forgotten once a whole quiet window has passed.
    expect(load.isBusy(1210)).toBe(false);
  });

  it('should forget a burst after a long silence', () => {
    const load = new ForegroundLoad();
    arrivals(load, 80, 500);
    expect(load.isBusy(520)).toBe(true);
    expect(load.isBusy(60_000)).toBe(false);
    load.arrived(60_001);
    expect(load.isBusy(60_002)).toBe(false);
  });
});
