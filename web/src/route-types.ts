import type { VNode } from 'preact';

/** A page of the app: a path pattern (`/unit/nominations/:id`) and what it renders. */
export interface AppRoute {
  path: string;
  render: (params: Record<string, string>) => VNode;
}
