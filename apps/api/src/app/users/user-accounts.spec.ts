import { likePrefix } from './user-accounts';

describe('likePrefix', () => {
  it('should match what starts with the text', () => {
    expect(likePrefix('jane')).toBe('jane%');
  });

  it('should take LIKE metacharacters and the escape character literally', () => {
    expect(likePrefix('100%_sure\\')).toBe('100\\%\\_sure\\\\%');
    expect(likePrefix('%')).toBe('\\%%');
  });
});
