/** The web page's routes (GET only, HTML): /ui, /ui/integrations/…, /ui/contracts/…, /ui/verifications/…. */
import type { Repository } from '../storage/repository';
import type { Router, RouteResponse } from '../http/router';
import { contractPage } from './contract-view';
import { homePage } from './home-view';
import type { Html } from './html';
import { integrationPage } from './integration-view';
import { verificationPage } from './verification-view';
import { repositoryWebhookLog } from './webhooks';

export const htmlResponse = (markup: Html): RouteResponse => ({ status: 200, html: markup.text });

/** The home page, for `/` when the client prefers HTML. */
export async function uiHome(repository: Repository): Promise<RouteResponse> {
  return htmlResponse(await homePage(repository, repositoryWebhookLog(repository)));
}

export function addUiRoutes(router: Router, repository: Repository): Router {
  const webhooks = repositoryWebhookLog(repository);
  return router
    .on('GET', '/ui', async () => uiHome(repository))
    .on('GET', '/ui/integrations/:consumer/:provider', async ({ params }) => htmlResponse(await integrationPage(repository, params['consumer'] ?? '', params['provider'] ?? '', webhooks)))
    .on('GET', '/ui/contracts/:consumer/:provider/:sha', async ({ params }) => htmlResponse(await contractPage(repository, params['consumer'] ?? '', params['provider'] ?? '', params['sha'] ?? '')))
    .on('GET', '/ui/verifications/:id', async ({ params }) => htmlResponse(await verificationPage(repository, Number(params['id']))));
}
