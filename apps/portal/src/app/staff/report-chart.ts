import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  LOCALE_ID,
  signal,
} from '@angular/core';

import type { DrawnChart } from './chart-drawing';
import { formatCount, formatRate } from './formatting';
import type { ChartSpec } from './report-data';

/**
 * One chart of the reports page and, beside it, a table of the same numbers: the canvas is an
 * image with a summary for its name; the table is what a screen reader reads day by day.
 */
@Component({
  selector: 'app-report-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'report-chart' },
  template: `
    @if (spec(); as chart) {
      <h2 [id]="chart.id + '-title'" class="section__title">{{ chart.title }}</h2>
      <div class="report-chart__body">
        <div class="report-chart__canvas">
          <canvas role="img" [attr.aria-label]="chart.summary" [attr.data-testid]="chart.id">
          </canvas>
          @if (unavailable()) {
            <p class="report-chart__note" i18n="@@report.chartUnavailable">
              The chart could not be drawn; the table has the same numbers.
            </p>
          }
        </div>
        <div
          class="table-scroll report-chart__table"
          tabindex="0"
          role="region"
          [attr.aria-labelledby]="chart.id + '-caption'"
        >
          <table class="data-table data-table--numbers">
            <caption [id]="chart.id + '-caption'" i18n="@@report.tableCaption">
              {{
                chart.title
              }}, day by day
            </caption>
            <thead>
              <tr>
                <th scope="col" i18n="@@report.dayColumn">Day (UTC)</th>
                @for (series of chart.series; track series.label) {
                  <th scope="col">{{ series.label }}</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (row of rows(); track $index) {
                <tr>
                  <th scope="row">{{ row.day }}</th>
                  @for (cell of row.cells; track $index) {
                    <td>{{ cell }}</td>
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
      </div>
    }
  `,
})
export class ReportChart {
  private readonly locale = inject(LOCALE_ID);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private drawn: DrawnChart | null = null;
  private destroyed = false;

  readonly spec = input.required<ChartSpec>();

  protected readonly unavailable = signal(false);
  protected readonly rows = computed(() => {
    const spec = this.spec();
    return spec.days.map((day, index) => ({
      day,
      cells: spec.series.map((series) => this.format(series.values[index] ?? null)),
    }));
  });

  constructor() {
    afterNextRender(() => void this.draw());
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.drawn?.destroy();
    });
  }

  private format(value: number | null): string {
    if (this.spec().unit === 'rate') return formatRate(value, this.locale);
    return value === null ? '—' : formatCount(value, this.locale);
  }

  private async draw(): Promise<void> {
    try {
      const { drawChart } = await import('./chart-drawing');
      if (this.destroyed) return;
      const canvas = this.host.querySelector('canvas');
      if (canvas === null) return;
      this.drawn = drawChart(canvas, this.spec(), {
        reducedMotion:
          canvas.ownerDocument.defaultView?.matchMedia?.('(prefers-reduced-motion: reduce)')
            .matches ?? true,
        format: (value) => this.format(value),
      });
    } catch {
      this.unavailable.set(true);
    }
  }
}
