import { STAFF_PERSON_ROUTE_PARAM, STAFF_ROUTES } from '@account-recovery/contracts';

import type { Routes } from '@angular/router';

import { StaffArea } from './staff-area';

/** The staff area's pages, below `/admin` (app.routes: `staffGuard` admits staff only). */
export const staffRoutes: Routes = [
  {
    path: '',
    component: StaffArea,
    children: [
      {
        path: STAFF_ROUTES.people,
        pathMatch: 'full',
        title: $localize`:@@staff.peopleTitle:Find a person · Staff · Account Recovery`,
        loadComponent: () => import('./people-search-page').then((m) => m.PeopleSearchPage),
      },
      {
        path: `${STAFF_ROUTES.person}/:${STAFF_PERSON_ROUTE_PARAM}`,
        title: $localize`:@@staff.personTitle:Person · Staff · Account Recovery`,
        loadComponent: () => import('./person-page').then((m) => m.PersonPage),
      },
      {
        path: STAFF_ROUTES.reports,
        title: $localize`:@@staff.reportsTitle:Recovery reports · Staff · Account Recovery`,
        loadComponent: () => import('./reports-page').then((m) => m.ReportsPage),
      },
    ],
  },
];
