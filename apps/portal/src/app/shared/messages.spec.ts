import { tooManyAttemptsMessage } from './messages';

describe('tooManyAttemptsMessage', () => {
  it("should word the wait with the language's own plural forms", () => {
    expect(tooManyAttemptsMessage(1)).toBe('Too many attempts — try again in 1 second.');
    expect(tooManyAttemptsMessage(30)).toBe('Too many attempts — try again in 30 seconds.');
    expect(tooManyAttemptsMessage(null)).toBe('Too many attempts — try again later.');
  });
});
