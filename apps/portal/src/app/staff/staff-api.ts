import {
  API_PATHS,
  USERS_PAGE_LIMIT,
  type EventsPage,
  type ForceResetRequest,
  type MessageResponse,
  type RecoveryReport,
  type ReportInterval,
  type UpdateUserRequest,
  type UserResponse,
  type UsersPage,
} from '@account-recovery/contracts';

import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { API_BASE_URL, apiUrl } from '../shared/api-base-url';

/** People found per page of the search; the timeline's events per page. */
export const PEOPLE_PAGE_SIZE = USERS_PAGE_LIMIT.default;
export const EVENTS_PAGE_SIZE = 20;

/**
 * The service API as the staff area uses it, under the staff member's Bearer session
 * (docs/architecture.md §11): find and read people, act on their account, read the audit
 * trail and the recovery report.
 */
@Injectable({ providedIn: 'root' })
export class StaffApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** People whose address or name starts with `query`; `cursor` from the previous page. */
  findPeople(query: string, cursor: string | null = null): Observable<UsersPage> {
    let params = new HttpParams().set('query', query).set('limit', PEOPLE_PAGE_SIZE);
    if (cursor !== null) params = params.set('cursor', cursor);
    return this.http.get<UsersPage>(apiUrl(this.baseUrl, API_PATHS.users), { params });
  }

  person(id: string): Observable<UserResponse> {
    return this.http.get<UserResponse>(this.personUrl(id));
  }

  /** Changes what a service may change of the person (here: the language of their emails). */
  updatePerson(id: string, body: UpdateUserRequest): Observable<UserResponse> {
    return this.http.patch<UserResponse>(this.personUrl(id), body);
  }

  /** Emails the person a reset link (202); `revokeSessions` ends their sessions at once. */
  sendResetLink(id: string, body: ForceResetRequest): Observable<MessageResponse> {
    return this.http.post<MessageResponse>(`${this.personUrl(id)}/password-reset`, body);
  }

  /** Ends every session the person has open (204). */
  endSessions(id: string): Observable<void> {
    return this.http.post<void>(`${this.personUrl(id)}/sessions/revoke`, {});
  }

  /** Removes the person's authenticator and recovery codes (204); they are emailed. */
  resetSecondFactor(id: string): Observable<void> {
    return this.http.delete<void>(`${this.personUrl(id)}/mfa`);
  }

  /** One person's security events, newest first; `cursor` for older ones. */
  eventsOf(userId: string, cursor: string | null = null): Observable<EventsPage> {
    let params = new HttpParams().set('userId', userId).set('limit', EVENTS_PAGE_SIZE);
    if (cursor !== null) params = params.set('cursor', cursor);
    return this.http.get<EventsPage>(apiUrl(this.baseUrl, API_PATHS.events), { params });
  }

  recoveryReport(from: Date, to: Date, interval: ReportInterval): Observable<RecoveryReport> {
    const params = new HttpParams()
      .set('from', from.toISOString())
      .set('to', to.toISOString())
      .set('interval', interval);
    return this.http.get<RecoveryReport>(apiUrl(this.baseUrl, API_PATHS.recoveryReport), {
      params,
    });
  }

  private personUrl(id: string): string {
    return `${apiUrl(this.baseUrl, API_PATHS.users)}/${encodeURIComponent(id)}`;
  }
}
