import { UserAccount } from '../user-accounts';
import { UserResponseDto } from './user-response.dto';

describe('UserResponseDto', () => {
  const readAt = new Date('2026-12-06T10:00:00.000Z');
  const account: UserAccount = {
    id: '0b6f3c1e-2d4a-4f5b-9c8d-7e6f5a4b3c2d',
    email: 'jane@example.com',
    displayName: 'Jane',
    locale: 'ja',
    roles: ['helpdesk'],
    passwordChangedAt: new Date('2026-12-01T00:00:00.000Z'),
    sessionsRevokedAt: null,
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
    updatedAt: new Date('2026-12-01T00:00:00.000Z'),
    signInFailures: 6,
    signInLastFailedAt: new Date('2026-12-06T09:59:59.500Z'),
    hasSecondFactor: true,
    factorFailures: 100,
    factorLastFailedAt: new Date('2026-12-05T00:00:00.000Z'),
    readAt,
  };

  it('should answer the contract, throttles read against the database clock', () => {
    expect(UserResponseDto.from(account)).toEqual({
      id: account.id,
      email: 'jane@example.com',
      displayName: 'Jane',
      locale: 'ja',
      hasPassword: true,
      passwordChangedAt: '2026-12-01T00:00:00.000Z',
      roles: ['helpdesk'],
      hasSecondFactor: true,
      sessionsRevokedAt: null,
      lockout: {
        // Six failures wait 2 s after the last.
        signIn: { state: 'throttled', failures: 6, until: '2026-12-06T10:00:01.500Z' },
        secondFactor: { state: 'locked', failures: 100, until: null },
      },
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('should carry no counter, hash or clock beyond the contract', () => {
    expect(Object.keys(UserResponseDto.from(account)).sort()).toEqual(
      [
        'createdAt',
        'displayName',
        'email',
        'hasPassword',
        'hasSecondFactor',
        'id',
        'locale',
        'lockout',
        'passwordChangedAt',
        'roles',
        'sessionsRevokedAt',
        'updatedAt',
      ].sort(),
    );
  });

  it('should answer a stored locale the product no longer ships as none', () => {
    expect(UserResponseDto.from({ ...account, locale: 'pt' }).locale).toBeNull();
    expect(UserResponseDto.from({ ...account, locale: null }).locale).toBeNull();
  });
});
