import { ForgotPasswordRequest } from '@account-recovery/contracts';

import { EmailField } from '../../common/validation/email-field';

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @EmailField()
  email!: string;
}
