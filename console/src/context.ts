import type { Api } from './api.js';
import type { ConsoleConfig, Identity } from './session.js';

/** What a page gets: the API as the signed-in person, and a way to move to another page. */
export interface PageContext {
  readonly api: Api;
  readonly identity: Identity;
  readonly config: ConsoleConfig;
  navigate(path: string): void;
  /** Draws the current page again (after a language switch or a form that changed the data). */
  refresh(): void;
}
