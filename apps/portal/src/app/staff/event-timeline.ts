import type { EventItem } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  LOCALE_ID,
  signal,
  type OnInit,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { CurrentUser } from '../session/current-user';
import { toApiFailure } from '../shared/api-failure';
import { focusAfterRender } from '../shared/focus';
import { Notice } from '../shared/forms/notice';
import { actorLabel, detailsText, eventLabel } from './event-labels';
import { formatInstant } from './formatting';
import { StaffApi } from './staff-api';
import { staffFailureHandler } from './staff-failure';

interface TimelineEntry {
  id: string;
  occurredAt: string;
  when: string;
  label: string;
  actor: string;
  details: string;
  ip: string | null;
}

/** One person's security events, newest first, a page at a time ("Show older events"). */
@Component({
  selector: 'app-event-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Notice],
  templateUrl: './event-timeline.html',
})
export class EventTimeline implements OnInit {
  private readonly api = inject(StaffApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly viewer = inject(CurrentUser).user;
  private readonly locale = inject(LOCALE_ID);
  private readonly failed = staffFailureHandler();

  readonly userId = input.required<string>();

  protected readonly entries = signal<readonly TimelineEntry[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly failure = signal<string | null>(null);
  /** Nothing asked yet: the first page is on its way. */
  protected readonly started = signal(false);

  ngOnInit(): void {
    this.loadPage(null);
  }

  /** Reads the newest page again (after an action added events). */
  reload(): void {
    this.loadPage(null);
  }

  protected showOlder(): void {
    const cursor = this.nextCursor();
    if (cursor !== null && !this.loading()) this.loadPage(cursor);
  }

  private loadPage(cursor: string | null): void {
    const firstNew = cursor === null ? 0 : this.entries().length;
    this.loading.set(true);
    this.failure.set(null);
    this.api
      .eventsOf(this.userId(), cursor)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.loading.set(false);
          this.started.set(true);
          const entries = page.items.map((event) => this.entryOf(event));
          this.entries.set(cursor === null ? entries : [...this.entries(), ...entries]);
          this.nextCursor.set(page.nextCursor);
          if (cursor !== null) {
            focusAfterRender(this.injector, this.host, `[data-entry="${firstNew}"]`);
          }
        },
        error: (error: unknown) => {
          this.loading.set(false);
          this.started.set(true);
          this.failure.set(this.failed(toApiFailure(error)));
        },
      });
  }

  private entryOf(event: EventItem): TimelineEntry {
    return {
      id: event.id,
      occurredAt: event.occurredAt,
      when: formatInstant(event.occurredAt, this.locale),
      label: eventLabel(event.type),
      actor: actorLabel(event.actor, this.viewer()?.id ?? null),
      details: detailsText(event.details),
      ip: event.ip,
    };
  }
}
