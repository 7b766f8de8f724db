import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  LOCALE_ID,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { toApiFailure } from '../shared/api-failure';
import { Notice } from '../shared/forms/notice';
import { ReportChart } from './report-chart';
import { lastDays, REPORT_DAYS, reportView, type ReportView } from './report-data';
import { StaffApi } from './staff-api';
import { staffFailureHandler } from './staff-failure';

/**
 * The recovery funnel of the last 30 days, by UTC day: totals and the success rate, then a
 * chart with its table for requests, emails, resets, wrong codes and the daily success rate.
 */
@Component({
  selector: 'app-reports-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Notice, ReportChart],
  templateUrl: './reports-page.html',
})
export class ReportsPage {
  private readonly api = inject(StaffApi);
  private readonly locale = inject(LOCALE_ID);
  private readonly destroyRef = inject(DestroyRef);
  private readonly failed = staffFailureHandler();

  protected readonly days = REPORT_DAYS;
  protected readonly view = signal<ReportView | null>(null);
  protected readonly failure = signal<string | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.failure.set(null);
    const { from, to } = lastDays(new Date());
    this.api
      .recoveryReport(from, to, 'day')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (report) => this.view.set(reportView(report, this.locale)),
        error: (error: unknown) => this.failure.set(this.failed(toApiFailure(error))),
      });
  }
}
