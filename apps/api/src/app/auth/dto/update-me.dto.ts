import { Locale, UpdateMeRequest } from '@account-recovery/contracts';

import {
  NullableDisplayNameField,
  NullableLocaleField,
} from '../../common/validation/profile-fields';

/** `PATCH /v1/auth/me`: the person's own name and language; null clears either. */
export class UpdateMeDto implements UpdateMeRequest {
  @NullableDisplayNameField()
  displayName?: string | null;

  @NullableLocaleField('The language of your emails; null: the language your browser asks for')
  locale?: Locale | null;
}
