import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
} from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';

import { LanguageSwitcher } from './locale/language-switcher';
import { focusAfterRender } from './shared/focus';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LanguageSwitcher, RouterLink, RouterOutlet],
  templateUrl: './app.html',
})
export class App {
  constructor() {
    const router = inject(Router);
    const injector = inject(Injector);
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    // After an in-app navigation, put focus on the new page's heading, as a full page load
    // would start reading there; the first load keeps the browser's own behaviour.
    let initial = true;
    const subscription = router.events.subscribe((event) => {
      if (!(event instanceof NavigationEnd)) return;
      if (initial) {
        initial = false;
        return;
      }
      focusAfterRender(injector, host, 'main h1');
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }
}
