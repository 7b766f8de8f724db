import { Location } from '@angular/common';
import {
  provideHttpClient,
  withInterceptors,
  type HttpHeaders,
  type HttpInterceptorFn,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type EnvironmentProviders, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { appInterceptors } from '../app/app.config';
import { appRoutes } from '../app/app.routes';
import { AUTO_REDIRECT_DELAY_MS } from '../app/shared/auto-redirect';

/** Short enough for a test to wait out with real timers. */
export const TEST_REDIRECT_DELAY_MS = 20;

/**
 * The real routes, the real interceptor and HttpTestingController in place of the network:
 * pages are reached the way a person reaches them, by URL.
 */
export async function setUpPortal({
  providers = [],
  observers = [],
}: {
  providers?: (Provider | EnvironmentProviders)[];
  /** Interceptors that run ahead of the real ones, to watch requests leave. */
  observers?: HttpInterceptorFn[];
} = {}): Promise<{
  harness: RouterTestingHarness;
  http: HttpTestingController;
  location: Location;
}> {
  TestBed.configureTestingModule({
    providers: [
      provideRouter(appRoutes),
      provideHttpClient(withInterceptors([...observers, ...appInterceptors])),
      provideHttpClientTesting(),
      { provide: AUTO_REDIRECT_DELAY_MS, useValue: TEST_REDIRECT_DELAY_MS },
      ...providers,
    ],
  });
  return {
    harness: await RouterTestingHarness.create(),
    http: TestBed.inject(HttpTestingController),
    location: TestBed.inject(Location),
  };
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

export function mustGetById<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = byId<T>(id);
  if (element === null) throw new Error(`#${id} is not on the page`);
  return element;
}

/** Types like a person: the value, an input event, and (optionally) leaving the field. */
export function typeInto(input: HTMLInputElement, value: string, { blur = false } = {}): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input'));
  if (blur) input.dispatchEvent(new Event('blur'));
}

export function submitButton(root: ParentNode = document): HTMLButtonElement {
  const button = root.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button === null) throw new Error('no submit button on the page');
  return button;
}

export function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The button whose text is `name`; throws when there is none. */
export function buttonNamed(name: string): HTMLButtonElement {
  const button = Array.from(document.querySelectorAll('button')).find((b) => textOf(b) === name);
  if (button === undefined) throw new Error(`no button "${name}" on the page`);
  return button;
}

/** The arguments of `TestRequest.flush` for an API error answer with `code`. */
export function apiError(
  status: number,
  code: string,
  headers?: HttpHeaders,
): [body: { statusCode: number; code: string; message: string }, options: object] {
  return [
    { statusCode: status, code, message: code },
    { status, statusText: String(status), ...(headers === undefined ? {} : { headers }) },
  ];
}

/** Types `value` into the input `inputId`, submits its form and lets the page settle. */
export async function submitWith(
  harness: RouterTestingHarness,
  inputId: string,
  value: string,
): Promise<void> {
  typeInto(mustGetById<HTMLInputElement>(inputId), value);
  submitButton().click();
  await harness.fixture.whenStable();
}
