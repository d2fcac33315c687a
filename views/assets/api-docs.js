// The API docs page (/openapi): starts Swagger UI on the document the page names. A file, not inline code, so the
// page's Content-Security-Policy needs no 'unsafe-inline'.
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui')
  window.ui = window.SwaggerUIBundle({ url: root.getAttribute('data-url'), dom_id: '#swagger-ui', persistAuthorization: true })
})
