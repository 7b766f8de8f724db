import { normaliseEmail, USERS_PAGE_LIMIT } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { FindUsersQuery } from './dto/find-users.query';
import { UserResponseDto } from './dto/user-response.dto';
import { UsersPageDto } from './dto/users-page.dto';
import {
  findAccount,
  findAccountsByEmail,
  likePrefix,
  searchAccounts,
  UserAccount,
} from './user-accounts';
import { decodeUsersCursor, encodeUsersCursor } from './users-cursor';

/**
 * Reading users for the service API (docs/architecture.md §11): one statement per user
 * or per page, each answer with its roles, factor and throttle state.
 */
@Injectable()
export class UserDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string): Promise<UserResponseDto> {
    const user = await findAccount(this.dataSource, id);
    if (!user) throw ApiException.notFound('users.not-found');
    return UserResponseDto.from(user);
  }

  /**
   * `?email=`: exact match, an array of zero or one (what services have always had).
   * `?query=`: a page of a prefix search. Exactly one of them; cursor and limit go with query.
   */
  async find(query: FindUsersQuery): Promise<UserResponseDto[] | UsersPageDto> {
    if ((query.email === undefined) === (query.query === undefined)) {
      const message = { key: 'field.email-or-query' } as const;
      throw ApiException.validation({ email: [message], query: [message] });
    }
    if (query.email !== undefined) {
      const extra = (['cursor', 'limit'] as const).filter((key) => query[key] !== undefined);
      if (extra.length > 0) {
        throw ApiException.validation(
          Object.fromEntries(
            extra.map((key) => [key, [{ key: 'field.only-with-query', values: { field: key } }]]),
          ),
        );
      }
      const users = await findAccountsByEmail(this.dataSource, normaliseEmail(query.email));
      return users.map(UserResponseDto.from);
    }
    return this.search(query.query ?? '', query.cursor, query.limit ?? USERS_PAGE_LIMIT.default);
  }

  /**
   * Addresses are stored normalised, so the query is normalised the same way for them; names
   * are compared lower-cased by PostgreSQL on both sides (the index is on lower(display_name)).
   * Keyset pagination on (email, id): a page costs the same however deep, and people added or
   * removed between pages shift nothing that was already shown.
   */
  private async search(
    text: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<UsersPageDto> {
    const after = cursor === undefined ? null : decodeUsersCursor(cursor);
    if (cursor !== undefined && !after) {
      throw ApiException.validation({
        cursor: [{ key: 'field.cursor', values: { field: 'cursor' } }],
      });
    }
    // One row more than the page: whether it exists says if there is a next page.
    const rows: UserAccount[] = await searchAccounts(
      this.dataSource,
      likePrefix(normaliseEmail(text)),
      likePrefix(text),
      after,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(UserResponseDto.from),
      nextCursor:
        rows.length > limit && last ? encodeUsersCursor({ email: last.email, id: last.id }) : null,
    };
  }
}
