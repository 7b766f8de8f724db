import { scopesOfRoles, SERVICE_SCOPES, STAFF_ROLE_SCOPES } from './api-types';

describe('the role-to-scope map', () => {
  it('should give the help desk what docs/architecture.md §11 lists, and never users:write', () => {
    expect(scopesOfRoles(['helpdesk'])).toEqual([
      'users:read',
      'resets:write',
      'mfa:write',
      'events:read',
      'reports:read',
    ]);
    expect(STAFF_ROLE_SCOPES.helpdesk).not.toContain('users:write');
  });

  it('should give an admin every scope a key may hold', () => {
    expect(scopesOfRoles(['admin'])).toEqual([...SERVICE_SCOPES]);
    expect(scopesOfRoles(['helpdesk', 'admin'])).toEqual([...SERVICE_SCOPES]);
  });

  it('should give nothing without a role', () => {
    expect(scopesOfRoles([])).toEqual([]);
  });
});
