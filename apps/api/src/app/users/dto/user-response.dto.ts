import {
  isLocale,
  Locale,
  LOCALES,
  STAFF_ROLES,
  StaffRole,
  UserResponse,
} from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { throttleStatus } from '../../auth/login-throttle';
import { UserAccount } from '../user-accounts';
import { AccountLockoutDto } from './account-lockout.dto';

/** What services and staff see of a user: never a hash or a secret. */
export class UserResponseDto implements UserResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'jane.doe@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Jane Doe' })
  displayName!: string | null;

  @ApiProperty({
    enum: LOCALES,
    nullable: true,
    description: "The language of the person's emails",
  })
  locale!: Locale | null;

  @ApiProperty({ description: 'False until the person sets a password through an emailed link' })
  hasPassword!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  passwordChangedAt!: string | null;

  @ApiProperty({
    enum: STAFF_ROLES,
    isArray: true,
    description: 'Staff roles (empty for everyone else); granted only with `npm run user:grant`',
  })
  roles!: StaffRole[];

  @ApiProperty({ description: 'A confirmed authenticator (recovery codes come with it)' })
  hasSecondFactor!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Sessions issued before this instant no longer work (a forced reset or a revocation; a password change ends them too, see passwordChangedAt)',
  })
  sessionsRevokedAt!: string | null;

  @ApiProperty({ type: AccountLockoutDto })
  lockout!: AccountLockoutDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(user: UserAccount): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      locale: isLocale(user.locale) ? user.locale : null,
      hasPassword: user.passwordChangedAt !== null,
      passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
      roles: user.roles,
      hasSecondFactor: user.hasSecondFactor,
      sessionsRevokedAt: user.sessionsRevokedAt?.toISOString() ?? null,
      lockout: {
        signIn: throttleStatus(user.signInFailures, user.signInLastFailedAt, user.readAt),
        secondFactor: throttleStatus(user.factorFailures, user.factorLastFailedAt, user.readAt),
      },
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}
