import { EmailField } from '../../common/validation/email-field';

export class FindUsersQuery {
  /** Exact match on the normalised address. */
  @EmailField()
  email!: string;
}
