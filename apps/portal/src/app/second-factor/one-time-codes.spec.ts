import { FormControl } from '@angular/forms';

import { digitsCode, recoveryCode, tidyDigits, tidyRecoveryCode } from './one-time-codes';

describe('one-time codes', () => {
  it('should tidy pasted digits', () => {
    expect(tidyDigits(' 123 456 ')).toBe('123456');
    expect(tidyDigits('1234-5678')).toBe('12345678');
  });

  it('should write a recovery code the one way the API was shown it', () => {
    expect(tidyRecoveryCode('abcde12345')).toBe('ABCDE-12345');
    expect(tidyRecoveryCode(' ABCDE - 12345 ')).toBe('ABCDE-12345');
    expect(tidyRecoveryCode('abc')).toBe('ABC');
  });

  it.each([
    ['123456', 6, true],
    ['123 456', 6, true],
    ['12345', 6, false],
    ['12345a', 6, false],
    ['12345678', 8, true],
    ['123456', 8, false],
  ])('should judge %s as a %i-digit code: %s', (value, length, valid) => {
    expect(new FormControl(value, digitsCode(length)).valid).toBe(valid);
  });

  it.each([
    ['ABCDE-12345', true],
    ['abcde12345', true],
    ['ABCDE-1234', false],
    ['ABCDE_12345', false],
  ])('should judge %s as a recovery code: %s', (value, valid) => {
    expect(new FormControl(value, recoveryCode).valid).toBe(valid);
  });
});
