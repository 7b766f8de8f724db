import { ForgotPasswordRequest } from '@account-recovery/contracts';

import { EmailField, normaliseEmailInput } from '../../common/validation/email-field';
import { EMAIL_FIELD_FORMAT } from '../../common/validation/schema-checked-body';

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @EmailField()
  email!: string;
}

/**
 * ForgotPasswordDto as a JSON schema, which Fastify compiles for the busiest route
 * (common/validation/schema-checked-body.ts): exactly one property, `email`, a string that
 * EmailField accepts. Whatever it refuses is judged by ForgotPasswordDto itself.
 */
export const FORGOT_PASSWORD_BODY_SCHEMA = {
  type: 'object',
  properties: { email: { type: 'string', format: EMAIL_FIELD_FORMAT } },
  required: ['email'],
  additionalProperties: false,
};

/** The DTO of a body the schema accepted, as class-transformer would build it. */
export function forgotPasswordDtoOf(body: unknown): ForgotPasswordDto {
  const dto = new ForgotPasswordDto();
  dto.email = normaliseEmailInput((body as ForgotPasswordRequest).email);
  return dto;
}
