import { UserResponse } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { User } from '../user.entity';

/** What services see of a user: never the hash. */
export class UserResponseDto implements UserResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'jane.doe@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Jane Doe' })
  displayName!: string | null;

  @ApiProperty({ description: 'False until the person sets a password through an emailed link' })
  hasPassword!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  passwordChangedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(user: User): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      hasPassword: user.passwordChangedAt !== null,
      passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}
