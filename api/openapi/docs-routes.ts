/**
 * `GET /openapi.json` (this server's document) and Swagger UI at `/swagger`, its assets served
 * from node_modules (swagger-ui-dist), no CDN. The UI loads the document from /openapi.json, so
 * what it shows is exactly what the contract tests check.
 */
import { Router, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { openApiDocument, type Surface } from './document';

export const OPENAPI_PATH = '/openapi.json';
export const SWAGGER_PATH = '/swagger';

export function docsRoutes(surface: Surface): Router {
  const document = openApiDocument(surface);
  // serveFiles writes swagger-ui-init.js from these options, setup the HTML page.
  const options: swaggerUi.SwaggerUiOptions = {
    customSiteTitle: document.info.title,
    // Authorize (a bearer token) survives a page reload.
    swaggerOptions: { url: OPENAPI_PATH, displayRequestDuration: true, persistAuthorization: true },
  };
  const withSlash: RequestHandler = (req, res, next) => {
    if (req.originalUrl === SWAGGER_PATH) res.redirect(301, `${SWAGGER_PATH}/`);
    else next();
  };
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(document);
  });
  // The UI's HTML links its assets relatively (./swagger-ui.css): served at /swagger without the
  // slash they would resolve to the root, so the bare path redirects to /swagger/.
  router.use(
    SWAGGER_PATH,
    withSlash,
    swaggerUi.serveFiles(undefined, options),
    swaggerUi.setup(undefined, options),
  );
  return router;
}
