/** Where each page of the broker's web page lives (all under /ui). */
import { href } from './html';

export const uiPaths = {
  home: (): string => '/ui',
  pacticipant: (name: string): string => href(['ui'], `pacticipant-${name}`),
  integration: (consumer: string, provider: string): string => href(['ui', 'integrations', consumer, provider]),
  contract: (consumer: string, provider: string, sha: string, interactionId?: string): string =>
    href(['ui', 'contracts', consumer, provider, sha], interactionId === undefined ? undefined : `interaction-${interactionId}`),
  verification: (id: number): string => href(['ui', 'verifications', String(id)]),
};
