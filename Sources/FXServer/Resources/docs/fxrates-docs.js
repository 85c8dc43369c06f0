// Renders this server's /openapi.json. A file of its own, not an inline script, so that the page's
// Content-Security-Policy can refuse every inline script.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  // The validator badge, which loads from validator.swagger.io, is shown only by the standalone layout,
  // which this page does not use; null keeps it off if the layout ever changes.
  validatorUrl: null,
  deepLinking: true,
});
