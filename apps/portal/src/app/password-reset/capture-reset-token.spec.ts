import { captureResetTokenFromUrl, type CaptureWindow } from './capture-reset-token';

describe('captureResetTokenFromUrl', () => {
  /** A window whose address changes as a browser's does when the history entry is replaced. */
  function fakeWindow(pathname: string, hash = '') {
    const location = { pathname, hash };
    const replaceState = jest.fn((_state: unknown, _unused: string, url: string) => {
      const parsed = new URL(url, 'https://portal.example.com');
      location.pathname = parsed.pathname;
      location.hash = parsed.hash;
    });
    const win: CaptureWindow = { location, history: { replaceState, state: { navigationId: 1 } } };
    return { win, replaceState };
  }

  it('should return the token and replace the address with /reset-password', () => {
    const { win, replaceState } = fakeWindow('/reset-password/Abc_def-123');
    expect(captureResetTokenFromUrl(win, '/')).toBe('Abc_def-123');
    expect(replaceState).toHaveBeenCalledWith({ navigationId: 1 }, '', '/reset-password');
  });

  it("should keep the routes' path prefix, whatever the document's base", () => {
    const { win, replaceState } = fakeWindow('/account/reset-password/tok');
    expect(captureResetTokenFromUrl(win, '/account')).toBe('tok');
    expect(replaceState).toHaveBeenCalledWith(expect.anything(), '', '/account/reset-password');
    // A language's files sit under /de/, its routes do not.
    expect(captureResetTokenFromUrl(fakeWindow('/de/reset-password/tok').win, '/')).toBeNull();
  });

  it("should take the token of the language menu's reload from the fragment", () => {
    const { win, replaceState } = fakeWindow('/reset-password', '#Abc_def%2D123');
    expect(captureResetTokenFromUrl(win, '/')).toBe('Abc_def-123');
    expect(replaceState).toHaveBeenCalledWith({ navigationId: 1 }, '', '/reset-password');
    // Only on the reset page, and never an empty fragment.
    expect(captureResetTokenFromUrl(fakeWindow('/login', '#tok').win, '/')).toBeNull();
    const empty = fakeWindow('/reset-password', '#');
    expect(captureResetTokenFromUrl(empty.win, '/')).toBeNull();
    expect(empty.replaceState).not.toHaveBeenCalled();
  });

  it('should decode an escaped token and still strip a malformed one', () => {
    expect(captureResetTokenFromUrl(fakeWindow('/reset-password/a%2Db').win, '/')).toBe('a-b');
    const { win, replaceState } = fakeWindow('/reset-password/%E0%A4%A');
    expect(captureResetTokenFromUrl(win, '/')).toBe('%E0%A4%A');
    expect(replaceState).toHaveBeenCalled();
  });

  it('should strip extra segments too, and return null for an empty token', () => {
    const extra = fakeWindow('/reset-password/tok/more');
    expect(captureResetTokenFromUrl(extra.win, '/')).toBe('tok');
    expect(extra.replaceState).toHaveBeenCalledWith(expect.anything(), '', '/reset-password');
    const empty = fakeWindow('/reset-password/');
    expect(captureResetTokenFromUrl(empty.win, '/')).toBeNull();
    expect(empty.replaceState).toHaveBeenCalled();
  });

  it.each(['/', '/login', '/reset-password', '/reset-passwords/tok', '/x/reset-password/tok'])(
    'should leave %s alone',
    (pathname) => {
      const { win, replaceState } = fakeWindow(pathname);
      expect(captureResetTokenFromUrl(win, '/')).toBeNull();
      expect(replaceState).not.toHaveBeenCalled();
    },
  );
});
