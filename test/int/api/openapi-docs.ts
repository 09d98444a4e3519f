/** Checks shared by the API node's and the gateway's OpenAPI tests: Swagger UI and the route list. */
import { readFileSync } from 'node:fs';

/**
 * /swagger redirects to /swagger/ (its assets are linked relatively), which serves the UI page;
 * its script loads /openapi.json, and the bundle is the one in node_modules (no CDN).
 */
export async function expectSwaggerUi(baseUrl: string): Promise<void> {
  const bare = await fetch(`${baseUrl}/swagger`, { redirect: 'manual' });
  const page = await fetch(`${baseUrl}/swagger/`);
  const html = await page.text();
  const init = await (await fetch(`${baseUrl}/swagger/swagger-ui-init.js`)).text();
  const bundle = await fetch(`${baseUrl}/swagger/swagger-ui-bundle.js`);

  expect([bare.status, bare.headers.get('location')]).toEqual([301, '/swagger/']);
  expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  expect(html).toContain('<div id="swagger-ui"></div>');
  expect(html).toContain('src="./swagger-ui-bundle.js"');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  expect(init).toMatch(/"url": "\/openapi\.json"/);
  expect(bundle.status).toBe(200);
  expect(await bundle.text()).toBe(
    readFileSync(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'), 'utf8'),
  );
}

/** Express's `:n` and the document's `{ticketNumber}` name the same parameter differently. */
const normalize = (routes: readonly string[]) =>
  [...new Set(routes.map((r) => r.replace(/\{[^}]+\}/g, '{}')))].sort();

/** The app's routes and the documented operations are the same set. */
export function sameRoutes(appRoutes: readonly string[], documented: readonly string[]): void {
  expect(normalize(appRoutes)).toEqual(normalize(documented));
}
