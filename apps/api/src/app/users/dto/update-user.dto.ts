import { EMAIL_MAX_LENGTH, Locale, UpdateUserRequest } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';

import { EmailField } from '../../common/validation/email-field';
import {
  NullableDisplayNameField,
  NullableLocaleField,
} from '../../common/validation/profile-fields';
import { IsOptional } from '../../common/validation/validators';

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional({
    example: 'jane.doe@example.com',
    maxLength: EMAIL_MAX_LENGTH,
    description:
      'A new sign-in address: every outstanding link is revoked and the old address is told',
  })
  @IsOptional()
  @EmailField()
  email?: string;

  @NullableDisplayNameField()
  displayName?: string | null;

  @NullableLocaleField("The language of the person's emails; null clears it")
  locale?: Locale | null;
}
