import { EMAIL_MAX_LENGTH, type UserResponse } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';

import { focusAfterRender } from '../shared/focus';
import { Field } from '../shared/forms/field';
import { FieldControl } from '../shared/forms/field-control';
import { showsErrors } from '../shared/forms/form-errors';
import { Notice } from '../shared/forms/notice';
import { SubmitButton } from '../shared/forms/submit-button';
import { submission } from '../shared/submission';
import { PersonBadges } from './person-badges';
import { StaffApi } from './staff-api';
import { staffFailureHandler } from './staff-failure';
import { staffPaths } from './staff-paths';

/** The people a search found so far, for the query they were found by. */
interface Found {
  query: string;
  people: readonly UserResponse[];
  nextCursor: string | null;
}

/**
 * Find a person by the start of their address or name: a table of who matched, with what
 * stands out about each account, and "Show more" for the next page. The count is announced.
 */
@Component({
  selector: 'app-people-search-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    Field,
    FieldControl,
    Notice,
    PersonBadges,
    SubmitButton,
  ],
  templateUrl: './people-search-page.html',
})
export class PeopleSearchPage {
  private readonly api = inject(StaffApi);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly failed = staffFailureHandler();

  protected readonly paths = staffPaths;
  protected readonly form = inject(NonNullableFormBuilder).group({
    query: [
      '',
      [Validators.required, Validators.pattern(/\S/), Validators.maxLength(EMAIL_MAX_LENGTH)],
    ],
  });
  protected readonly sending = submission('#people-result');
  protected readonly found = signal<Found | null>(null);
  /** True while "Show more" is in flight (the search button stays as it is). */
  protected readonly loadingMore = signal(false);

  protected queryErrors(): string[] {
    const control = this.form.controls.query;
    if (!showsErrors(control, this.sending.submitted()) || control.valid) return [];
    if (control.hasError('maxlength')) {
      return [$localize`:@@staff.queryTooLong:This is longer than any address.`];
    }
    return [
      $localize`:@@staff.queryRequired:Enter an email address, or the start of one or of a name.`,
    ];
  }

  protected search(): void {
    if (!this.sending.begin(this.form)) return;
    const query = this.form.controls.query.value.trim();
    this.sending.send(
      this.api.findPeople(query),
      (page) => this.found.set({ query, people: page.items, nextCursor: page.nextCursor }),
      (failure) => this.failed(failure),
    );
  }

  protected showMore(): void {
    const found = this.found();
    if (found === null || found.nextCursor === null || this.sending.busy()) return;
    const firstNew = found.people.length;
    this.loadingMore.set(true);
    this.sending.send(
      this.api.findPeople(found.query, found.nextCursor),
      (page) => {
        this.loadingMore.set(false);
        this.found.set({
          query: found.query,
          people: [...found.people, ...page.items],
          nextCursor: page.nextCursor,
        });
        // Straight to the first person of the new page, not back to the top of the table.
        focusAfterRender(this.injector, this.host, `[data-row="${firstNew}"] a`);
      },
      (failure) => {
        this.loadingMore.set(false);
        return this.failed(failure);
      },
    );
  }
}
