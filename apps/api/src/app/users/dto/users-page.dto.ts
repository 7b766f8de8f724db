import { UsersPage } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { UserResponseDto } from './user-response.dto';

/** `GET /v1/users?query=`: a page of people whose address or name starts with the query. */
export class UsersPageDto implements UsersPage {
  @ApiProperty({ type: [UserResponseDto], description: 'Ordered by address' })
  items!: UserResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
